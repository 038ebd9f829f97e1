/**
 * ProducerBatch as functions over plain data: sizing (MemoryRecordsBuilder.hasRoomFor / isFull),
 * the retry clock (waitedTimeMs, reenqueued) and sequence arithmetic (DefaultRecordBatch.incrementSequence).
 */
import { RECORD_BATCH_OVERHEAD, recordSizeBytes } from '../../storage';
import type { Batch, BatchRecord } from './types';

export const NO_SEQUENCE = -1;
const INT_MAX = 2147483647;

/**
 * AbstractRecords.estimateSizeInBytesUpperBound: the record alone in a v2 batch. It sizes the buffer
 * of a new batch and is what max.request.size and buffer.memory are checked against.
 */
export function recordUpperBoundBytes(key: string | null, value: string): number {
  return recordSizeBytes({ key, value, timestamp: 0 });
}

/**
 * Bytes a record adds to a batch: its DefaultRecord body without the batch header. Offset and
 * timestamp deltas are taken as one-byte varints (true for the first 64 records of a batch within 64 ms).
 */
export function recordBytesInBatch(key: string | null, value: string): number {
  return recordUpperBoundBytes(key, value) - RECORD_BATCH_OVERHEAD;
}

/** A record as appended to a batch: frozen, as it will be sent (a Produce request of a producer without idempotence sends it as it is). */
export function newBatchRecord(value: string, key: string | null, timestamp: number): BatchRecord {
  return Object.freeze({ key, value, timestamp });
}

export function createBatch(id: number, topic: string, partition: number, capacity: number, nowMs: number): Batch {
  return {
    id, topic, partition, records: [], sizeBytes: RECORD_BATCH_OVERHEAD, capacity, closed: false,
    createdMs: nowMs, lastAttemptMs: nowMs, lastAppendTimeMs: nowMs, drainedMs: 0,
    attempts: 0, inRetry: false,
    producerId: -1, producerEpoch: -1, baseSequence: NO_SEQUENCE, sequenceReset: false,
    finalState: null, deallocated: false, destination: null,
  };
}

/** MemoryRecordsBuilder.isFull: closed for appends, or the write limit is reached. */
export function isFull(batch: Batch): boolean {
  return batch.closed || (batch.records.length > 0 && batch.capacity <= batch.sizeBytes);
}

/** MemoryRecordsBuilder.hasRoomFor: the first record always fits (its buffer was sized for it). */
export function hasRoomFor(batch: Batch, recordBytes: number): boolean {
  if (isFull(batch)) return false;
  if (batch.records.length === 0) return true;
  return batch.capacity >= batch.sizeBytes + recordBytes;
}

/** ProducerBatch.tryAppend: false when there is no room (the caller then closes the batch). */
export function tryAppend(batch: Batch, record: BatchRecord, recordBytes: number, nowMs: number): boolean {
  if (!hasRoomFor(batch, recordBytes)) return false;
  batch.records.push(record);
  batch.sizeBytes += recordBytes;
  batch.lastAppendTimeMs = nowMs;
  return true;
}

export function waitedTimeMs(batch: Batch, nowMs: number): number {
  return Math.max(0, nowMs - batch.lastAttemptMs);
}

export function hasReachedDeliveryTimeout(batch: Batch, deliveryTimeoutMs: number, nowMs: number): boolean {
  return deliveryTimeoutMs <= nowMs - batch.createdMs;
}

/** ProducerBatch.reenqueued: the retry backoff counts from the failure. */
export function markReenqueued(batch: Batch, nowMs: number): void {
  batch.attempts += 1;
  batch.lastAttemptMs = Math.max(batch.lastAppendTimeMs, nowMs);
  batch.lastAppendTimeMs = Math.max(batch.lastAppendTimeMs, nowMs);
  batch.inRetry = true;
}

export function markDrained(batch: Batch, nowMs: number): void {
  batch.drainedMs = Math.max(batch.drainedMs, nowMs);
  batch.closed = true;
}

/** RetryBackoff without KIP-580's exponential growth: the batch waits retry.backoff.ms after each failure. */
export function shouldBackoff(batch: Batch, retryBackoffMs: number, nowMs: number): boolean {
  return batch.attempts > 0 && waitedTimeMs(batch, nowMs) < retryBackoffMs;
}

export const hasSequence = (batch: Batch): boolean => batch.baseSequence !== NO_SEQUENCE;

/** DefaultRecordBatch.incrementSequence: sequences wrap from Integer.MAX_VALUE to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT_MAX - increment) return increment - (INT_MAX - sequence) - 1;
  return sequence + increment;
}

export function lastSequence(batch: Batch): number {
  return incrementSequence(batch.baseSequence, batch.records.length - 1);
}

/** ProducerBatch.setProducerState / resetProducerState. */
export function setProducerState(batch: Batch, producerId: number, producerEpoch: number, baseSequence: number, reset = false): void {
  batch.producerId = producerId;
  batch.producerEpoch = producerEpoch;
  batch.baseSequence = baseSequence;
  if (reset) batch.sequenceReset = true;
}
