/**
 * The transaction coordinator hosted by every broker (Kafka's TransactionCoordinator +
 * TransactionStateManager + TransactionMarkerChannelManager). Every state change is a record in
 * __transaction_state (key `txn:<id>`, value TxnLogValue as JSON) and takes effect once the high
 * watermark passes it, so a new leader of the partition resumes where the old one stopped:
 * it loads the last value per id and finishes transactions left in PrepareCommit/PrepareAbort.
 */
import type { NodeContext, NodeEvent, NodeId } from '@kafkasim/engine';
import { emit } from '../events';
import { OFFSETS_TOPIC, partitionForGroup } from '../group/host';
import type {
  ErrorCode, FindCoordinatorRequest, InitProducerIdRequest, TopicPartition, TxnRequest, WriteTxnMarkersRequest, WriteTxnMarkersResponse,
} from '../protocol';
import type { StoredRecord } from '../storage';
import { partitionForTxn, TXN_TOPIC, type TxnHost } from './host';
import {
  TXN_MARKER_RETRY_MS, TXN_MARKER_TIMEOUT_MS,
  type ParkedTxnRequest, type TxnCoordinatorState, type TxnLogValue, type TxnMetadata, type TxnStateName,
} from './types';

export type { TxnCoordinatorState } from './types';

interface TxnEnv { tc: TxnCoordinatorState; ctx: NodeContext; host: TxnHost }

export function createTxnCoordinatorState(): TxnCoordinatorState {
  return { ownedPartitions: [], txns: {}, pendingWrites: [], highWatermarks: {}, markerRequests: [] };
}

const txnKey = (id: string) => `txn:${id}`;
const sameTp = (a: TopicPartition, b: TopicPartition) => a.topic === b.topic && a.partition === b.partition;
const sortTps = (tps: TopicPartition[]) =>
  [...tps].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));

function logValue(t: TxnMetadata): TxnLogValue {
  return { producerId: t.producerId, producerEpoch: t.producerEpoch, timeoutMs: t.timeoutMs, state: t.state, partitions: t.partitions.map((p) => ({ ...p })), startedMs: t.startedMs };
}

function send(env: TxnEnv, to: ParkedTxnRequest, body: Record<string, unknown>): void {
  env.ctx.send(to.from, { api: to.api, correlationId: to.correlationId, ...body });
}

function answer(env: TxnEnv, to: ParkedTxnRequest, error: ErrorCode, t?: TxnMetadata): void {
  if (to.api === 'InitProducerIdResponse') {
    send(env, to, { error, producerId: error === 'NONE' && t ? t.producerId : -1, producerEpoch: error === 'NONE' && t ? t.producerEpoch : -1 });
  } else {
    send(env, to, { error });
  }
}

// ---- requests ------------------------------------------------------------------------------

export function findTxnCoordinator(from: NodeId, req: FindCoordinatorRequest, ctx: NodeContext, host: TxnHost): void {
  const coordinator = host.leaderOf(TXN_TOPIC, partitionForTxn(req.key, host.txnPartitions));
  ctx.send(from, { api: 'FindCoordinatorResponse', correlationId: req.correlationId, error: coordinator ? 'NONE' : 'COORDINATOR_NOT_AVAILABLE', coordinator });
}

function status(env: TxnEnv, transactionalId: string): ErrorCode {
  return env.tc.ownedPartitions.includes(partitionForTxn(transactionalId, env.host.txnPartitions)) ? 'NONE' : 'NOT_COORDINATOR';
}

export function handleTxnRequest(tc: TxnCoordinatorState, from: NodeId, req: TxnRequest | InitProducerIdRequest, ctx: NodeContext, host: TxnHost): void {
  const env: TxnEnv = { tc, ctx, host };
  const to: ParkedTxnRequest = { from, correlationId: req.correlationId, api: `${req.api}Response` as ParkedTxnRequest['api'], error: 'NONE' };
  const transactionalId = req.transactionalId!;
  const s = status(env, transactionalId);
  if (s !== 'NONE') return answer(env, to, s);
  if (req.api === 'InitProducerId') return initProducerId(env, to, transactionalId, req.transactionTimeoutMs);
  const t = tc.txns[transactionalId];
  if (!t) return answer(env, to, 'TRANSACTIONAL_ID_NOT_FOUND');
  if (req.producerId !== t.producerId) return answer(env, to, 'UNKNOWN_PRODUCER_ID');
  // An older epoch is a zombie: a newer instance with the same transactional.id fenced it.
  if (req.producerEpoch !== t.producerEpoch) return answer(env, to, 'PRODUCER_FENCED');
  if (t.busy || t.state === 'PrepareCommit' || t.state === 'PrepareAbort') {
    // A retried EndTxn whose outcome is already decided.
    if (req.api === 'EndTxn' && !t.busy && (t.state === 'PrepareCommit') === req.committed) return answer(env, to, 'NONE');
    return answer(env, to, 'CONCURRENT_TRANSACTIONS');
  }
  switch (req.api) {
    case 'AddPartitionsToTxn': return addPartitions(env, to, t, req.partitions);
    case 'AddOffsetsToTxn':
      return addPartitions(env, to, t, [{ topic: OFFSETS_TOPIC, partition: partitionForGroup(req.groupId, host.offsetsPartitions) }]);
    case 'EndTxn': return endTxn(env, to, t, req.committed);
  }
}

function initProducerId(env: TxnEnv, to: ParkedTxnRequest, transactionalId: string, timeoutMs: number): void {
  const t = env.tc.txns[transactionalId];
  if (!t) {
    const fresh: TxnMetadata = {
      transactionalId, partition: partitionForTxn(transactionalId, env.host.txnPartitions),
      producerId: env.host.allocateProducerId(), producerEpoch: 0, timeoutMs, state: 'Empty', partitions: [], startedMs: -1,
      busy: false, pendingMarkers: [], timeoutTimer: null, abortReason: '',
    };
    env.tc.txns[transactionalId] = fresh;
    return persist(env, fresh, logValue(fresh), to);
  }
  if (t.busy || t.state === 'PrepareCommit' || t.state === 'PrepareAbort') return answer(env, to, 'CONCURRENT_TRANSACTIONS');
  if (t.state === 'Ongoing') {
    // A new instance with this transactional.id: fence the old one (bump the epoch) and abort
    // its transaction; the new instance retries until the abort completes.
    emit(env.ctx, { event: 'txn-fenced', transactionalId, producerId: t.producerId, producerEpoch: t.producerEpoch + 1, coordinator: env.host.brokerNode, abortedOngoing: true });
    t.abortReason = 'fenced by a new producer instance (InitProducerId)';
    return persist(env, t, { ...logValue(t), producerEpoch: t.producerEpoch + 1, state: 'PrepareAbort' }, { ...to, error: 'CONCURRENT_TRANSACTIONS' });
  }
  if (t.producerEpoch > 0 || t.state !== 'Empty') {
    emit(env.ctx, { event: 'txn-fenced', transactionalId, producerId: t.producerId, producerEpoch: t.producerEpoch + 1, coordinator: env.host.brokerNode, abortedOngoing: false });
  }
  persist(env, t, { ...logValue(t), producerEpoch: t.producerEpoch + 1, timeoutMs, state: 'Empty', partitions: [], startedMs: -1 }, to);
}

function addPartitions(env: TxnEnv, to: ParkedTxnRequest, t: TxnMetadata, partitions: TopicPartition[]): void {
  const ongoing = t.state === 'Ongoing';
  const current = ongoing ? t.partitions : [];
  const added = partitions.filter((p) => !current.some((q) => sameTp(p, q)));
  if (ongoing && added.length === 0) return answer(env, to, 'NONE');
  persist(env, t, {
    ...logValue(t), state: 'Ongoing',
    partitions: sortTps([...current, ...added.map((p) => ({ topic: p.topic, partition: p.partition }))]),
    startedMs: ongoing ? t.startedMs : env.ctx.now,
  }, to);
}

function endTxn(env: TxnEnv, to: ParkedTxnRequest, t: TxnMetadata, committed: boolean): void {
  if (t.state === 'CompleteCommit' && committed) return answer(env, to, 'NONE');
  if ((t.state === 'CompleteAbort' || t.state === 'Empty') && !committed) return answer(env, to, 'NONE');
  if (t.state !== 'Ongoing') return answer(env, to, 'INVALID_TXN_STATE');
  t.abortReason = 'abortTransaction';
  persist(env, t, { ...logValue(t), state: committed ? 'PrepareCommit' : 'PrepareAbort' }, to);
}

// ---- the log -------------------------------------------------------------------------------

/** Appends the new state and parks it until the high watermark passes it (acks=all). */
function persist(env: TxnEnv, t: TxnMetadata, next: TxnLogValue, reply: ParkedTxnRequest | null): void {
  const result = env.host.appendToTxnPartition(t.partition, [{ key: txnKey(t.transactionalId), value: JSON.stringify(next), timestamp: env.ctx.now }]);
  if ('error' in result) {
    if (reply) answer(env, reply, result.error === 'NOT_LEADER_OR_FOLLOWER' ? 'NOT_COORDINATOR' : 'COORDINATOR_NOT_AVAILABLE');
    return;
  }
  t.busy = true;
  env.tc.pendingWrites.push({ transactionalId: t.transactionalId, partition: t.partition, lastOffset: result.lastOffset, next, reply });
  completeWrites(env, t.partition);
}

function completeWrites(env: TxnEnv, partition: number): void {
  const hw = env.tc.highWatermarks[partition] ?? 0;
  const done = env.tc.pendingWrites.filter((w) => w.partition === partition && w.lastOffset < hw);
  if (done.length === 0) return;
  env.tc.pendingWrites = env.tc.pendingWrites.filter((w) => !done.includes(w));
  for (const w of done) {
    const t = env.tc.txns[w.transactionalId];
    if (!t) continue;
    const before: TxnStateName = t.state;
    Object.assign(t, structuredClone(w.next));
    t.busy = false;
    onStateApplied(env, t, before);
    if (w.reply) answer(env, w.reply, w.reply.error, t);
  }
}

function onStateApplied(env: TxnEnv, t: TxnMetadata, before: TxnStateName): void {
  const { ctx, host } = env;
  const base = { transactionalId: t.transactionalId, producerId: t.producerId, producerEpoch: t.producerEpoch, coordinator: host.brokerNode };
  if (t.state === 'Ongoing' && before !== 'Ongoing') {
    emit(ctx, { event: 'txn-begun', ...base });
    armTimeout(env, t);
  }
  if (t.state === 'PrepareCommit' || t.state === 'PrepareAbort') {
    clearTimeout(env, t);
    t.pendingMarkers = t.partitions.map((p) => ({ ...p }));
    sendMarkers(env, t);
  }
  if (t.state === 'CompleteCommit') emit(ctx, { event: 'txn-committed', ...base, partitions: t.partitions.map((p) => ({ ...p })) });
  if (t.state === 'CompleteAbort') emit(ctx, { event: 'txn-aborted', ...base, partitions: t.partitions.map((p) => ({ ...p })), reason: t.abortReason || 'aborted' });
}

function armTimeout(env: TxnEnv, t: TxnMetadata): void {
  clearTimeout(env, t);
  const remaining = Math.max(1, t.startedMs + t.timeoutMs - env.ctx.now);
  t.timeoutTimer = env.ctx.setTimer(remaining, 'txn:timeout', { transactionalId: t.transactionalId, producerEpoch: t.producerEpoch });
}

function clearTimeout(env: TxnEnv, t: TxnMetadata): void {
  if (t.timeoutTimer !== null) env.ctx.cancelTimer(t.timeoutTimer);
  t.timeoutTimer = null;
}

// ---- markers -------------------------------------------------------------------------------

function sendMarkers(env: TxnEnv, t: TxnMetadata): void {
  if (t.pendingMarkers.length === 0) {
    const complete: TxnStateName = t.state === 'PrepareCommit' ? 'CompleteCommit' : 'CompleteAbort';
    return persist(env, t, { ...logValue(t), state: complete }, null);
  }
  if (env.tc.markerRequests.some((r) => r.transactionalId === t.transactionalId)) return;
  const byLeader = new Map<NodeId, TopicPartition[]>();
  let missing = false;
  for (const tp of t.pendingMarkers) {
    const leader = env.host.leaderOf(tp.topic, tp.partition);
    if (!leader) {
      missing = true;
      continue;
    }
    if (!byLeader.has(leader)) byLeader.set(leader, []);
    byLeader.get(leader)!.push(tp);
  }
  for (const node of [...byLeader.keys()].sort()) {
    const correlationId = env.host.nextCorrelationId();
    const request: WriteTxnMarkersRequest = {
      api: 'WriteTxnMarkers', correlationId,
      markers: [{
        producerId: t.producerId, producerEpoch: t.producerEpoch, transactionResult: t.state === 'PrepareCommit' ? 'COMMIT' : 'ABORT',
        coordinatorEpoch: env.host.coordinatorEpoch(t.partition), partitions: byLeader.get(node)!.map((p) => ({ ...p })),
      }],
    };
    env.ctx.send(node, request);
    const timerId = env.ctx.setTimer(TXN_MARKER_TIMEOUT_MS, 'txn:marker-timeout', { correlationId });
    env.tc.markerRequests.push({ correlationId, node, transactionalId: t.transactionalId, timerId });
  }
  if (missing && byLeader.size === 0) env.ctx.setTimer(TXN_MARKER_RETRY_MS, 'txn:marker-retry', { transactionalId: t.transactionalId });
}

export function handleWriteTxnMarkersResponse(tc: TxnCoordinatorState, from: NodeId, res: WriteTxnMarkersResponse, ctx: NodeContext, host: TxnHost): void {
  const env: TxnEnv = { tc, ctx, host };
  const request = tc.markerRequests.find((r) => r.correlationId === res.correlationId && r.node === from);
  if (!request) return;
  tc.markerRequests = tc.markerRequests.filter((r) => r !== request);
  ctx.cancelTimer(request.timerId);
  const t = tc.txns[request.transactionalId];
  if (!t || (t.state !== 'PrepareCommit' && t.state !== 'PrepareAbort') || t.busy) return;
  let failed = false;
  for (const m of res.markers) {
    for (const p of m.partitions) {
      if (p.error === 'NONE') t.pendingMarkers = t.pendingMarkers.filter((q) => !sameTp(p, q));
      else failed = true;
    }
  }
  if (failed && t.pendingMarkers.length > 0 && !tc.markerRequests.some((r) => r.transactionalId === t.transactionalId)) {
    ctx.setTimer(TXN_MARKER_RETRY_MS, 'txn:marker-retry', { transactionalId: t.transactionalId });
    return;
  }
  if (!tc.markerRequests.some((r) => r.transactionalId === t.transactionalId)) sendMarkers(env, t);
}

/** Timers named 'txn:*'. */
export function handleTxnTimer(tc: TxnCoordinatorState, event: Extract<NodeEvent, { type: 'timer' }>, ctx: NodeContext, host: TxnHost): void {
  const env: TxnEnv = { tc, ctx, host };
  const data = (event.data ?? {}) as { transactionalId?: string; producerEpoch?: number; correlationId?: number };
  switch (event.name) {
    case 'txn:timeout': {
      const t = tc.txns[data.transactionalId!];
      if (!t || t.timeoutTimer !== event.timerId) return;
      t.timeoutTimer = null;
      if (t.state !== 'Ongoing' || t.busy || t.producerEpoch !== data.producerEpoch) return;
      // Kafka aborts an expired transaction with a bumped epoch, fencing the slow producer.
      t.abortReason = `transaction.timeout.ms (${t.timeoutMs} ms) expired`;
      return persist(env, t, { ...logValue(t), producerEpoch: t.producerEpoch + 1, state: 'PrepareAbort' }, null);
    }
    case 'txn:marker-timeout': {
      const request = tc.markerRequests.find((r) => r.correlationId === data.correlationId && r.timerId === event.timerId);
      if (!request) return;
      tc.markerRequests = tc.markerRequests.filter((r) => r !== request);
      const t = tc.txns[request.transactionalId];
      if (t && !tc.markerRequests.some((r) => r.transactionalId === t.transactionalId)) sendMarkers(env, t);
      return;
    }
    case 'txn:marker-retry': {
      const t = tc.txns[data.transactionalId!];
      if (t && !t.busy && (t.state === 'PrepareCommit' || t.state === 'PrepareAbort')) sendMarkers(env, t);
      return;
    }
  }
}

// ---- leadership of __transaction_state partitions ----------------------------------------------

/** Replays a partition's log: the last value per transactional id wins. */
export function loadTxnPartition(records: readonly StoredRecord[]): Record<string, TxnLogValue> {
  const out: Record<string, TxnLogValue> = {};
  for (const r of records) {
    if (r.control || !r.key?.startsWith('txn:')) continue;
    out[r.key.slice('txn:'.length)] = JSON.parse(r.value) as TxnLogValue;
  }
  return out;
}

export function onTxnPartitionLeadership(
  tc: TxnCoordinatorState, partition: number, isLeader: boolean, records: StoredRecord[], highWatermark: number, ctx: NodeContext, host: TxnHost,
): void {
  const env: TxnEnv = { tc, ctx, host };
  if (isLeader) {
    if (tc.ownedPartitions.includes(partition)) return;
    tc.ownedPartitions = [...tc.ownedPartitions, partition].sort((a, b) => a - b);
    tc.highWatermarks[partition] = highWatermark;
    // Only what the high watermark covers was acknowledged; later records may still be truncated,
    // but Kafka loads up to the log end too, and so does this.
    const loaded = loadTxnPartition(records);
    for (const id of Object.keys(loaded).sort()) {
      const t: TxnMetadata = { ...loaded[id], transactionalId: id, partition, busy: false, pendingMarkers: [], timeoutTimer: null, abortReason: 'coordinator failover' };
      tc.txns[id] = t;
      if (t.state === 'Ongoing') armTimeout(env, t);
      if (t.state === 'PrepareCommit' || t.state === 'PrepareAbort') onStateApplied(env, t, t.state);
    }
    return;
  }
  if (!tc.ownedPartitions.includes(partition)) return;
  tc.ownedPartitions = tc.ownedPartitions.filter((p) => p !== partition);
  for (const id of Object.keys(tc.txns).sort()) {
    const t = tc.txns[id];
    if (t.partition !== partition) continue;
    clearTimeout(env, t);
    delete tc.txns[id];
  }
  for (const w of tc.pendingWrites.filter((x) => x.partition === partition)) if (w.reply) answer(env, w.reply, 'NOT_COORDINATOR');
  tc.pendingWrites = tc.pendingWrites.filter((x) => x.partition !== partition);
  delete tc.highWatermarks[partition];
}

export function onTxnHighWatermark(tc: TxnCoordinatorState, partition: number, highWatermark: number, ctx: NodeContext, host: TxnHost): void {
  if (!tc.ownedPartitions.includes(partition)) return;
  tc.highWatermarks[partition] = Math.max(tc.highWatermarks[partition] ?? 0, highWatermark);
  completeWrites({ tc, ctx, host }, partition);
}
