/**
 * Requests from the controller: LeaderAndIsr (become leader / follower), UpdateMetadata (the
 * metadata cache) and StopReplica. All three are fenced by the controller epoch: a request from
 * a controller older than the newest one seen is a zombie's and is rejected
 * (STALE_CONTROLLER_EPOCH), which is what keeps a paused-then-resumed controller harmless.
 */
import type { NodeId } from '@kafkasim/engine';
import { emit } from '../events';
import { onOffsetsHighWatermark, onOffsetsPartitionLeadership } from '../group/coordinator';
import { OFFSETS_TOPIC } from '../group/host';
import type {
  ErrorCode, LeaderAndIsrRequest, LeaderAndIsrResponse, PartitionState, StopReplicaRequest, StopReplicaResponse, UpdateMetadataRequest,
} from '../protocol';
import { allRecords } from '../storage';
import type { Broker } from './context';
import { runFetcher, startFollowing } from './fetcher';
import { groupHost } from './groupHost';
import { onTxnPartitionLeadership } from '../txn/coordinator';
import { TXN_TOPIC } from '../txn/host';
import { txnHost } from './txnHost';
import { afterLeaderProgress } from './hooks';
import { emitLeaderIsr, logOf, makeFollower, makeLeader, maybeIncrementLeaderHw } from './partition';
import { tryCompleteDelayedFetches, tryCompleteDelayedProduces } from './purgatory';
import { tpKey, type PartitionReplica } from './types';

type ControllerRequest = LeaderAndIsrRequest | UpdateMetadataRequest | StopReplicaRequest;

function rejectStale(b: Broker, from: NodeId, req: ControllerRequest): boolean {
  if (req.controllerEpoch >= b.v.controllerEpoch) {
    b.v.controllerEpoch = req.controllerEpoch;
    return false;
  }
  emit(b.ctx, {
    event: 'stale-controller-rejected', controller: req.controllerId, controllerEpoch: req.controllerEpoch,
    currentEpoch: b.v.controllerEpoch, api: req.api,
  });
  const error: ErrorCode = 'STALE_CONTROLLER_EPOCH';
  if (req.api === 'LeaderAndIsr') {
    b.ctx.send(from, { api: 'LeaderAndIsrResponse', correlationId: req.correlationId, error, partitions: [] });
  } else {
    b.ctx.send(from, { api: `${req.api}Response`, correlationId: req.correlationId, error });
  }
  return true;
}

function offsetsLeadership(b: Broker, p: { topic: string; partition: number }, isLeader: boolean): void {
  if (p.topic === TXN_TOPIC && b.v.txn) {
    const replica = b.v.partitions[tpKey(p.topic, p.partition)];
    const records = isLeader ? allRecords(logOf(b, p.topic, p.partition)) : [];
    onTxnPartitionLeadership(b.v.txn, p.partition, isLeader, records, isLeader && replica ? replica.highWatermark : 0, b.ctx, txnHost(b));
    return;
  }
  if (p.topic !== OFFSETS_TOPIC) return;
  const records = isLeader ? allRecords(logOf(b, p.topic, p.partition)) : [];
  onOffsetsPartitionLeadership(b.v.group, p.partition, isLeader, records, b.ctx, groupHost(b));
  // Tell the new coordinator where the HW already is: later it only hears when it advances.
  const replica = b.v.partitions[tpKey(p.topic, p.partition)];
  if (isLeader && replica) onOffsetsHighWatermark(b.v.group, p.partition, replica.highWatermark, b.ctx, groupHost(b));
}

/** Same leader epoch, newer partition epoch: only the ISR / replica set changed. */
function updateInPlace(b: Broker, p: PartitionReplica, state: PartitionState): void {
  p.isr = [...state.isr];
  p.replicas = [...state.replicas];
  p.partitionEpoch = state.partitionEpoch;
  p.pendingIsr = null;
  if (p.role !== 'leader') return;
  emitLeaderIsr(b, p);
  for (const r of state.replicas) {
    if (r !== b.self && !p.followers[r]) p.followers[r] = { logEndOffset: -1, lastCaughtUpTimeMs: 0, lastFetchLeaderLogEndOffset: -1, lastFetchTimeMs: 0 };
  }
  afterLeaderProgress(b, p, maybeIncrementLeaderHw(b, p));
}

function applyPartitionState(b: Broker, state: PartitionState): ErrorCode {
  if (!state.replicas.includes(b.self)) return 'UNKNOWN_TOPIC_OR_PARTITION';
  const key = tpKey(state.topic, state.partition);
  const existing = b.v.partitions[key];
  if (existing && state.leaderEpoch <= existing.leaderEpoch) {
    const sameLeader = state.leader === existing.leader;
    if (state.leaderEpoch === existing.leaderEpoch && sameLeader && state.partitionEpoch > existing.partitionEpoch) {
      updateInPlace(b, existing, state);
      return 'NONE';
    }
    return 'STALE_CONTROLLER_EPOCH';
  }
  const wasLeader = existing?.role === 'leader';
  if (state.leader === b.self) {
    const p = makeLeader(b, state);
    if (!wasLeader) offsetsLeadership(b, p, true);
    afterLeaderProgress(b, p, maybeIncrementLeaderHw(b, p));
  } else {
    const leaderChanged = !existing || existing.role !== 'follower' || existing.leader !== state.leader;
    const p = makeFollower(b, state);
    if (wasLeader) offsetsLeadership(b, p, false);
    startFollowing(b, p, leaderChanged, existing?.role === 'follower' ? existing.sync : null);
  }
  // Parked produces and fetches of a partition that changed hands answer now (with errors).
  tryCompleteDelayedProduces(b);
  tryCompleteDelayedFetches(b);
  return 'NONE';
}

export function handleLeaderAndIsr(b: Broker, from: NodeId, req: LeaderAndIsrRequest): void {
  if (rejectStale(b, from, req)) return;
  const partitions = req.partitions.map((state) => ({
    topic: state.topic, partition: state.partition, error: applyPartitionState(b, state),
  }));
  const response: LeaderAndIsrResponse = { api: 'LeaderAndIsrResponse', correlationId: req.correlationId, error: 'NONE', partitions };
  b.ctx.send(from, response);
}

export function handleUpdateMetadata(b: Broker, from: NodeId, req: UpdateMetadataRequest): void {
  if (rejectStale(b, from, req)) return;
  const cache = b.v.metadata;
  cache.controllerId = req.controllerId;
  cache.liveBrokers = [...req.liveBrokers].sort();
  for (const s of req.partitions) {
    cache.partitions[tpKey(s.topic, s.partition)] = { ...s, isr: [...s.isr], replicas: [...s.replicas] };
  }
  for (const tp of req.deletedPartitions ?? []) delete cache.partitions[tpKey(tp.topic, tp.partition)];
  b.ctx.send(from, { api: 'UpdateMetadataResponse', correlationId: req.correlationId, error: 'NONE' });
}

/**
 * ReplicaManager.stopReplicas: the replica stops leading or fetching; with deletePartitions its
 * log goes too (LogManager.asyncDelete: a reassignment moved it away, or its topic is deleted).
 */
export function handleStopReplica(b: Broker, from: NodeId, req: StopReplicaRequest): void {
  if (rejectStale(b, from, req)) return;
  const deleting = req.deletePartitions === true;
  for (const tp of req.partitions) {
    const key = tpKey(tp.topic, tp.partition);
    const p = b.v.partitions[key];
    const log = b.d.logs[key];
    if (p) {
      delete b.v.partitions[key];
      if (p.role === 'leader') offsetsLeadership(b, p, false);
      if (p.leader && b.v.fetchers[p.leader]) runFetcher(b, p.leader);
    }
    if (deleting && log) delete b.d.logs[key];
    if (p || (deleting && log)) {
      const records = deleting && log ? allRecords(log).length : 0;
      emit(b.ctx, { event: 'replica-stopped', topic: tp.topic, partition: tp.partition, broker: b.self, deleted: deleting && log !== undefined, records });
    }
  }
  tryCompleteDelayedProduces(b);
  tryCompleteDelayedFetches(b);
  const response: StopReplicaResponse = {
    api: 'StopReplicaResponse', correlationId: req.correlationId, error: 'NONE',
    ...(deleting ? { partitions: req.partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition })), deletePartitions: true } : {}),
  };
  b.ctx.send(from, response);
}
