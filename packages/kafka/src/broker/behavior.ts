/**
 * The broker node 'broker-<id>': boot, crash, and the dispatcher that routes every event to the
 * zk client, the hosted controller, the hosted group coordinator or the broker's own handlers.
 *
 * What a crash keeps (durable): every partition log (segments, sparse index, epoch cache, HW
 * checkpoint) and the producer-id counter. With kafkasim.crash.mode = 'power-loss' each log
 * also loses what was not flushed (Kafka flushes a segment when it rolls; see storage's
 * durability.ts). Everything else (zk session, controller, roles, metadata, fetchers,
 * purgatories, group coordinator, producer state) is memory and is rebuilt after a restart.
 */
import type { Behavior, NodeContext, NodeEvent } from '@kafkasim/engine';
import type { ZkClientOutput } from '../coordinator/api';
import type { ControllerEnv } from '../controller';
import { createGroupCoordinatorState, handleGroupRequest, handleGroupTimer } from '../group/coordinator';
import { brokerNodeId, type GroupRequest } from '../protocol';
import { emit } from '../events';
import { allRecords, loseUnflushed } from '../storage';
import type { Broker } from './context';
import { handleLeaderAndIsr, handleStopReplica, handleUpdateMetadata } from './controlRequests';
import { handleFetcherResponse, onFetcherBackoff, onFetcherTimeout } from './fetcher';
import { handleFetch } from './fetchServe';
import { groupHost } from './groupHost';
import { createTxnCoordinatorState, findTxnCoordinator, handleTxnRequest, handleTxnTimer, handleWriteTxnMarkersResponse } from '../txn/coordinator';
import { txnHost } from './txnHost';
import { handleWriteTxnMarkers } from './txnMarkers';
import type { HostedModules } from './hosted';
import { checkIsrs, handleAlterPartitionResponse, retryAlterPartition } from './isr';
import { handleInitProducerId, handleProduce } from './produce';
import { expireDelayedFetch, expireDelayedProduce } from './purgatory';
import { handleListOffsets, handleMetadata, handleOffsetsForLeaderEpoch } from './queries';
import { onRegisterResult, onSession, register } from './registration';
import { handleControlledShutdownResponse, onDeregisterResult, onShutdownTimer, SHUTDOWN_TIMER, startShutdown } from './shutdown';
import type { BrokerDurable, BrokerEnv, BrokerVolatile } from './types';

const GROUP_APIS = new Set(['FindCoordinator', 'JoinGroup', 'SyncGroup', 'Heartbeat', 'LeaveGroup', 'OffsetCommit', 'OffsetFetch', 'TxnOffsetCommit']);
const TXN_APIS = new Set(['AddPartitionsToTxn', 'AddOffsetsToTxn', 'EndTxn']);

/** Requests for the hosted transaction coordinator (clusters with transactions only). Returns whether it took it. */
function onTxnMessage(b: Broker, from: string, payload: any): boolean {
  const tc = b.v.txn;
  if (!tc) return false;
  if (payload?.api === 'FindCoordinator' && payload.keyType === 'transaction') findTxnCoordinator(from, payload, b.ctx, txnHost(b));
  else if (payload?.api === 'InitProducerId' && payload.transactionalId !== null) handleTxnRequest(tc, from, payload, b.ctx, txnHost(b));
  else if (TXN_APIS.has(payload?.api)) handleTxnRequest(tc, from, payload, b.ctx, txnHost(b));
  else if (payload?.api === 'WriteTxnMarkers') handleWriteTxnMarkers(b, from, payload);
  else if (payload?.api === 'WriteTxnMarkersResponse') handleWriteTxnMarkersResponse(tc, from, payload, b.ctx, txnHost(b));
  else return false;
  return true;
}

function controllerEnv(b: Broker): ControllerEnv {
  const env: ControllerEnv = {
    zk: b.v.zk, brokerNode: b.self, brokerId: b.v.brokerId, config: b.env.config,
    topics: b.env.topics, allBrokerIds: b.env.allBrokerIds,
  };
  // Set, not spread from a temporary object: the same keys in the same order, two objects fewer.
  if (b.env.transactions) env.transactions = true;
  if (b.env.admin) env.admin = true;
  return env;
}

function onZkOutputs(b: Broker, hosted: HostedModules, outputs: ZkClientOutput[]): void {
  for (const output of outputs) {
    if (output.type === 'session') {
      // The controller first: on 'connected' it creates the top-level paths our registration needs.
      hosted.controllerOnSession(b.v.controller, output.state, controllerEnv(b), b.ctx);
      onSession(b, hosted, output);
      continue;
    }
    if (hosted.controllerOnZk(b.v.controller, output, controllerEnv(b), b.ctx)) continue;
    if (onDeregisterResult(b, output)) continue;
    onRegisterResult(b, hosted, output);
  }
}

function onMessage(b: Broker, hosted: HostedModules, from: string, payload: any): void {
  // The data plane first: neither the hosted controller nor the transaction coordinator takes
  // these, and asking them first built a ControllerEnv for nearly every message a broker gets.
  switch (payload?.api) {
    case 'Produce': return handleProduce(b, from, payload);
    case 'Fetch': return handleFetch(b, from, payload);
    case 'FetchResponse':
      handleFetcherResponse(b, from, payload);
      return;
  }
  if (hosted.controllerOnMessage(b.v.controller, from, payload, controllerEnv(b), b.ctx)) return;
  if (onTxnMessage(b, from, payload)) return;
  switch (payload?.api) {
    case 'ListOffsets': return handleListOffsets(b, from, payload);
    case 'OffsetsForLeaderEpoch': return handleOffsetsForLeaderEpoch(b, from, payload);
    case 'Metadata': return handleMetadata(b, from, payload);
    case 'InitProducerId': return handleInitProducerId(b, from, payload);
    case 'LeaderAndIsr': return handleLeaderAndIsr(b, from, payload);
    case 'UpdateMetadata': return handleUpdateMetadata(b, from, payload);
    case 'StopReplica': return handleStopReplica(b, from, payload);
    case 'AlterPartitionResponse': return handleAlterPartitionResponse(b, payload);
    case 'ControlledShutdownResponse': return handleControlledShutdownResponse(b, hosted, payload);
    case 'OffsetsForLeaderEpochResponse':
    case 'ListOffsetsResponse':
      handleFetcherResponse(b, from, payload);
      return;
    default:
      if (GROUP_APIS.has(payload?.api)) handleGroupRequest(b.v.group, from, payload as GroupRequest, b.ctx, groupHost(b));
  }
}

function onTimer(b: Broker, hosted: HostedModules, event: Extract<NodeEvent, { type: 'timer' }>): void {
  const data = event.data ?? {};
  if (event.name.startsWith('ctl:')) {
    hosted.controllerOnTimer(b.v.controller, event, controllerEnv(b), b.ctx);
    return;
  }
  if (event.name.startsWith('group:')) {
    handleGroupTimer(b.v.group, event, b.ctx, groupHost(b));
    return;
  }
  if (event.name.startsWith('txn:')) {
    if (b.v.txn) handleTxnTimer(b.v.txn, event, b.ctx, txnHost(b));
    return;
  }
  switch (event.name) {
    case 'broker:isr-check':
      checkIsrs(b);
      b.ctx.setTimer(isrCheckInterval(b.env), 'broker:isr-check');
      return;
    case 'broker:produce-timeout': return expireDelayedProduce(b, data.id);
    case 'broker:fetch-timeout': return expireDelayedFetch(b, data.id);
    case 'broker:fetcher-timeout': return onFetcherTimeout(b, data.leader, data.correlationId);
    case 'broker:fetcher-backoff': return onFetcherBackoff(b, data.leader);
    case 'broker:alter-partition-retry': return retryAlterPartition(b, data.key, data.correlationId);
    case 'broker:register-retry': return register(b, hosted);
    case SHUTDOWN_TIMER: return onShutdownTimer(b, hosted, data);
  }
}

function splitKey(key: string): { topic: string; partition: number } {
  const i = key.lastIndexOf('-');
  return { topic: key.slice(0, i), partition: Number(key.slice(i + 1)) };
}

/** The facts of a power loss can only be written once the broker runs again. */
function reportPowerLosses(durable: BrokerDurable, ctx: NodeContext, self: string): void {
  for (const loss of durable.powerLosses) emit(ctx, { event: 'truncate', broker: self, rule: 'power-loss', ...loss });
  durable.powerLosses = [];
}

/** Kafka's isr-expiration task runs every replica.lag.time.max.ms / 2. */
const isrCheckInterval = (env: BrokerEnv): number => Math.max(1, Math.floor(env.config['replica.lag.time.max.ms'] / 2));

export function createBrokerWith(brokerId: number, env: BrokerEnv, hosted: HostedModules): Behavior<BrokerDurable, BrokerVolatile> {
  const self = brokerNodeId(brokerId);
  const broker = (state: { durable: BrokerDurable; volatile: BrokerVolatile }, ctx: NodeContext): Broker => ({
    d: state.durable, v: state.volatile, env, ctx, self,
  });
  return {
    kind: 'broker',
    createDurable: () => ({ brokerId, logs: {}, nextProducerSeq: 0, registrations: 0, powerLosses: [] }),
    boot(durable, ctx) {
      const volatile: BrokerVolatile = {
        brokerId,
        zk: hosted.zkClientCreate({ servers: env.zkServers, sessionTimeoutMs: env.config['zookeeper.session.timeout.ms'] }),
        controller: hosted.createControllerState(),
        sessionId: null,
        registered: false,
        brokerEpoch: -1,
        controllerEpoch: 0,
        partitions: {},
        metadata: { controllerId: null, liveBrokers: [], partitions: {} },
        fetchers: {},
        delayedProduces: [],
        delayedFetches: [],
        nextCorrelationId: 1,
        nextDelayedId: 1,
        group: createGroupCoordinatorState(),
        ...(env.transactions ? { txn: createTxnCoordinatorState() } : {}),
      };
      reportPowerLosses(durable, ctx, self);
      hosted.zkClientStart(volatile.zk, ctx);
      ctx.setTimer(isrCheckInterval(env), 'broker:isr-check');
      return volatile;
    },
    handle(state, event, ctx) {
      const b = broker(state, ctx);
      const zkOutputs = hosted.zkClientHandle(b.v.zk, event, ctx);
      if (zkOutputs !== null) return onZkOutputs(b, hosted, zkOutputs);
      if (event.type === 'message') return onMessage(b, hosted, event.from, event.payload);
      if (event.type === 'timer') return onTimer(b, hosted, event);
      // A clean shutdown (SIGTERM), scheduled by a scenario's 'shutdown' action.
      if (event.type === 'command' && event.name === 'shutdown') return startShutdown(b, hosted);
    },
    afterCrash(durable) {
      if (env.config['kafkasim.crash.mode'] !== 'power-loss') return durable;
      for (const key of Object.keys(durable.logs).sort()) {
        const log = durable.logs[key];
        const removedIds = allRecords(log).filter((r) => r.offset >= log.recoveryPoint).map((r) => r.value);
        const lost = loseUnflushed(log);
        if (lost.lostTo > lost.lostFrom) {
          const { topic, partition } = splitKey(key);
          durable.powerLosses.push({ topic, partition, from: lost.lostTo, to: lost.lostFrom, removedIds });
        }
      }
      return durable;
    },
  };
}
