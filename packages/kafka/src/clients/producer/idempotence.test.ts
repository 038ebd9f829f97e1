import { describe, expect, it } from 'vitest';
import { appendNewBatch, allocate, drain } from './accumulator';
import { incrementSequence, lastSequence, recordBytesInBatch } from './batch';
import { batchOf } from './env';
import {
  bumpIdempotentEpochAndResetIdIfNeeded, canRetryIdempotent, firstInFlightSequence, handleCompletedBatch,
  handleFailedBatch, markSequenceUnresolved, maybeResolveSequences, onInitProducerIdSuccess,
} from './idempotence';
import { onePartitionPerBroker, testEnv, type TestEnv } from './testing/env';

function newBatch(env: TestEnv, records: number): number {
  allocate(env, 16384);
  const first = env.m.nextBatchId * 100;
  const { batchId } = appendNewBatch(env, 't', 0, { value: `p:${first}`, key: null, timestamp: 0 }, recordBytesInBatch(null, `p:${first}`), 16384);
  const batch = batchOf(env, batchId);
  for (let i = 1; i < records; i++) batch.records.push({ value: `p:${first + i}`, key: null, timestamp: 0 });
  batch.closed = true;
  return batchId;
}

function setup(batches: number[]): { env: TestEnv; ids: number[] } {
  const env = testEnv({ 'enable.idempotence': true, 'linger.ms': 0 }, onePartitionPerBroker('t', ['broker-1']));
  onInitProducerIdSuccess(env, 7, 0);
  const ids = batches.map((n) => newBatch(env, n));
  // Drain them one request at a time, as five in-flight requests would.
  for (let i = 0; i < ids.length; i++) drain(env, ['broker-1']);
  return { env, ids };
}

describe('sequence numbers', () => {
  it('are assigned when a batch is first drained, consecutively per partition', () => {
    const { env, ids } = setup([3, 2, 4]);
    expect(ids.map((id) => batchOf(env, id).baseSequence)).toEqual([0, 3, 5]);
    expect(ids.map((id) => batchOf(env, id).producerId)).toEqual([7, 7, 7]);
    expect(env.m.idempotence!.partitions['t-0']).toMatchObject({ nextSequence: 9, lastAckedSequence: -1 });
    expect(firstInFlightSequence(env, 't-0')).toBe(0);
  });

  it('wrap from Integer.MAX_VALUE to 0 like DefaultRecordBatch.incrementSequence', () => {
    expect(incrementSequence(2147483646, 1)).toBe(2147483647);
    expect(incrementSequence(2147483647, 1)).toBe(0);
    expect(incrementSequence(2147483645, 5)).toBe(2);
  });

  it('a completed batch advances lastAckedSequence and leaves the in-flight set', () => {
    const { env, ids } = setup([3, 2]);
    handleCompletedBatch(env, batchOf(env, ids[0]), 100);
    expect(env.m.idempotence!.partitions['t-0']).toMatchObject({ lastAckedSequence: 2, lastAckedOffset: 102 });
    expect(firstInFlightSequence(env, 't-0')).toBe(3);
    expect(lastSequence(batchOf(env, ids[1]))).toBe(4);
  });
});

describe('TransactionManager.canRetry', () => {
  it('OUT_OF_ORDER_SEQUENCE_NUMBER for a batch that is not next is retried as is (an earlier batch failed)', () => {
    const { env, ids } = setup([3, 2]);
    expect(canRetryIdempotent(env, batchOf(env, ids[1]), 'OUT_OF_ORDER_SEQUENCE_NUMBER', 0)).toBe(true);
    expect(env.m.idempotence!.epochBumpRequired).toBe(false);
  });

  it('OUT_OF_ORDER_SEQUENCE_NUMBER for the very next batch is a real gap: retry after an epoch bump', () => {
    const { env, ids } = setup([3, 2]);
    expect(canRetryIdempotent(env, batchOf(env, ids[0]), 'OUT_OF_ORDER_SEQUENCE_NUMBER', 0)).toBe(true);
    expect(env.m.idempotence!.epochBumpRequired).toBe(true);
    bumpIdempotentEpochAndResetIdIfNeeded(env);
    // The epoch goes up locally and the partition's incomplete batches are renumbered from 0.
    expect(env.m.idempotence).toMatchObject({ producerId: 7, producerEpoch: 1, epochBumps: 1, epochBumpRequired: false });
    expect(ids.map((id) => [batchOf(env, id).producerEpoch, batchOf(env, id).baseSequence, batchOf(env, id).sequenceReset])).toEqual([[1, 0, true], [1, 3, true]]);
    expect(env.m.idempotence!.partitions['t-0']).toMatchObject({ nextSequence: 5, lastAckedSequence: -1, producerEpoch: 1 });
  });

  it('retriable broker errors are retried, others are not', () => {
    const { env, ids } = setup([1]);
    const batch = batchOf(env, ids[0]);
    expect(canRetryIdempotent(env, batch, 'NOT_LEADER_OR_FOLLOWER', 0)).toBe(true);
    expect(canRetryIdempotent(env, batch, 'NETWORK_EXCEPTION', 0)).toBe(true);
    expect(canRetryIdempotent(env, batch, 'INVALID_PRODUCER_EPOCH', 0)).toBe(false);
  });

  it('UNKNOWN_PRODUCER_ID is retried; with a known log start offset the epoch is bumped', () => {
    const { env, ids } = setup([1]);
    expect(canRetryIdempotent(env, batchOf(env, ids[0]), 'UNKNOWN_PRODUCER_ID', -1)).toBe(true);
    expect(env.m.idempotence!.epochBumpRequired).toBe(false);
    expect(canRetryIdempotent(env, batchOf(env, ids[0]), 'UNKNOWN_PRODUCER_ID', 0)).toBe(true);
    expect(env.m.idempotence!.epochBumpRequired).toBe(true);
  });
});

describe('failed and expired batches', () => {
  it('a batch failed before its retries ran out asks for an epoch bump; one that exhausted them does not', () => {
    const a = setup([1, 1]);
    handleFailedBatch(a.env, batchOf(a.env, a.ids[0]), 'INVALID_PRODUCER_EPOCH', true);
    expect(a.env.m.idempotence!.epochBumpRequired).toBe(true);
    const b = setup([1, 1]);
    handleFailedBatch(b.env, batchOf(b.env, b.ids[0]), 'NOT_ENOUGH_REPLICAS', false);
    expect(b.env.m.idempotence!.epochBumpRequired).toBe(false);
    expect(firstInFlightSequence(b.env, 't-0')).toBe(1);
  });

  it('an expired batch leaves its sequence unresolved; if nothing later is acknowledged, the epoch is bumped', () => {
    const { env, ids } = setup([2, 2]);
    markSequenceUnresolved(env, batchOf(env, ids[0]));
    handleFailedBatch(env, batchOf(env, ids[0]), 'DELIVERY_TIMEOUT', false);
    maybeResolveSequences(env);
    // Still one batch in flight: wait.
    expect(env.m.idempotence!.unresolved).toEqual({ 't-0': 2 });
    handleFailedBatch(env, batchOf(env, ids[1]), 'DELIVERY_TIMEOUT', false);
    maybeResolveSequences(env);
    expect(env.m.idempotence!.unresolved).toEqual({});
    expect(env.m.idempotence!.epochBumpRequired).toBe(true);
  });

  it('an expired batch whose successor was acknowledged is resolved without a bump', () => {
    const { env, ids } = setup([2, 2]);
    markSequenceUnresolved(env, batchOf(env, ids[0]));
    handleFailedBatch(env, batchOf(env, ids[0]), 'DELIVERY_TIMEOUT', false);
    handleCompletedBatch(env, batchOf(env, ids[1]), 10);
    maybeResolveSequences(env);
    expect(env.m.idempotence!.unresolved).toEqual({});
    expect(env.m.idempotence!.epochBumpRequired).toBe(false);
  });
});
