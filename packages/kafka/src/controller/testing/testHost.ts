/**
 * Test support: a minimal broker that hosts only the zk client and the controller module, the
 * way the real broker does (session outputs to controllerOnSession first, then its own ephemeral
 * registration at /brokers/ids/<id>). It answers controller requests with Kafka's controller-epoch
 * check and records what it received.
 */
import type { Behavior, NodeContext, NodeEvent, NodeId, Simulation } from '@kafkasim/engine';
import { defaultBrokerConfig, type BrokerConfig, type TopicConfig } from '../../config';
import type { ZkClientOutput } from '../../coordinator/api';
import { zkClientCreate, zkClientHandle, zkClientStart, zkCreate, type ZkClientState } from '../../coordinator';
import { emit } from '../../events';
import {
  brokerIdOf, brokerNodeId, type AlterPartitionResponse, type LeaderAndIsrRequest, type UpdateMetadataRequest,
} from '../../protocol';
import {
  controllerOnMessage, controllerOnSession, controllerOnTimer, controllerOnZk, createControllerState,
  describeController, type ControllerEnv, type ControllerState, type ControllerSummary,
} from '../index';

export interface Received {
  at: number;
  from: NodeId;
  api: 'LeaderAndIsr' | 'UpdateMetadata';
  controllerEpoch: number;
  rejected: boolean;
  request: LeaderAndIsrRequest | UpdateMetadataRequest;
}

export interface HostMemory {
  zk: ZkClientState;
  cs: ControllerState;
  sessionId: string | null;
  registered: boolean;
  brokerEpoch: number;
  highestControllerEpoch: number;
  received: Received[];
  /** AlterPartition responses this broker got back. */
  alterResponses: { at: number; from: NodeId; response: AlterPartitionResponse }[];
  /** Results of the controller's own zk requests, for fencing assertions. */
  controllerResults: { at: number; tag: string; op: string; path: string; ok: boolean; error?: string }[];
}

export interface HostOptions {
  brokerId: number;
  zkServers: NodeId[];
  allBrokerIds: number[];
  topics: TopicConfig[];
  config?: Partial<BrokerConfig>;
}

const REGISTER_TAG = 'host:register';

export function controllerTestHost(options: HostOptions): Behavior<null, HostMemory> {
  const config: BrokerConfig = { ...defaultBrokerConfig, ...options.config };
  const envOf = (mem: HostMemory, ctx: NodeContext): ControllerEnv => ({
    zk: mem.zk, brokerNode: ctx.self, brokerId: options.brokerId, config, topics: options.topics, allBrokerIds: options.allBrokerIds,
  });
  const register = (mem: HostMemory, ctx: NodeContext) =>
    zkCreate(mem.zk, ctx, `/brokers/ids/${options.brokerId}`, { host: ctx.self }, { ephemeral: true }, REGISTER_TAG);

  function onZk(mem: HostMemory, output: ZkClientOutput, ctx: NodeContext): void {
    const env = envOf(mem, ctx);
    if (output.type === 'session') {
      controllerOnSession(mem.cs, output.state, env, ctx);
      if (output.state === 'connected' && output.sessionId !== mem.sessionId) {
        mem.sessionId = output.sessionId;
        mem.registered = false;
        register(mem, ctx);
      }
      if (output.state === 'expired') mem.sessionId = null;
      return;
    }
    if (output.type === 'result' && output.tag.startsWith('ctl:')) {
      mem.controllerResults.push({
        at: ctx.now, tag: output.tag, op: output.op, path: output.path, ok: output.ok, ...(output.ok ? {} : { error: output.error }),
      });
    }
    if (controllerOnZk(mem.cs, output, env, ctx)) return;
    if (output.type === 'result' && output.tag === REGISTER_TAG) {
      if (output.ok) {
        mem.registered = true;
        mem.brokerEpoch = output.stat?.czxid ?? -1;
        emit(ctx, { event: 'broker-registered', broker: ctx.self, sessionId: mem.sessionId ?? '', brokerEpoch: mem.brokerEpoch });
      } else if (output.error !== 'SessionExpired') {
        ctx.setTimer(500, 'host:register-retry');
      }
    }
  }

  function onControllerRequest(mem: HostMemory, from: NodeId, req: LeaderAndIsrRequest | UpdateMetadataRequest, ctx: NodeContext): void {
    const rejected = req.controllerEpoch < mem.highestControllerEpoch;
    mem.received.push({ at: ctx.now, from, api: req.api, controllerEpoch: req.controllerEpoch, rejected, request: req });
    if (rejected) {
      emit(ctx, {
        event: 'stale-controller-rejected', controller: req.controllerId, controllerEpoch: req.controllerEpoch,
        currentEpoch: mem.highestControllerEpoch, api: req.api,
      });
    } else {
      mem.highestControllerEpoch = req.controllerEpoch;
    }
    const error = rejected ? 'STALE_CONTROLLER_EPOCH' : 'NONE';
    ctx.send(from, req.api === 'LeaderAndIsr'
      ? { api: 'LeaderAndIsrResponse', correlationId: req.correlationId, error, partitions: [] }
      : { api: 'UpdateMetadataResponse', correlationId: req.correlationId, error });
  }

  return {
    kind: 'controller-test-host',
    createDurable: () => null,
    boot(_disk, ctx) {
      const mem: HostMemory = {
        zk: zkClientCreate({ servers: options.zkServers, sessionTimeoutMs: config['zookeeper.session.timeout.ms'] }),
        cs: createControllerState(), sessionId: null, registered: false, brokerEpoch: -1, highestControllerEpoch: 0,
        received: [], alterResponses: [], controllerResults: [],
      };
      zkClientStart(mem.zk, ctx);
      return mem;
    },
    handle(state, event: NodeEvent, ctx) {
      const mem = state.volatile;
      const outputs = zkClientHandle(mem.zk, event, ctx);
      if (outputs) {
        for (const output of outputs) onZk(mem, output, ctx);
        return;
      }
      const env = envOf(mem, ctx);
      if (event.type === 'timer') {
        if (event.name === 'host:register-retry' && mem.sessionId && !mem.registered) register(mem, ctx);
        else controllerOnTimer(mem.cs, event, env, ctx);
        return;
      }
      if (event.type === 'command' && event.name === 'send') {
        // Lets a test make this broker send a request (e.g. an AlterPartition) to another node.
        ctx.send(event.data.to, event.data.payload);
        return;
      }
      if (event.type !== 'message') return;
      if (controllerOnMessage(mem.cs, event.from, event.payload, env, ctx)) return;
      const api = event.payload?.api;
      if (api === 'LeaderAndIsr' || api === 'UpdateMetadata') onControllerRequest(mem, event.from, event.payload, ctx);
      if (api === 'AlterPartitionResponse') mem.alterResponses.push({ at: ctx.now, from: event.from, response: event.payload });
    },
  };
}

// ---- helpers for tests ---------------------------------------------------------------------

export function hostMemory(sim: Simulation, node: NodeId): HostMemory | null {
  return sim.node(node).state.volatile as HostMemory | null;
}

export function controllerSummary(sim: Simulation, node: NodeId): ControllerSummary | null {
  const mem = hostMemory(sim, node);
  return mem ? describeController(mem.cs) : null;
}

export function activeControllers(sim: Simulation, brokers: NodeId[]): NodeId[] {
  return brokers.filter((b) => sim.node(b).status !== 'crashed' && hostMemory(sim, b)?.cs.active);
}

export function factsOf(sim: Simulation, event: string): ({ node: NodeId; time: number } & Record<string, any>)[] {
  return sim.trace.filter((e) => e.type === 'record' && e.event === event).map((e) => ({ node: e.node as NodeId, time: e.time, ...(e.data as object) }));
}

export const brokerIds = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
export const brokerNodes = (n: number): NodeId[] => brokerIds(n).map(brokerNodeId);
export { brokerIdOf };
