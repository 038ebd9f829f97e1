/**
 * RecordAccumulator and its BufferPool: a deque of batches per partition, appends that fill the
 * last batch up to batch.size bytes, ready() (full, linger.ms elapsed, memory exhausted, not
 * backing off), drain() (the head batch of each partition led by a node, round-robin, up to
 * max.request.size), delivery-timeout expiry and re-enqueueing of retried batches.
 */
import type { NodeId } from '@kafkasim/engine';
import { createBatch, hasReachedDeliveryTimeout, hasSequence, isFull, markDrained, markReenqueued, setProducerState, shouldBackoff, tryAppend, waitedTimeMs } from './batch';
import { batchKey, batchOf, storeBatch, type ProducerEnv } from './env';
import {
  addInFlightBatch, firstInFlightSequence, hasInflightBatches, hasProducerId, hasStaleProducerIdAndEpoch,
  hasUnresolvedSequence, incrementSequenceNumber, maybeUpdateProducerIdAndEpoch, sequenceNumber,
} from './idempotence';
import { leaderFor, partitionsForNode } from './metadata';
import { tpKey, type Batch, type BatchRecord, type TpKey } from './types';

function dequeOf(env: ProducerEnv, tp: TpKey): number[] {
  let deque = env.m.accumulator.deques[tp];
  if (!deque) {
    deque = [];
    env.m.accumulator.deques[tp] = deque;
  }
  return deque;
}

// ---- BufferPool ---------------------------------------------------------------------------

/** BufferPool.allocate without blocking: true if `size` bytes were taken from buffer.memory. */
export function allocate(env: ProducerEnv, size: number): boolean {
  const acc = env.m.accumulator;
  if (acc.bufferUsed + size > env.cfg['buffer.memory']) return false;
  acc.bufferUsed += size;
  return true;
}

export function releaseMemory(env: ProducerEnv, size: number): void {
  env.m.accumulator.bufferUsed -= size;
}

/** RecordAccumulator.deallocate: the batch's buffer goes back to the pool. */
export function deallocate(env: ProducerEnv, batch: Batch): void {
  if (batch.deallocated) return;
  batch.deallocated = true;
  releaseMemory(env, batch.capacity);
}

/** BufferPool.queued() > 0: the application is blocked waiting for memory. */
export function memoryExhausted(env: ProducerEnv): boolean {
  return env.m.app.blocked?.reason === 'buffer';
}

// ---- append -------------------------------------------------------------------------------

/** RecordAccumulator.tryAppend: into the partition's last batch; a batch found full is closed for appends. */
export function tryAppendToLast(env: ProducerEnv, tp: TpKey, record: BatchRecord, recordBytes: number): number | null {
  const deque = dequeOf(env, tp);
  if (deque.length === 0) return null;
  const last = batchOf(env, deque[deque.length - 1]);
  if (tryAppend(last, record, recordBytes, env.ctx.now)) return last.id;
  last.closed = true;
  return null;
}

/**
 * RecordAccumulator.appendNewBatch, with `capacity` bytes already allocated. If the last batch has room
 * after all, the record goes there and the allocation is given back.
 */
export function appendNewBatch(env: ProducerEnv, topic: string, partition: number, record: BatchRecord, recordBytes: number, capacity: number): { batchId: number; newBatch: boolean } {
  const tp = tpKey(topic, partition);
  const existing = tryAppendToLast(env, tp, record, recordBytes);
  if (existing !== null) {
    releaseMemory(env, capacity);
    return { batchId: existing, newBatch: false };
  }
  const batch = createBatch(env.m.nextBatchId++, topic, partition, capacity, env.ctx.now);
  tryAppend(batch, record, recordBytes, env.ctx.now);
  storeBatch(env.m, batch);
  dequeOf(env, tp).push(batch.id);
  return { batchId: batch.id, newBatch: true };
}

// ---- ready --------------------------------------------------------------------------------

export interface ReadyCheckResult {
  readyNodes: NodeId[];
  nextReadyCheckDelayMs: number;
  unknownLeaderTopics: readonly string[];
}

/** What ready() reports when every leader is known (nearly every round): no array made for it. */
const NO_TOPICS: readonly string[] = Object.freeze([]);

export function ready(env: ProducerEnv): ReadyCheckResult {
  const { m, cfg, ctx } = env;
  const readyNodes: NodeId[] = [];
  let unknownLeaderTopics: string[] | null = null;
  let nextReadyCheckDelayMs = Infinity;
  const exhausted = memoryExhausted(env);
  const deques = m.accumulator.deques;
  // for...in visits keys in the order Object.entries would, without building the entries array:
  // ready() runs in every Sender round.
  for (const tp in deques) {
    const deque = deques[tp];
    if (deque.length === 0) continue;
    const batch = batchOf(env, deque[0]);
    const leader = leaderFor(env, batch.topic, batch.partition);
    if (leader === null) {
      if (unknownLeaderTopics === null) unknownLeaderTopics = [batch.topic];
      else if (!unknownLeaderTopics.includes(batch.topic)) unknownLeaderTopics.push(batch.topic);
      continue;
    }
    if (readyNodes.includes(leader) || m.accumulator.muted.includes(tp)) continue;
    const waited = waitedTimeMs(batch, ctx.now);
    const backingOff = shouldBackoff(batch, cfg['retry.backoff.ms'], ctx.now);
    const timeToWaitMs = backingOff ? cfg['retry.backoff.ms'] : cfg['linger.ms'];
    const full = deque.length > 1 || isFull(batch);
    const expired = waited >= timeToWaitMs;
    const sendable = full || expired || exhausted;
    if (sendable && !backingOff) readyNodes.push(leader);
    else nextReadyCheckDelayMs = Math.min(nextReadyCheckDelayMs, Math.max(timeToWaitMs - waited, 0));
  }
  return { readyNodes, nextReadyCheckDelayMs, unknownLeaderTopics: unknownLeaderTopics ?? NO_TOPICS };
}

// ---- drain --------------------------------------------------------------------------------

/** Idempotence keeps a partition's sequences in order: see RecordAccumulator.shouldStopDrainBatchesForPartition. */
function shouldStopDrainBatchesForPartition(env: ProducerEnv, first: Batch, tp: TpKey): boolean {
  const s = env.m.idempotence;
  if (!s) return false;
  // No producer id yet (or it is being replaced): nothing can be sent.
  if (!hasProducerId(s)) return true;
  if (!hasSequence(first)) {
    // A new batch must not get sequence 0 of a new epoch while older-epoch batches are still out.
    if (hasInflightBatches(env, tp) && hasStaleProducerIdAndEpoch(env, tp)) return true;
    // Earlier batches expired after being sent: wait until we know whether they were written.
    if (hasUnresolvedSequence(env, tp)) return true;
  }
  // A retried batch goes only when it is the first in flight: retries are sent one at a time, in order.
  const firstInFlight = firstInFlightSequence(env, tp);
  return firstInFlight !== -1 && hasSequence(first) && first.baseSequence !== firstInFlight;
}

/** The batch ids drained for `node`, null if none: the list is made with its first id (mostly the only one). */
function drainBatchesForOneNode(env: ProducerEnv, node: NodeId): number[] | null {
  const { m, cfg, ctx } = env;
  const parts = partitionsForNode(env, node);
  let ready: number[] | null = null;
  if (parts.length === 0) return ready;
  let size = 0;
  let drainIndex = (m.accumulator.drainIndex[node] ?? 0) % parts.length;
  const start = drainIndex;
  do {
    const part = parts[drainIndex];
    const tp = tpKey(part.topic, part.partition);
    m.accumulator.drainIndex[node] = drainIndex;
    drainIndex = (drainIndex + 1) % parts.length;
    if (m.accumulator.muted.includes(tp)) continue;
    const deque = m.accumulator.deques[tp];
    if (!deque || deque.length === 0) continue;
    const first = batchOf(env, deque[0]);
    if (shouldBackoff(first, cfg['retry.backoff.ms'], ctx.now)) continue;
    if (size + first.sizeBytes > cfg['max.request.size'] && ready !== null) break;
    if (shouldStopDrainBatchesForPartition(env, first, tp)) break;
    deque.shift();
    const s = m.idempotence;
    if (s && !hasSequence(first)) {
      // Sequence numbers are assigned at the first drain and kept by every retry.
      maybeUpdateProducerIdAndEpoch(env, tp);
      setProducerState(first, s.producerId, s.producerEpoch, sequenceNumber(env, tp));
      incrementSequenceNumber(env, tp, first.records.length);
      addInFlightBatch(env, first);
    }
    markDrained(first, ctx.now);
    size += first.sizeBytes;
    if (ready === null) ready = [first.id];
    else ready.push(first.id);
  } while (start !== drainIndex);
  return ready;
}

/** RecordAccumulator.drain: batch ids per node, nodes in the given order, those with none left out. */
export function drain(env: ProducerEnv, nodes: NodeId[]): { node: NodeId; batchIds: number[] }[] {
  const drained: { node: NodeId; batchIds: number[] }[] = [];
  for (const node of nodes) {
    const batchIds = drainBatchesForOneNode(env, node);
    if (batchIds !== null) drained.push({ node, batchIds });
  }
  return drained;
}

// ---- expiry and retry -----------------------------------------------------------------------

/** Batches at the head of their deque that reached delivery.timeout.ms, removed from the deque. */
export function expiredBatches(env: ProducerEnv): number[] {
  const expired: number[] = [];
  takeExpiredBatches(env, expired);
  return expired;
}

/**
 * expiredBatches into `expired`, returning the earliest delivery deadline among the batches left
 * in the accumulator (nextAccumulatorExpiryMs once they are gone): one pass over the deques in
 * every Sender round instead of two. The Sender changes no deque between the two.
 */
export function takeExpiredBatches(env: ProducerEnv, expired: number[]): number {
  let next = Infinity;
  const deques = env.m.accumulator.deques;
  const timeoutMs = env.cfg['delivery.timeout.ms'];
  for (const tp in deques) {
    const deque = deques[tp];
    while (deque.length > 0 && hasReachedDeliveryTimeout(batchOf(env, deque[0]), timeoutMs, env.ctx.now)) {
      const id = deque.shift() as number;
      batchOf(env, id).closed = true;
      expired.push(id);
    }
    if (deque.length > 0) next = Math.min(next, batchOf(env, deque[0]).createdMs + timeoutMs);
  }
  return next;
}

/**
 * RecordAccumulator.reenqueue: a retried batch goes back to the FRONT of its deque, so it is sent
 * before newer batches. With idempotence it is placed by sequence (insertInSequenceOrder).
 */
export function reenqueue(env: ProducerEnv, batch: Batch): void {
  markReenqueued(batch, env.ctx.now);
  const deque = dequeOf(env, batchKey(batch));
  if (!env.m.idempotence) {
    deque.unshift(batch.id);
    return;
  }
  let position = 0;
  while (position < deque.length) {
    const queued = batchOf(env, deque[position]);
    if (!hasSequence(queued) || queued.baseSequence >= batch.baseSequence) break;
    position += 1;
  }
  deque.splice(position, 0, batch.id);
}

export function mutePartition(env: ProducerEnv, tp: TpKey): void {
  if (!env.m.accumulator.muted.includes(tp)) env.m.accumulator.muted.push(tp);
}

export function unmutePartition(env: ProducerEnv, tp: TpKey): void {
  env.m.accumulator.muted = env.m.accumulator.muted.filter((t) => t !== tp);
}
