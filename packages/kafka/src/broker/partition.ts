/**
 * One partition replica on this broker (Kafka's Partition): becoming leader or follower, the
 * leader's high watermark and its view of the followers. Purgatories and the fetcher react to
 * what these functions report; this file never sends anything.
 */
import type { NodeId } from '@kafkasim/engine';
import { emit } from '../events';
import type { PartitionState } from '../protocol';
import { allRecords, assignEpoch, checkpointHighWatermark, createLog, type Log } from '../storage';
import { logConfigFor, type Broker } from './context';
import { rebuildFromLog } from './producerState';
import { rebuildTxnsFromLog } from './txnState';
import { tpKey, type FollowerView, type PartitionReplica } from './types';

/** The partition's log, made on first use; `key`: tpKey(topic, partition) when the caller has it already. */
export function logOf(b: Broker, topic: string, partition: number, key = tpKey(topic, partition)): Log {
  let log = b.d.logs[key];
  if (!log) {
    log = createLog(key, logConfigFor(b, topic));
    b.d.logs[key] = log;
  }
  return log;
}

export function leaderOf(b: Broker, topic: string, partition: number): PartitionReplica | null {
  const p = b.v.partitions[tpKey(topic, partition)];
  return p && p.role === 'leader' ? p : null;
}

function freshFollowerView(inSync: boolean, now: number): FollowerView {
  // Partition.makeLeader -> Replica.resetReplicaState: the new leader knows nothing of the
  // followers' logs yet; in-sync ones get a fresh lastCaughtUpTime so they are not shrunk at once.
  return { logEndOffset: -1, lastCaughtUpTimeMs: inSync ? now : 0, lastFetchLeaderLogEndOffset: -1, lastFetchTimeMs: 0 };
}

/** Partition.makeLeader. Returns the replica (the caller completes purgatories and HW). */
export function makeLeader(b: Broker, state: PartitionState): PartitionReplica {
  const key = tpKey(state.topic, state.partition);
  const log = logOf(b, state.topic, state.partition);
  const previous = b.v.partitions[key];
  const hw = previous ? previous.highWatermark : Math.min(log.highWatermarkCheckpoint, log.logEndOffset);
  // The new epoch starts at our LEO: followers ask where it began (KIP-101).
  assignEpoch(log.epochCache, state.leaderEpoch, log.logEndOffset);
  // Still the leader (only the epoch moved, e.g. the controller changed the ISR): Kafka keeps
  // what it knows of the followers and the producers; a new leader starts from nothing.
  const stillLeader = previous?.role === 'leader';
  const followers: Record<NodeId, FollowerView> = {};
  for (const r of state.replicas) {
    if (r === b.self) continue;
    followers[r] = stillLeader && previous.followers[r] ? previous.followers[r] : freshFollowerView(state.isr.includes(r), b.ctx.now);
  }
  const p: PartitionReplica = {
    topic: state.topic,
    partition: state.partition,
    role: 'leader',
    leader: b.self,
    leaderEpoch: state.leaderEpoch,
    partitionEpoch: state.partitionEpoch,
    replicas: [...state.replicas],
    isr: [...state.isr],
    highWatermark: hw,
    leaderEpochStartOffset: log.logEndOffset,
    followers,
    pendingIsr: null,
    producers: stillLeader ? previous.producers : rebuildFromLog(allRecords(log)),
    sync: null,
  };
  const txns = stillLeader ? previous.txns : rebuildTxnsFromLog(allRecords(log));
  if (txns) p.txns = txns;
  b.v.partitions[key] = p;
  emit(b.ctx, {
    event: 'become-leader', topic: state.topic, partition: state.partition, broker: b.self,
    leaderEpoch: state.leaderEpoch, logEndOffset: log.logEndOffset, highWatermark: hw,
  });
  emitLeaderIsr(b, p);
  return p;
}

/** After the leader's own ISR was set or changed. */
export function emitLeaderIsr(b: Broker, p: PartitionReplica): void {
  emit(b.ctx, { event: 'leader-isr', topic: p.topic, partition: p.partition, broker: b.self, leaderEpoch: p.leaderEpoch, isr: [...p.isr] });
}

/** Partition.makeFollower: stop serving; the fetcher truncates and fetches. */
export function makeFollower(b: Broker, state: PartitionState): PartitionReplica {
  const key = tpKey(state.topic, state.partition);
  const log = logOf(b, state.topic, state.partition);
  const previous = b.v.partitions[key];
  const hw = previous ? previous.highWatermark : Math.min(log.highWatermarkCheckpoint, log.logEndOffset);
  const p: PartitionReplica = {
    topic: state.topic,
    partition: state.partition,
    role: 'follower',
    leader: state.leader,
    leaderEpoch: state.leaderEpoch,
    partitionEpoch: state.partitionEpoch,
    replicas: [...state.replicas],
    isr: [...state.isr],
    highWatermark: hw,
    leaderEpochStartOffset: -1,
    followers: {},
    pendingIsr: null,
    producers: {},
    sync: null,
  };
  b.v.partitions[key] = p;
  emit(b.ctx, {
    event: 'become-follower', topic: state.topic, partition: state.partition, broker: b.self,
    leader: state.leader, leaderEpoch: state.leaderEpoch,
  });
  return p;
}

/**
 * Sets the HW if it moves forward; checkpoints it (replication-offset-checkpoint) and emits the
 * fact. `log`: the partition's log when the caller has it (once per fetch and append otherwise looked up again).
 */
export function advanceHighWatermark(b: Broker, p: PartitionReplica, candidate: number, log: Log = logOf(b, p.topic, p.partition)): boolean {
  const hw = Math.min(candidate, log.logEndOffset);
  if (hw <= p.highWatermark) return false;
  p.highWatermark = hw;
  checkpointHighWatermark(log, hw);
  emit(b.ctx, { event: 'high-watermark', topic: p.topic, partition: p.partition, broker: b.self, highWatermark: hw });
  return true;
}

/** ISR plus replicas being added by a pending expansion: the HW waits for all of them (Kafka's maximalIsr). */
export function maximalIsr(p: PartitionReplica): NodeId[] {
  if (p.pendingIsr && p.pendingIsr.kind === 'expand') {
    return [...p.isr, ...p.pendingIsr.newIsr.filter((r) => !p.isr.includes(r))];
  }
  return p.isr;
}

/** Partition.maybeIncrementLeaderHW: HW = min LEO over the (maximal) ISR, never backwards. `log`: as advanceHighWatermark. */
export function maybeIncrementLeaderHw(b: Broker, p: PartitionReplica, log: Log = logOf(b, p.topic, p.partition)): boolean {
  let candidate = log.logEndOffset;
  for (const r of maximalIsr(p)) {
    if (r === b.self) continue;
    const view = p.followers[r];
    candidate = Math.min(candidate, view ? view.logEndOffset : -1);
  }
  return advanceHighWatermark(b, p, candidate, log);
}

/** Replica.updateFetchState: Kafka's lastCaughtUpTimeMs rule. */
export function updateFollowerFetchState(p: PartitionReplica, follower: NodeId, fetchOffset: number, leaderLeo: number, now: number): void {
  const view = p.followers[follower];
  if (!view) return;
  if (fetchOffset >= leaderLeo) view.lastCaughtUpTimeMs = Math.max(view.lastCaughtUpTimeMs, now);
  else if (fetchOffset >= view.lastFetchLeaderLogEndOffset) {
    view.lastCaughtUpTimeMs = Math.max(view.lastCaughtUpTimeMs, view.lastFetchTimeMs);
  }
  view.logEndOffset = fetchOffset;
  view.lastFetchLeaderLogEndOffset = leaderLeo;
  view.lastFetchTimeMs = now;
}

/** Partition.getOutOfSyncReplicas: followers not caught up to the LEO for replica.lag.time.max.ms. */
export function outOfSyncReplicas(b: Broker, p: PartitionReplica): NodeId[] {
  const leo = logOf(b, p.topic, p.partition).logEndOffset;
  const maxLag = b.env.config['replica.lag.time.max.ms'];
  return p.isr.filter((r) => {
    if (r === b.self) return false;
    const view = p.followers[r];
    if (!view) return true;
    return view.logEndOffset !== leo && b.ctx.now - view.lastCaughtUpTimeMs > maxLag;
  });
}

/** Partition.isFollowerInSync for expansion: caught up to the HW and into this leader's epoch. */
export function canJoinIsr(b: Broker, p: PartitionReplica, follower: NodeId): boolean {
  const view = p.followers[follower];
  if (!view || p.isr.includes(follower)) return false;
  return view.logEndOffset >= p.highWatermark && view.logEndOffset >= p.leaderEpochStartOffset;
}
