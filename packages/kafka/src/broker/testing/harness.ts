/**
 * Test helpers for the broker: brokers without zk or controller (detachedModules), a scripted
 * controller node the test drives with commands, and a probe node that sends any request and
 * keeps the answers. With these the replication protocol is exercised step by step, in exact
 * orderings, without depending on the coordinator or controller modules.
 */
import { Simulation, type Behavior, type NetworkConfig, type NodeId } from '@kafkasim/engine';
import { defaultBrokerConfig, type BrokerConfig, type TopicConfig } from '../../config';
import { emit } from '../../events';
import type { AlterPartitionRequest, AlterPartitionResponse, KafkaRequest, PartitionState } from '../../protocol';
import { brokerNodeId } from '../../protocol';
import { createBrokerWith } from '../behavior';
import { detachedModules } from '../hosted';
import { tpKey, type BrokerState } from '../types';

// ---- probe: sends requests on command, keeps every response -------------------------------

export interface ProbeDisk {
  nextCorrelationId: number;
  /** Responses by correlation id, in arrival order of first arrival. */
  responses: Record<number, any>;
  sent: { correlationId: number; to: NodeId; api: string; at: number }[];
}

export const probe: Behavior<ProbeDisk, null> = {
  kind: 'probe',
  createDurable: () => ({ nextCorrelationId: 1, responses: {}, sent: [] }),
  boot: () => null,
  handle(state, event, ctx) {
    const disk = state.durable;
    if (event.type === 'command' && event.name === 'send') {
      const { to, payload } = event.data as { to: NodeId; payload: Omit<KafkaRequest, 'correlationId'> & { correlationId?: number } };
      const correlationId = payload.correlationId ?? disk.nextCorrelationId++;
      disk.sent.push({ correlationId, to, api: payload.api, at: ctx.now });
      ctx.send(to, { ...payload, correlationId });
    }
    if (event.type === 'message' && disk.responses[event.payload.correlationId] === undefined) {
      disk.responses[event.payload.correlationId] = { ...event.payload, receivedAt: ctx.now, from: event.from };
      if (event.payload.api === 'ProduceResponse') {
        for (const p of event.payload.partitions) {
          ctx.record('probe-produce-response', { topic: p.topic, partition: p.partition, error: p.error, baseOffset: p.baseOffset, from: event.from });
        }
      }
    }
  },
};

// ---- scripted controller --------------------------------------------------------------------

export interface ScriptedControllerDisk {
  epoch: number;
  brokers: NodeId[];
  partitions: Record<string, PartitionState>;
  nextCorrelationId: number;
  /** Answer AlterPartition requests (false: leave them unanswered, as a dead controller). */
  answering: boolean;
}

/**
 * Commands:
 *  'elect' { states: PartitionState[] (partitionEpoch ignored), controllerEpoch? } -- LeaderAndIsr to
 *      the replicas + UpdateMetadata to every broker, as the controller does after an election.
 *  'answering' { on: boolean }
 */
export function scriptedController(brokers: NodeId[]): Behavior<ScriptedControllerDisk, null> {
  return {
    kind: 'scripted-controller',
    createDurable: () => ({ epoch: 1, brokers, partitions: {}, nextCorrelationId: 1, answering: true }),
    boot: () => null,
    handle(state, event, ctx) {
      const disk = state.durable;
      const send = (to: NodeId, payload: object) => ctx.send(to, { ...payload, correlationId: disk.nextCorrelationId++ });
      if (event.type === 'command' && event.name === 'elect') {
        const epoch: number = event.data.controllerEpoch ?? disk.epoch;
        const states: PartitionState[] = event.data.states.map((s: PartitionState) => {
          const old = disk.partitions[tpKey(s.topic, s.partition)];
          const next = { ...s, partitionEpoch: old ? old.partitionEpoch + 1 : 0 };
          disk.partitions[tpKey(s.topic, s.partition)] = next;
          emit(ctx, {
            event: 'leader-elected', topic: s.topic, partition: s.partition, leader: s.leader ?? '', leaderEpoch: s.leaderEpoch,
            isr: s.isr, unclean: false, reason: 'scripted', controllerEpoch: epoch,
          });
          return next;
        });
        for (const b of disk.brokers) {
          const mine = states.filter((s) => s.replicas.includes(b));
          if (mine.length) send(b, { api: 'LeaderAndIsr', controllerId: ctx.self, controllerEpoch: epoch, partitions: mine });
          send(b, { api: 'UpdateMetadata', controllerId: ctx.self, controllerEpoch: epoch, liveBrokers: disk.brokers, partitions: states });
        }
      }
      if (event.type === 'command' && event.name === 'answering') disk.answering = event.data.on;
      if (event.type === 'message' && event.payload.api === 'AlterPartition' && disk.answering) {
        const req = event.payload as AlterPartitionRequest;
        const response: AlterPartitionResponse = {
          api: 'AlterPartitionResponse', correlationId: req.correlationId, error: 'NONE',
          partitions: req.partitions.map((p) => {
            const cur = disk.partitions[tpKey(p.topic, p.partition)];
            if (!cur || cur.leaderEpoch !== p.leaderEpoch || cur.partitionEpoch !== p.partitionEpoch) {
              return { ...(cur ?? { ...p, leader: null, isr: [], replicas: [] }), error: 'FENCED_LEADER_EPOCH' as const };
            }
            const next = { ...cur, isr: [...p.newIsr], partitionEpoch: cur.partitionEpoch + 1 };
            disk.partitions[tpKey(p.topic, p.partition)] = next;
            emit(ctx, { event: 'isr-changed', topic: p.topic, partition: p.partition, isr: next.isr, leaderEpoch: next.leaderEpoch, partitionEpoch: next.partitionEpoch });
            return { ...next, error: 'NONE' as const };
          }),
        };
        ctx.send(event.from, response);
      }
    },
  };
}

// ---- a detached cluster ---------------------------------------------------------------------

export interface DetachedCluster {
  sim: Simulation;
  brokers: NodeId[];
  controller: NodeId;
  probe: NodeId;
}

export function detachedCluster(options: {
  seed: string | number;
  brokers: number;
  topics?: TopicConfig[];
  config?: Partial<BrokerConfig>;
  network?: Partial<NetworkConfig>;
}): DetachedCluster {
  // Whole payloads in the trace: these tests read what was sent.
  const sim = new Simulation({ seed: options.seed, network: options.network, tracePayloads: 'full' });
  const ids = Array.from({ length: options.brokers }, (_, i) => i + 1);
  const brokers = ids.map(brokerNodeId);
  const env = { zkServers: [], config: { ...defaultBrokerConfig, ...options.config }, topics: options.topics ?? [], allBrokerIds: ids };
  for (const id of ids) sim.addNode(brokerNodeId(id), createBrokerWith(id, env, detachedModules));
  sim.addNode('controller', scriptedController(brokers));
  sim.addNode('probe', probe);
  return { sim, brokers, controller: 'controller', probe: 'probe' };
}

/** Schedules a command at `at` (default now) and runs until then. */
export function command(sim: Simulation, node: NodeId, name: string, data: unknown, at = sim.now): void {
  sim.schedule(at, { type: 'command', node, name, data });
}

export function brokerState(sim: Simulation, node: NodeId): BrokerState {
  return sim.node(node).state as BrokerState;
}

export function facts(sim: Simulation, event: string): any[] {
  return sim.trace.filter((e) => e.type === 'record' && e.event === event).map((e) => ({ node: e.node, time: e.time, ...(e.data as object) }));
}

/** A Produce request for one partition with records whose values are the ids. */
export function produceRequest(topic: string, partition: number, ids: string[], acks: 0 | 1 | -1, extra: { producerId?: number; producerEpoch?: number; baseSequence?: number; timeoutMs?: number; now?: number } = {}) {
  return {
    api: 'Produce' as const,
    acks,
    timeoutMs: extra.timeoutMs ?? 5000,
    transactionalId: null,
    partitions: [{
      topic, partition,
      batch: {
        producerId: extra.producerId ?? -1,
        producerEpoch: extra.producerEpoch ?? -1,
        baseSequence: extra.baseSequence ?? -1,
        transactional: false,
        records: ids.map((id) => ({ key: null, value: id, timestamp: extra.now ?? 0 })),
      },
    }],
  };
}
