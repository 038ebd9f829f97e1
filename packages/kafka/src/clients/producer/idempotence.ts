/**
 * The idempotent-producer half of TransactionManager (with TxnPartitionEntry): the producer id and
 * epoch, per-partition sequence bookkeeping, which errors may be retried, and the local epoch bump
 * (KIP-360) that resets sequences after a gap. Transactions (transactional.id) are not modelled.
 */
import type { ProducerEnv } from './env';
import { batchKey, batchOf } from './env';
import { incrementSequence, lastSequence, NO_SEQUENCE, setProducerState } from './batch';
import { isRetriable } from './errors';
import type { Batch, IdempotenceState, ProduceError, TpKey, TxnPartitionEntry } from './types';

const NO_LAST_ACKED_SEQUENCE_NUMBER = -1;
const INVALID_OFFSET = -1;
const SHORT_MAX = 32767;

export function createIdempotenceState(): IdempotenceState {
  return {
    state: 'UNINITIALIZED', lastError: null, producerId: -1, producerEpoch: -1,
    epochBumpRequired: false, partitionsToRewriteSequences: [], unresolved: {}, partitions: {},
    initRequest: null, epochBumps: 0,
  };
}

function txn(env: ProducerEnv): IdempotenceState {
  const s = env.m.idempotence;
  if (!s) throw new Error(`${env.self}: idempotence is disabled`);
  return s;
}

/** ProducerIdAndEpoch.isValid. */
export const hasProducerId = (s: IdempotenceState): boolean => s.producerId >= 0 && s.producerEpoch >= 0;

function entryFor(s: IdempotenceState, tp: TpKey): TxnPartitionEntry {
  let entry = s.partitions[tp];
  if (!entry) {
    entry = { producerId: -1, producerEpoch: -1, nextSequence: 0, lastAckedSequence: NO_LAST_ACKED_SEQUENCE_NUMBER, lastAckedOffset: INVALID_OFFSET, inflight: [] };
    s.partitions[tp] = entry;
  }
  return entry;
}

export function sequenceNumber(env: ProducerEnv, tp: TpKey): number {
  return entryFor(txn(env), tp).nextSequence;
}

export function incrementSequenceNumber(env: ProducerEnv, tp: TpKey, increment: number): void {
  const entry = entryFor(txn(env), tp);
  entry.nextSequence = incrementSequence(entry.nextSequence, increment);
}

/** inflightBatchesBySequence is a TreeSet ordered by (producerId, epoch, baseSequence). */
function compareBatches(a: Batch, b: Batch): number {
  return a.producerId - b.producerId || a.producerEpoch - b.producerEpoch || a.baseSequence - b.baseSequence;
}

function sortInflight(env: ProducerEnv, entry: TxnPartitionEntry): void {
  entry.inflight.sort((a, b) => compareBatches(batchOf(env, a), batchOf(env, b)));
}

export function addInFlightBatch(env: ProducerEnv, batch: Batch): void {
  if (batch.baseSequence === NO_SEQUENCE) throw new Error(`Can't track batch for partition ${batchKey(batch)} when sequence is not set.`);
  const entry = entryFor(txn(env), batchKey(batch));
  if (!entry.inflight.includes(batch.id)) entry.inflight.push(batch.id);
  sortInflight(env, entry);
}

export function removeInFlightBatch(env: ProducerEnv, batch: Batch): void {
  const entry = txn(env).partitions[batchKey(batch)];
  if (entry) entry.inflight = entry.inflight.filter((id) => id !== batch.id);
}

export function hasInflightBatches(env: ProducerEnv, tp: TpKey): boolean {
  return entryFor(txn(env), tp).inflight.length > 0;
}

export function firstInFlightSequence(env: ProducerEnv, tp: TpKey): number {
  const entry = entryFor(txn(env), tp);
  return entry.inflight.length === 0 ? NO_SEQUENCE : batchOf(env, entry.inflight[0]).baseSequence;
}

export function hasStaleProducerIdAndEpoch(env: ProducerEnv, tp: TpKey): boolean {
  const s = txn(env);
  const entry = entryFor(s, tp);
  return entry.producerId !== s.producerId || entry.producerEpoch !== s.producerEpoch;
}

export function hasUnresolvedSequence(env: ProducerEnv, tp: TpKey): boolean {
  return Object.prototype.hasOwnProperty.call(txn(env).unresolved, tp);
}

/** TxnPartitionEntry.startSequencesAtBeginning: renumber the partition's incomplete batches from 0. */
function startSequencesAtBeginning(env: ProducerEnv, tp: TpKey, producerId: number, producerEpoch: number): void {
  const entry = entryFor(txn(env), tp);
  let sequence = 0;
  for (const id of entry.inflight) {
    const batch = batchOf(env, id);
    setProducerState(batch, producerId, producerEpoch, sequence, true);
    sequence += batch.records.length;
  }
  sortInflight(env, entry);
  entry.producerId = producerId;
  entry.producerEpoch = producerEpoch;
  entry.nextSequence = sequence;
  entry.lastAckedSequence = NO_LAST_ACKED_SEQUENCE_NUMBER;
}

/** Called when a partition's next new batch is drained: after an epoch change, restart its sequences at 0. */
export function maybeUpdateProducerIdAndEpoch(env: ProducerEnv, tp: TpKey): void {
  const s = txn(env);
  if (hasStaleProducerIdAndEpoch(env, tp) && !hasInflightBatches(env, tp)) {
    startSequencesAtBeginning(env, tp, s.producerId, s.producerEpoch);
  }
}

export function requestEpochBumpForPartition(env: ProducerEnv, tp: TpKey): void {
  const s = txn(env);
  s.epochBumpRequired = true;
  if (!s.partitionsToRewriteSequences.includes(tp)) s.partitionsToRewriteSequences.push(tp);
}

function bumpIdempotentProducerEpoch(env: ProducerEnv): void {
  const s = txn(env);
  if (s.producerEpoch === SHORT_MAX) {
    // resetIdempotentProducerId: the epoch is exhausted, ask for a new producer id.
    s.producerId = -1;
    s.producerEpoch = -1;
    s.state = 'UNINITIALIZED';
  } else {
    s.producerEpoch += 1;
  }
  s.epochBumps += 1;
  for (const tp of s.partitionsToRewriteSequences) {
    startSequencesAtBeginning(env, tp, s.producerId, s.producerEpoch);
    delete s.unresolved[tp];
  }
  s.partitionsToRewriteSequences = [];
  s.epochBumpRequired = false;
}

/** Sender.runOnce's first step for an idempotent producer. */
export function bumpIdempotentEpochAndResetIdIfNeeded(env: ProducerEnv): void {
  const s = txn(env);
  if (s.epochBumpRequired) bumpIdempotentProducerEpoch(env);
  if (s.state !== 'INITIALIZING' && !hasProducerId(s)) {
    s.state = 'INITIALIZING';
    s.initRequest = { status: 'pending', retryAtMs: env.ctx.now };
  }
}

export function onInitProducerIdSuccess(env: ProducerEnv, producerId: number, producerEpoch: number): void {
  const s = txn(env);
  s.producerId = producerId;
  s.producerEpoch = producerEpoch;
  s.state = 'READY';
  s.lastError = null;
  s.initRequest = null;
}

export function transitionToFatalError(env: ProducerEnv, error: string): void {
  const s = txn(env);
  s.state = 'FATAL_ERROR';
  s.lastError = error;
  s.initRequest = null;
}

function isNextSequence(env: ProducerEnv, tp: TpKey, sequence: number): boolean {
  return sequence - entryFor(txn(env), tp).lastAckedSequence === 1;
}

export function handleCompletedBatch(env: ProducerEnv, batch: Batch, baseOffset: number): void {
  const entry = entryFor(txn(env), batchKey(batch));
  const last = lastSequence(batch);
  if (last > entry.lastAckedSequence) entry.lastAckedSequence = last;
  if (baseOffset !== INVALID_OFFSET) {
    const lastOffset = baseOffset + batch.records.length - 1;
    if (lastOffset > entry.lastAckedOffset) entry.lastAckedOffset = lastOffset;
  }
  removeInFlightBatch(env, batch);
}

export function handleFailedBatch(env: ProducerEnv, batch: Batch, error: ProduceError, adjustSequenceNumbers: boolean): void {
  const s = txn(env);
  removeInFlightBatch(env, batch);
  if (s.state === 'FATAL_ERROR') return;
  const tp = batchKey(batch);
  if (error === 'OUT_OF_ORDER_SEQUENCE_NUMBER') {
    // A real gap in the log: bump the epoch, which restarts this partition's sequences at 0.
    requestEpochBumpForPartition(env, tp);
  } else if (error === 'UNKNOWN_PRODUCER_ID') {
    // The broker has no state for us and will take sequence 0: forget the partition's sequences.
    delete s.partitions[tp];
    delete s.unresolved[tp];
  } else if (adjustSequenceNumbers) {
    requestEpochBumpForPartition(env, tp);
  }
}

/** An expired batch had been sent: no new batch is drained for the partition until its fate is known. */
export function markSequenceUnresolved(env: ProducerEnv, batch: Batch): void {
  const s = txn(env);
  const tp = batchKey(batch);
  const next = lastSequence(batch) + 1;
  s.unresolved[tp] = hasUnresolvedSequence(env, tp) ? Math.max(s.unresolved[tp], next) : next;
}

/** Once a partition with an unresolved sequence has nothing in flight: resolved, or bump the epoch. */
export function maybeResolveSequences(env: ProducerEnv): void {
  const s = txn(env);
  for (const tp of Object.keys(s.unresolved)) {
    if (hasInflightBatches(env, tp)) continue;
    if (!isNextSequence(env, tp, sequenceNumber(env, tp))) requestEpochBumpForPartition(env, tp);
    delete s.unresolved[tp];
  }
}

/** TransactionManager.canRetry for a non-transactional idempotent producer. */
export function canRetryIdempotent(env: ProducerEnv, batch: Batch, error: ProduceError, logStartOffset: number): boolean {
  const s = txn(env);
  const tp = batchKey(batch);
  if (error === 'UNKNOWN_PRODUCER_ID') {
    if (logStartOffset === -1) return true;
    if (batch.sequenceReset) return true;
    // Retention removed our state (lastAckedOffset < logStartOffset) or it was lost: bump and retry.
    requestEpochBumpForPartition(env, tp);
    return true;
  }
  if (error === 'OUT_OF_ORDER_SEQUENCE_NUMBER') {
    const unresolved = hasUnresolvedSequence(env, tp);
    if (!unresolved && (batch.sequenceReset || !isNextSequence(env, tp, batch.baseSequence))) {
      // Not the batch right after the last acknowledged one: an earlier batch failed, retry in order.
      return true;
    }
    // A true gap right before this batch (or right after an unresolved one): bump the epoch and retry.
    if (!unresolved || s.unresolved[tp] === batch.baseSequence) requestEpochBumpForPartition(env, tp);
    return true;
  }
  return isRetriable(error);
}
