/**
 * Broker side of idempotence (Kafka's ProducerStateManager / ProducerAppendInfo), per partition:
 * for each producer id, its epoch and the sequence ranges of its latest 5 batches.
 *
 * - a batch whose sequences were already written is a duplicate: it is answered with the
 *   ORIGINAL offsets and not appended again (what makes producer retries exactly-once);
 * - a gap in sequences is OUT_OF_ORDER_SEQUENCE_NUMBER;
 * - an epoch older than the known one is INVALID_PRODUCER_EPOCH (a fenced zombie producer);
 * - a producer the partition has never seen, starting with a sequence other than 0, is
 *   UNKNOWN_PRODUCER_ID (Kafka 0.11-2.4; since KIP-360 Kafka accepts it instead).
 *
 * The state is rebuilt from the log when a broker becomes leader (records carry producerId,
 * epoch and sequence), so duplicates are caught across failover. The log stores records one by
 * one, so a rebuilt entry covers a run of consecutive sequences at consecutive offsets rather
 * than the original batch; a retried batch is a duplicate when it lies inside such a run.
 */
import type { ErrorCode, RecordBatch } from '../protocol';
import type { StoredRecord } from '../storage';
import type { ProducerBatchMeta, ProducerEntry } from './types';

export const MAX_BATCHES_PER_PRODUCER = 5;

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; baseOffset: number }
  | { kind: 'error'; error: ErrorCode };

const isIdempotent = (batch: RecordBatch): boolean => batch.producerId >= 0 && batch.baseSequence >= 0;

function lastSeqOf(batch: RecordBatch): number {
  return batch.baseSequence + batch.records.length - 1;
}

/** Kafka wraps sequences at Integer.MAX_VALUE back to 0. */
function nextSeq(seq: number): number {
  return seq === 2147483647 ? 0 : seq + 1;
}

function findDuplicate(entry: ProducerEntry, firstSeq: number, lastSeq: number): number | null {
  for (const m of entry.batches) {
    if (firstSeq >= m.firstSeq && lastSeq <= m.lastSeq) return m.firstOffset + (firstSeq - m.firstSeq);
  }
  return null;
}

export function checkBatch(producers: Record<string, ProducerEntry>, batch: RecordBatch): SequenceCheck {
  if (!isIdempotent(batch)) return { kind: 'append' };
  const entry = producers[String(batch.producerId)];
  const firstSeq = batch.baseSequence;
  if (!entry) return firstSeq === 0 ? { kind: 'append' } : { kind: 'error', error: 'UNKNOWN_PRODUCER_ID' };
  if (batch.producerEpoch < entry.epoch) return { kind: 'error', error: 'INVALID_PRODUCER_EPOCH' };
  if (batch.producerEpoch > entry.epoch) {
    // A bumped epoch restarts the sequence space.
    return firstSeq === 0 ? { kind: 'append' } : { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
  }
  const duplicate = findDuplicate(entry, firstSeq, lastSeqOf(batch));
  if (duplicate !== null) return { kind: 'duplicate', baseOffset: duplicate };
  const last = entry.batches[entry.batches.length - 1];
  if (last && firstSeq !== nextSeq(last.lastSeq)) return { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
  return { kind: 'append' };
}

function remember(producers: Record<string, ProducerEntry>, producerId: number, epoch: number, meta: ProducerBatchMeta): void {
  const key = String(producerId);
  const entry = producers[key];
  if (!entry || entry.epoch !== epoch) {
    producers[key] = { epoch, batches: [meta] };
    return;
  }
  entry.batches.push(meta);
  if (entry.batches.length > MAX_BATCHES_PER_PRODUCER) entry.batches.shift();
}

/** After a leader append of `batch` at [firstOffset, lastOffset]. */
export function recordBatch(producers: Record<string, ProducerEntry>, batch: RecordBatch, firstOffset: number, lastOffset: number): void {
  if (!isIdempotent(batch)) return;
  remember(producers, batch.producerId, batch.producerEpoch, {
    firstSeq: batch.baseSequence, lastSeq: lastSeqOf(batch), firstOffset, lastOffset,
  });
}

/** Rebuild every producer's entry from the records of a log (on becoming leader). */
export function rebuildFromLog(records: StoredRecord[]): Record<string, ProducerEntry> {
  const producers: Record<string, ProducerEntry> = {};
  for (const r of records) {
    if (r.producerId === undefined || r.producerId < 0 || r.sequence === undefined || r.sequence < 0) continue;
    const epoch = r.producerEpoch ?? 0;
    const entry = producers[String(r.producerId)];
    const last = entry && entry.epoch === epoch ? entry.batches[entry.batches.length - 1] : undefined;
    if (last && r.sequence === nextSeq(last.lastSeq) && r.offset === last.lastOffset + 1 && r.sequence > last.firstSeq) {
      last.lastSeq = r.sequence;
      last.lastOffset = r.offset;
    } else {
      remember(producers, r.producerId, epoch, { firstSeq: r.sequence, lastSeq: r.sequence, firstOffset: r.offset, lastOffset: r.offset });
    }
  }
  return producers;
}
