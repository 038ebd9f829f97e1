/**
 * The end of a batch's life: ProducerBatch.done fires each record's callback once (the first final
 * state wins; a late success after an expiry is only logged by Kafka), then the Sender forgets the
 * batch and gives its memory back.
 */
import { emit } from '../../events';
import { deallocate } from './accumulator';
import { batchKey, dropBatch, type ProducerEnv } from './env';
import type { Batch, ProduceError } from './types';

/** Sender.maybeRemoveFromInflightBatches. */
export function removeFromInflightBatches(env: ProducerEnv, batch: Batch): void {
  const tp = batchKey(batch);
  const inFlight = env.m.inFlightBatches;
  const at = inFlight.findIndex((entry) => entry.tp === tp);
  if (at === -1) return;
  const list = inFlight[at].ids;
  // Most calls find the batch (it completes); one that does not changes nothing but an empty list.
  if (!list.includes(batch.id)) {
    if (list.length === 0) inFlight.splice(at, 1);
    return;
  }
  const rest = list.filter((id) => id !== batch.id);
  if (rest.length > 0) inFlight[at].ids = rest;
  else inFlight.splice(at, 1);
}

function anyListHas(lists: Record<string, number[]>, id: number): boolean {
  for (const key in lists) if (lists[key].includes(id)) return true;
  return false;
}

/** Whether an in-flight request, a deque, the in-flight batches or the idempotence state still names the batch. */
function isReferenced(m: ProducerEnv['m'], id: number): boolean {
  const connections = m.net.connections;
  for (const node in connections) for (const r of connections[node].inFlight) if (r.batchIds.includes(id)) return true;
  if (anyListHas(m.accumulator.deques, id)) return true;
  for (const entry of m.inFlightBatches) if (entry.ids.includes(id)) return true;
  const partitions = m.idempotence?.partitions;
  if (partitions) for (const tp in partitions) if (partitions[tp].inflight.includes(id)) return true;
  return false;
}

/**
 * Drops completed batches nothing refers to any more. A completed batch can still be referenced:
 * an expired batch stays in its in-flight request (its response is still read), and a batch drained
 * in the same Sender round in which it expired is sent all the same, as Kafka does.
 */
export function collectCompletedBatches(env: ProducerEnv): void {
  const { m } = env;
  // Most events complete no batch (done() lists those that do): no need to look at every batch.
  if (m.finishedBatchIds.length === 0) return;
  // Few batches complete per event: looking each one up costs less than a set of every reference.
  const kept: number[] = [];
  for (const id of m.finishedBatchIds) {
    if (isReferenced(m, id)) kept.push(id);
    else dropBatch(m, id);
  }
  m.finishedBatchIds = kept;
}

/**
 * ProducerBatch.done. Success reports offset baseOffset + index per record (-1 when the offset is
 * unknown: acks=0, or a duplicate the broker no longer has metadata for). Returns false when the
 * batch had already completed.
 */
export function done(env: ProducerEnv, batch: Batch, baseOffset: number, error: ProduceError | null): boolean {
  if (batch.finalState !== null) return false;
  batch.finalState = error === null ? 'succeeded' : 'failed';
  env.m.finishedBatchIds.push(batch.id);
  const { self, cfg } = env;
  batch.records.forEach((record, index) => {
    if (error === null) {
      emit(env.ctx, {
        event: 'produce-acked', producer: self, topic: batch.topic, partition: batch.partition, id: record.value,
        offset: baseOffset === -1 ? -1 : baseOffset + index, acks: cfg.acks, leader: batch.destination ?? '',
      });
      env.m.counters.acked += 1;
    } else {
      emit(env.ctx, { event: 'produce-failed', producer: self, id: record.value, error, topic: batch.topic });
      env.m.counters.failed += 1;
    }
  });
  return true;
}

/** Sender.maybeRemoveAndDeallocateBatch. */
export function removeAndDeallocate(env: ProducerEnv, batch: Batch): void {
  removeFromInflightBatches(env, batch);
  deallocate(env, batch);
}
