/**
 * The end of a batch's life: ProducerBatch.done fires each record's callback once (the first final
 * state wins; a late success after an expiry is only logged by Kafka), then the Sender forgets the
 * batch and gives its memory back.
 */
import { emit } from '../../events';
import { deallocate } from './accumulator';
import { batchKey, type ProducerEnv } from './env';
import type { Batch, ProduceError } from './types';

/** Sender.maybeRemoveFromInflightBatches. */
export function removeFromInflightBatches(env: ProducerEnv, batch: Batch): void {
  const tp = batchKey(batch);
  const list = env.m.inFlightBatches[tp];
  if (!list) return;
  const rest = list.filter((id) => id !== batch.id);
  if (rest.length > 0) env.m.inFlightBatches[tp] = rest;
  else delete env.m.inFlightBatches[tp];
}

/**
 * Drops completed batches nothing refers to any more. A completed batch can still be referenced:
 * an expired batch stays in its in-flight request (its response is still read), and a batch drained
 * in the same Sender round in which it expired is sent all the same, as Kafka does.
 */
export function collectCompletedBatches(env: ProducerEnv): void {
  const { m } = env;
  // Most events complete no batch (done() raises the flag): no need to look at every batch.
  if (!m.finishedBatchesPending) return;
  const referenced = new Set<number>();
  for (const conn of Object.values(m.net.connections)) for (const r of conn.inFlight) for (const id of r.batchIds) referenced.add(id);
  for (const ids of Object.values(m.accumulator.deques)) for (const id of ids) referenced.add(id);
  for (const ids of Object.values(m.inFlightBatches)) for (const id of ids) referenced.add(id);
  for (const entry of Object.values(m.idempotence?.partitions ?? {})) for (const id of entry.inflight) referenced.add(id);
  let stillReferenced = false;
  for (const batch of Object.values(m.batches)) {
    if (batch.finalState === null) continue;
    if (referenced.has(batch.id)) stillReferenced = true;
    else delete m.batches[batch.id];
  }
  m.finishedBatchesPending = stillReferenced;
}

/**
 * ProducerBatch.done. Success reports offset baseOffset + index per record (-1 when the offset is
 * unknown: acks=0, or a duplicate the broker no longer has metadata for). Returns false when the
 * batch had already completed.
 */
export function done(env: ProducerEnv, batch: Batch, baseOffset: number, error: ProduceError | null): boolean {
  if (batch.finalState !== null) return false;
  batch.finalState = error === null ? 'succeeded' : 'failed';
  env.m.finishedBatchesPending = true;
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
