/**
 * Kafka's delayed operations: a produce with acks=all waits for the high watermark to pass its
 * records (DelayedProduce), a fetch waits for data (DelayedFetch: long polling). Both are
 * re-checked whenever something they wait for may have happened and expire on a timer.
 */
import { emit } from '../events';
import type { ErrorCode, FetchRequest, ProduceResponse } from '../protocol';
import type { NodeId } from '@kafkasim/engine';
import { topicConfig, type Broker } from './context';
import { fetchFindsNothing, fetchResponse, readForFetch } from './fetchRead';
import { tpKey, type DelayedFetch, type DelayedProduce, type DelayedProducePartition } from './types';

// ---- produce ------------------------------------------------------------------------------

/** Partition.checkEnoughReplicasReachOffset: null while still waiting. */
function produceStatus(b: Broker, part: DelayedProducePartition): ErrorCode | null {
  if (part.error !== null) return part.error;
  const p = b.v.partitions[tpKey(part.topic, part.partition)];
  if (!p || p.role !== 'leader') return 'NOT_LEADER_OR_FOLLOWER';
  if (p.highWatermark < part.requiredOffset) return null;
  // Acknowledged by the ISR, but the ISR shrank below min.insync.replicas meanwhile.
  return p.isr.length < topicConfig(b, p.topic, 'min.insync.replicas') ? 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' : 'NONE';
}

export function rejectFact(b: Broker, topic: string, partition: number, error: ErrorCode, ids: string[]): void {
  emit(b.ctx, { event: 'produce-rejected', topic, partition, broker: b.self, error, ids });
}

export function sendProduceResponse(b: Broker, op: { from: NodeId; correlationId: number; partitions: DelayedProducePartition[] }): void {
  // A loop, not map with a closure: every produce with acks is answered here.
  const partitions: ProduceResponse['partitions'] = new Array(op.partitions.length);
  for (let i = 0; i < partitions.length; i++) {
    const part = op.partitions[i];
    const error = part.error ?? 'NONE';
    const log = b.d.logs[tpKey(part.topic, part.partition)];
    partitions[i] = {
      topic: part.topic, partition: part.partition, error,
      baseOffset: error === 'NONE' ? part.baseOffset : -1,
      logStartOffset: log ? log.logStartOffset : -1,
    };
  }
  const response: ProduceResponse = { api: 'ProduceResponse', correlationId: op.correlationId, partitions };
  b.ctx.send(op.from, response);
}

/** Answers the produce; the caller takes it out of the parked ones (if it was parked). */
function completeProduce(b: Broker, op: DelayedProduce): void {
  b.ctx.cancelTimer(op.timerId);
  sendProduceResponse(b, op);
}

function tryCompleteProduce(b: Broker, op: DelayedProduce): boolean {
  for (const part of op.partitions) {
    if (part.error !== null) continue;
    const status = produceStatus(b, part);
    if (status === null) return false;
    if (status !== 'NONE') rejectFact(b, part.topic, part.partition, status, part.ids);
    part.error = status;
  }
  completeProduce(b, op);
  return true;
}

export function addDelayedProduce(b: Broker, from: NodeId, correlationId: number, timeoutMs: number, partitions: DelayedProducePartition[]): void {
  const id = b.v.nextDelayedId++;
  const op: DelayedProduce = { id, from, correlationId, partitions, timerId: 0 };
  if (tryCompleteProduce(b, op)) return;
  op.timerId = b.ctx.setTimer(timeoutMs, 'broker:produce-timeout', { id });
  b.v.delayedProduces.push(op);
}

export function tryCompleteDelayedProduces(b: Broker): void {
  // The ones still waiting are moved up in the same array as the loop goes, instead of a
  // filtered copy per completion (completing parks nothing new, so the loop sees every one).
  const ops = b.v.delayedProduces;
  let kept = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (!tryCompleteProduce(b, op)) ops[kept++] = op;
  }
  if (kept !== ops.length) ops.length = kept;
}

export function expireDelayedProduce(b: Broker, id: number): void {
  const op = b.v.delayedProduces.find((x) => x.id === id);
  if (!op) return;
  if (!tryCompleteProduce(b, op)) {
    for (const part of op.partitions) {
      if (part.error !== null) continue;
      part.error = 'REQUEST_TIMED_OUT';
      rejectFact(b, part.topic, part.partition, 'REQUEST_TIMED_OUT', part.ids);
    }
    completeProduce(b, op);
  }
  b.v.delayedProduces = b.v.delayedProduces.filter((x) => x.id !== id);
}

// ---- fetch --------------------------------------------------------------------------------

/** Answers now if there is an error, enough data or no wait; else parks the fetch. */
export function answerOrPark(b: Broker, from: NodeId, req: FetchRequest): void {
  // A caught-up fetch that may wait is parked without reading (the read would find nothing).
  if (req.maxWaitMs <= 0 || !fetchFindsNothing(b, req)) {
    const read = readForFetch(b, req);
    if (read.hasError || read.bytes >= Math.max(req.minBytes, 1) || req.maxWaitMs <= 0) {
      b.ctx.send(from, fetchResponse(req.correlationId, read.partitions));
      return;
    }
  }
  const id = b.v.nextDelayedId++;
  const timerId = b.ctx.setTimer(req.maxWaitMs, 'broker:fetch-timeout', { id });
  b.v.delayedFetches.push({ id, from, request: req, timerId });
}

/**
 * DelayedFetch.tryComplete for the parked fetches (after appends, HW moves, role changes). Given
 * a partition, only the fetches that
 * ask for it are checked (Kafka's purgatory is keyed by partition too): the others read what
 * they read before, and re-reading every parked fetch after every append made the broker's
 * cost grow with fetchers x partitions.
 */
function asksFor(req: FetchRequest, topic: string, partition: number): boolean {
  for (const tp of req.partitions) if (tp.partition === partition && tp.topic === topic) return true;
  return false;
}

export function tryCompleteDelayedFetches(b: Broker, changed?: { topic: string; partition: number }): void {
  // The ones still waiting are moved up in the same array as the loop goes, instead of a
  // filtered copy per completion (answering parks nothing new, so the loop sees every one).
  const ops = b.v.delayedFetches;
  let kept = 0;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (!tryCompleteFetch(b, op, changed)) ops[kept++] = op;
  }
  if (kept !== ops.length) ops.length = kept;
}

/** Answers the parked fetch if it now has an error or enough data; false while it waits. */
function tryCompleteFetch(b: Broker, op: DelayedFetch, changed?: { topic: string; partition: number }): boolean {
  if (changed && !asksFor(op.request, changed.topic, changed.partition)) return false;
  if (fetchFindsNothing(b, op.request)) return false;
  const read = readForFetch(b, op.request);
  if (!read.hasError && read.bytes < Math.max(op.request.minBytes, 1)) return false;
  b.ctx.cancelTimer(op.timerId);
  b.ctx.send(op.from, fetchResponse(op.request.correlationId, read.partitions));
  return true;
}

export function expireDelayedFetch(b: Broker, id: number): void {
  const op = b.v.delayedFetches.find((x) => x.id === id);
  if (!op) return;
  b.v.delayedFetches = b.v.delayedFetches.filter((x) => x.id !== id);
  b.ctx.send(op.from, fetchResponse(op.request.correlationId, readForFetch(b, op.request).partitions));
}
