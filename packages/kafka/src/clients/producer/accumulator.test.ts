import { describe, expect, it } from 'vitest';
import { allocate, appendNewBatch, drain, expiredBatches, ready, reenqueue, takeExpiredBatches, tryAppendToLast } from './accumulator';
import { recordBytesInBatch, setProducerState } from './batch';
import { batchOf } from './env';
import { onePartitionPerBroker, testEnv, type TestEnv } from './testing/env';

const rec = (n: number) => ({ value: `producer-1:${n}`, key: null, timestamp: 0 });
const bytes = (n: number) => recordBytesInBatch(null, `producer-1:${n}`);

/** KafkaProducer's append path without the partitioner: last batch, else a new one. */
function append(env: TestEnv, partition: number, n: number): number {
  const tp = `t-${partition}`;
  const existing = tryAppendToLast(env, tp, rec(n), bytes(n));
  if (existing !== null) return existing;
  const size = Math.max(env.cfg['batch.size'], 100);
  if (!allocate(env, size)) throw new Error('buffer full');
  return appendNewBatch(env, 't', partition, rec(n), bytes(n), size).batchId;
}

describe('RecordAccumulator', () => {
  it('fills the last batch until batch.size, then opens another; the first becomes sendable at once', () => {
    const env = testEnv({ 'batch.size': 200, 'linger.ms': 1000 }, onePartitionPerBroker('t', ['broker-1']));
    const ids = Array.from({ length: 12 }, (_, n) => append(env, 0, n));
    const perBatch = Math.floor((200 - 61) / bytes(0));
    expect(ids.filter((id) => id === ids[0])).toHaveLength(perBatch);
    expect(env.m.accumulator.deques['t-0']).toHaveLength(2);
    expect(env.m.accumulator.bufferUsed).toBe(400);
    expect(ready(env).readyNodes).toEqual(['broker-1']);
  });

  it('a lone batch waits for linger.ms; ready() says how long', () => {
    const env = testEnv({ 'linger.ms': 50 }, onePartitionPerBroker('t', ['broker-1']));
    append(env, 0, 0);
    env.clock.now = 20;
    expect(ready(env)).toEqual({ readyNodes: [], nextReadyCheckDelayMs: 30, unknownLeaderTopics: [] });
    env.clock.now = 50;
    expect(ready(env).readyNodes).toEqual(['broker-1']);
  });

  it('a partition without a leader is reported so that metadata gets refreshed', () => {
    const env = testEnv({}, { t: [{ partition: 0, leader: null, leaderEpoch: 3 }] });
    append(env, 0, 0);
    env.clock.now = 100;
    expect(ready(env)).toMatchObject({ readyNodes: [], unknownLeaderTopics: ['t'] });
  });

  it('drain takes one batch per partition led by the node, rotating the starting partition', () => {
    const env = testEnv({ 'linger.ms': 0 }, { t: [0, 1, 2].map((partition) => ({ partition, leader: 'broker-1', leaderEpoch: 0 })) });
    for (const p of [0, 1, 2]) {
      append(env, p, p);
      env.m.accumulator.deques[`t-${p}`].forEach((id) => (batchOf(env, id).closed = true));
      append(env, p, 10 + p);
    }
    const first = drain(env, ['broker-1'])[0].batchIds.map((id) => batchOf(env, id).partition);
    expect(first).toEqual([0, 1, 2]);
    const second = drain(env, ['broker-1'])[0].batchIds.map((id) => batchOf(env, id).partition);
    // Kafka keeps the index of the last partition it visited, so the next drain starts there.
    expect(second).toEqual([2, 0, 1]);
  });

  it('a retried batch goes back to the front and waits retry.backoff.ms', () => {
    const env = testEnv({ 'linger.ms': 0, 'retry.backoff.ms': 100 }, onePartitionPerBroker('t', ['broker-1']));
    const a = append(env, 0, 0);
    const [{ batchIds }] = drain(env, ['broker-1']);
    expect(batchIds).toEqual([a]);
    const b = append(env, 0, 1);
    env.clock.now = 10;
    reenqueue(env, batchOf(env, a));
    expect(env.m.accumulator.deques['t-0']).toEqual([a, b]);
    // Backing off: the head blocks the partition (even though a newer batch is waiting behind it).
    expect(ready(env)).toMatchObject({ readyNodes: [], nextReadyCheckDelayMs: 100 });
    env.clock.now = 110;
    expect(ready(env).readyNodes).toEqual(['broker-1']);
    expect(drain(env, ['broker-1'])[0].batchIds).toEqual([a]);
  });

  it('leaves out of a drain the nodes that had nothing to send', () => {
    const env = testEnv({ 'linger.ms': 0 }, onePartitionPerBroker('t', ['broker-1', 'broker-2', 'broker-3']));
    const a = append(env, 0, 0);
    const c = append(env, 2, 1);
    expect(drain(env, ['broker-1', 'broker-2', 'broker-3'])).toEqual([{ node: 'broker-1', batchIds: [a] }, { node: 'broker-3', batchIds: [c] }]);
    expect(drain(env, ['broker-1', 'broker-2', 'broker-3'])).toEqual([]);
  });

  it('with idempotence a re-enqueued batch is placed by sequence', () => {
    const env = testEnv({ 'enable.idempotence': true }, onePartitionPerBroker('t', ['broker-1']));
    const ids = [0, 1, 2, 3].map((n) => {
      const id = append(env, 0, n);
      batchOf(env, id).closed = true;
      return id;
    });
    env.m.accumulator.deques['t-0'] = [];
    ids.forEach((id, i) => setProducerState(batchOf(env, id), 0, 0, i));
    const fresh = append(env, 0, 9);
    for (const id of [ids[2], ids[0], ids[3], ids[1]]) reenqueue(env, batchOf(env, id));
    expect(env.m.accumulator.deques['t-0']).toEqual([...ids, fresh]);
  });

  it('expires batches at the head of a deque once delivery.timeout.ms has passed since creation', () => {
    const env = testEnv({ 'delivery.timeout.ms': 30000, 'request.timeout.ms': 1000, 'linger.ms': 0 }, onePartitionPerBroker('t', ['broker-1']));
    const a = append(env, 0, 0);
    batchOf(env, a).closed = true;
    env.clock.now = 5;
    const b = append(env, 0, 1);
    env.clock.now = 29999;
    expect(expiredBatches(env)).toEqual([]);
    env.clock.now = 30000;
    expect(expiredBatches(env)).toEqual([a]);
    env.clock.now = 30005;
    expect(expiredBatches(env)).toEqual([b]);
  });

  it('gives the earliest delivery deadline of the batches it leaves, over every partition', () => {
    const env = testEnv({ 'delivery.timeout.ms': 30000, 'request.timeout.ms': 1000, 'linger.ms': 0 }, onePartitionPerBroker('t', ['broker-1', 'broker-2']));
    const a = append(env, 0, 0);
    batchOf(env, a).closed = true;
    env.clock.now = 5;
    append(env, 0, 1);
    env.clock.now = 7;
    append(env, 1, 2);
    const expired: number[] = [];
    expect(takeExpiredBatches(env, expired)).toBe(30000);
    expect(expired).toEqual([]);
    env.clock.now = 30000;
    // The first batch of partition 0 goes; the next deadline is its successor's, not the expired one's.
    expect(takeExpiredBatches(env, expired)).toBe(30005);
    expect(expired).toEqual([a]);
    env.clock.now = 30006;
    expect(takeExpiredBatches(env, expired)).toBe(30007);
    env.clock.now = 30007;
    expect(takeExpiredBatches(env, expired)).toBe(Infinity);
    expect(expired).toHaveLength(3);
  });
});
