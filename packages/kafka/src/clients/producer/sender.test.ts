import { describe, expect, it } from 'vitest';
import { allocate, appendNewBatch } from './accumulator';
import { recordBytesInBatch } from './batch';
import { collectCompletedBatches } from './completion';
import { runOnce } from './sender';
import { onePartitionPerBroker, testEnv } from './testing/env';

describe('Sender round', () => {
  it('groups the batches of all partitions a broker leads into one Produce request per broker', () => {
    const env = testEnv({ 'linger.ms': 0 }, onePartitionPerBroker('t', ['broker-1', 'broker-2', 'broker-1']));
    for (const p of [0, 1, 2]) {
      allocate(env, 16384);
      appendNewBatch(env, 't', p, { value: `v${p}`, key: null, timestamp: 0 }, recordBytesInBatch(null, `v${p}`), 16384);
    }
    runOnce(env);
    const produce = env.sent.filter((s) => s.payload.api === 'Produce');
    expect(produce.map((s) => [s.to, s.payload.partitions.map((x: { partition: number }) => x.partition)])).toEqual([
      ['broker-1', [0, 2]],
      ['broker-2', [1]],
    ]);
    expect(produce.every((s) => s.payload.acks === -1 && s.payload.timeoutMs === env.cfg['request.timeout.ms'])).toBe(true);
  });

  it('a batch drained in the round it expires is failed and still sent, as Kafka does', () => {
    const env = testEnv({ 'linger.ms': 0, 'request.timeout.ms': 1000, 'delivery.timeout.ms': 1000 }, onePartitionPerBroker('t', ['broker-1']));
    allocate(env, 16384);
    appendNewBatch(env, 't', 0, { value: 'v', key: null, timestamp: 0 }, recordBytesInBatch(null, 'v'), 16384);
    env.clock.now = 1000;
    runOnce(env);
    expect(env.facts.map((f) => f.event)).toEqual(['produce-failed', 'produce-send']);
    expect(env.facts[0].data).toMatchObject({ id: 'v', error: 'DELIVERY_TIMEOUT' });
    expect(env.sent.filter((s) => s.payload.api === 'Produce')).toHaveLength(1);
    expect(env.m.accumulator.bufferUsed).toBe(0);
    collectCompletedBatches(env);
    // Its request is in flight, so the batch is kept until the response (or timeout) is handled.
    expect(env.m.batches.filter((b) => b !== null)).toHaveLength(1);
  });
});
