import { describe, expect, it } from 'vitest';
import { detachedCluster, facts } from './testing/harness';
import { elect, logValues, partitionOn, produce, response, THREE } from './testing/scenarios';

const T = 'payments';

describe('ISR and min.insync.replicas', () => {
  it('shrinks the ISR for a paused follower after replica.lag.time.max.ms, then expands it once it caught up', () => {
    const c = detachedCluster({ seed: 7, brokers: 3, config: { 'min.insync.replicas': 2 } });
    elect(c.sim, 10, T, 'broker-1', 1, THREE);
    produce(c.sim, 200, 'broker-1', T, ['m1'], -1);
    c.sim.schedule(1000, { type: 'pause', node: 'broker-3', durationMs: 6000 });
    const during = produce(c.sim, 1500, 'broker-1', T, ['m2'], -1, { timeoutMs: 30000 });
    c.sim.runUntil(12000);

    const isr = facts(c.sim, 'isr-changed');
    expect(isr.map((f) => f.isr)).toEqual([['broker-1', 'broker-2'], THREE]);
    const [shrink, expand] = isr;
    // Kafka's rule: out of sync once not caught up for more than replica.lag.time.max.ms (3000).
    expect(shrink.time).toBeGreaterThan(1000 + 3000);
    expect(shrink.time).toBeLessThan(1000 + 3000 + 1500 + 100);
    // The acks=all produce waited for the slow follower until the shrink, then succeeded.
    expect(response(c.sim, during).partitions[0].error).toBe('NONE');
    expect(response(c.sim, during).receivedAt).toBeGreaterThanOrEqual(shrink.time);
    // The follower came back at 7000, caught up and was added back.
    expect(expand.time).toBeGreaterThan(7000);
    expect(logValues(c.sim, 'broker-3', T)).toEqual(['m1', 'm2']);
    expect(partitionOn(c.sim, 'broker-1', T).isr).toEqual(THREE);
  });

  it('answers NOT_ENOUGH_REPLICAS without appending when two of three brokers are down (min.insync.replicas=2)', () => {
    const c = detachedCluster({ seed: 3, brokers: 3, config: { 'min.insync.replicas': 2 } });
    elect(c.sim, 10, T, 'broker-1', 1, THREE);
    produce(c.sim, 200, 'broker-1', T, ['ok-1'], -1);
    c.sim.schedule(500, { type: 'crash', node: 'broker-2' });
    c.sim.schedule(500, { type: 'crash', node: 'broker-3' });
    // Right after the crash the ISR still has three members: appended, then stuck until the
    // shrink leaves one member: NOT_ENOUGH_REPLICAS_AFTER_APPEND.
    const racing = produce(c.sim, 600, 'broker-1', T, ['racing'], -1, { timeoutMs: 30000 });
    const rejected = produce(c.sim, 8000, 'broker-1', T, ['rejected'], -1);
    const acks1 = produce(c.sim, 8100, 'broker-1', T, ['acks-1'], 1);
    c.sim.runUntil(9000);

    expect(partitionOn(c.sim, 'broker-1', T).isr).toEqual(['broker-1']);
    expect(response(c.sim, racing).partitions[0].error).toBe('NOT_ENOUGH_REPLICAS_AFTER_APPEND');
    expect(response(c.sim, rejected).partitions[0].error).toBe('NOT_ENOUGH_REPLICAS');
    expect(response(c.sim, acks1).partitions[0].error).toBe('NONE');
    expect(logValues(c.sim, 'broker-1', T)).toEqual(['ok-1', 'racing', 'acks-1']);
    const rejectedFacts = facts(c.sim, 'produce-rejected');
    expect(rejectedFacts.map((f) => [f.error, f.ids])).toEqual([
      ['NOT_ENOUGH_REPLICAS_AFTER_APPEND', ['racing']],
      ['NOT_ENOUGH_REPLICAS', ['rejected']],
    ]);
  });

  it('times out an acks=all produce (REQUEST_TIMED_OUT) when the ISR cannot catch up in time', () => {
    const c = detachedCluster({ seed: 4, brokers: 3 });
    elect(c.sim, 10, T, 'broker-1', 1, THREE);
    c.sim.schedule(100, { type: 'pause', node: 'broker-2', durationMs: 2000 });
    const slow = produce(c.sim, 200, 'broker-1', T, ['slow'], -1, { timeoutMs: 1000 });
    c.sim.runUntil(3000);
    expect(response(c.sim, slow).partitions[0].error).toBe('REQUEST_TIMED_OUT');
    expect(response(c.sim, slow).receivedAt).toBeGreaterThanOrEqual(1200);
  });
});
