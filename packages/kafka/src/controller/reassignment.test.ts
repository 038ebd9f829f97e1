import { describe, expect, it } from 'vitest';
import { allRecords } from '../storage';
import { reassignTo } from './reassignment';
import { run, scenarioFile } from './testing/adminScenarios';
import { parseTopicAssignment, reassigningTopicZnodeData } from './zk';

const partition = (replicas: number[], adding: number[] = [], removing: number[] = []) =>
  ({ topic: 't', partition: 0, replicas, adding, removing, leadership: null, reportedOffline: false });

describe('ReplicaAssignment.reassignTo', () => {
  it('RS = TRS then the original replicas, AR = RS - ORS, RR = RS - TRS', () => {
    expect(reassignTo(partition([1, 2, 3]), [4, 5, 3])).toEqual({ replicas: [4, 5, 3, 1, 2], adding: [4, 5], removing: [1, 2] });
    expect(reassignTo(partition([1, 2, 3]), [3, 2, 1])).toEqual({ replicas: [3, 2, 1], adding: [], removing: [] });
  });

  it('a new target during a reassignment starts again from the original replicas', () => {
    // ORS {1,2,3} was moving to {4,5,3}; now to {6,3,2}: 4 and 5 are no longer part of it.
    expect(reassignTo(partition([4, 5, 3, 1, 2], [4, 5], [1, 2]), [6, 3, 2])).toEqual({ replicas: [6, 3, 2, 1], adding: [6], removing: [1] });
  });
});

describe('the topic znode of a reassignment (KIP-455)', () => {
  it('keeps RS, AR and RR so that a new controller reads them back', () => {
    const data = reassigningTopicZnodeData([
      { partition: 0, replicas: [4, 5, 3, 1, 2], adding: [4, 5], removing: [1, 2] },
      { partition: 1, replicas: [2, 3, 1], adding: [], removing: [] },
    ]);
    expect(data).toEqual({ version: 2, partitions: { 0: [4, 5, 3, 1, 2], 1: [2, 3, 1] }, adding_replicas: { 0: [4, 5] }, removing_replicas: { 0: [1, 2] } });
    expect(parseTopicAssignment(data)).toEqual([
      { partition: 0, replicas: [4, 5, 3, 1, 2], adding: [4, 5], removing: [1, 2] },
      { partition: 1, replicas: [2, 3, 1], adding: [], removing: [] },
    ]);
    // A version 1 znode (no reassignment) reads as nothing being moved.
    expect(parseTopicAssignment({ version: 1, partitions: { 0: [1, 2] } })).toEqual([{ partition: 0, replicas: [1, 2], adding: [], removing: [] }]);
  });
});

describe('partition reassignment (KafkaController.onPartitionReassignment)', () => {
  const r = run(scenarioFile('partition-reassignment'));
  const phases = r.facts('reassignment');

  it('goes through the phases in order and ends with RS = TRS', () => {
    expect(phases.map((f) => f.phase)).toEqual(['started', 'caught-up', 'leader-moved', 'replicas-removed', 'completed']);
    expect(phases[0]).toMatchObject({ replicas: ['broker-4', 'broker-5', 'broker-3', 'broker-1', 'broker-2'], adding: ['broker-4', 'broker-5'], removing: ['broker-1', 'broker-2'] });
    expect(phases.at(-1)).toMatchObject({ replicas: ['broker-4', 'broker-5', 'broker-3'], adding: [], removing: [] });
    expect(r.znodes()['/brokers/topics/orders']).toEqual({ version: 2, partitions: { 0: [4, 5, 3] }, adding_replicas: {}, removing_replicas: {} });
    expect(r.znodes()).not.toHaveProperty('/admin/reassign_partitions');
  });

  it('moves leadership only once every target replica is in the ISR, to the first live in-sync target', () => {
    const caughtUp = phases.find((f) => f.phase === 'caught-up')!;
    const isrBefore = r.facts('isr-changed').filter((f) => f.topic === 'orders' && f.time <= caughtUp.time).at(-1);
    for (const b of ['broker-4', 'broker-5', 'broker-3']) expect(isrBefore.isr).toContain(b);
    expect(r.leaderAt('orders', 0, caughtUp.time)).toBe('broker-1');
    const moved = r.facts('leader-elected').filter((f) => f.topic === 'orders' && f.time >= caughtUp.time);
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ leader: 'broker-4', unclean: false });
    // The removed replicas leave the ISR (B4).
    expect(r.facts('isr-changed').filter((f) => f.topic === 'orders').at(-1).isr).toEqual(['broker-4', 'broker-5', 'broker-3']);
  });

  it('the new replicas hold every acknowledged record; the removed ones have deleted their logs', () => {
    expect(r.delivery.lost).toBe(0);
    for (const b of ['broker-1', 'broker-2']) expect(r.broker(b).durable.logs['orders-0']).toBeUndefined();
    const deleted = r.facts('replica-stopped').filter((f) => f.deleted).map((f) => f.broker).sort();
    expect(deleted).toEqual(['broker-1', 'broker-2']);
    const log4 = allRecords(r.broker('broker-4').durable.logs['orders-0']).map((x) => x.value);
    const log5 = allRecords(r.broker('broker-5').durable.logs['orders-0']).map((x) => x.value);
    const acked = r.trace.filter((e) => e.type === 'record' && e.event === 'produce-acked').map((e) => (e.data as any).id);
    expect(acked.length).toBeGreaterThan(900);
    for (const id of acked) expect(log4).toContain(id);
    expect(log5.slice(0, log4.length - 5)).toEqual(log4.slice(0, log4.length - 5));
  });

  it('a controller failover in the middle: the new controller resumes it', () => {
    // broker-1 is both the controller and the old leader: it crashes before the new replicas caught up.
    const failover = run(scenarioFile('partition-reassignment', (raw) => {
      raw.faults.push({ atMs: 4500, action: 'crash', target: 'broker-1' });
    }));
    const controllers = failover.facts('controller-elected');
    expect(controllers.at(-1).controller).not.toBe('broker-1');
    const resumed = failover.facts('reassignment').filter((f) => f.time > 4500).map((f) => f.phase);
    expect(resumed.slice(-2)).toEqual(['replicas-removed', 'completed']);
    expect(resumed).toContain('caught-up');
    expect(failover.znodes()['/brokers/topics/orders']).toMatchObject({ partitions: { 0: [4, 5, 3] } });
    expect(failover.delivery.lost).toBe(0);
  });

  it('a partition of a topic being deleted is not reassigned', () => {
    const both = run(scenarioFile('partition-reassignment', (raw) => {
      raw.faults = [{ atMs: 3000, action: 'delete-topic', topic: 'orders' }, { atMs: 3001, action: 'reassign', partitions: raw.faults[0].partitions }];
      raw.workload.producers[0].stopAtMs = 2500;
    }));
    expect(both.facts('reassignment')).toEqual([]);
    expect(both.facts('topic-deletion').at(-1).phase).toBe('completed');
  });
});

describe('throttled replicas (KIP-73, as kafka-reassign-partitions.sh --throttle sets them)', () => {
  /** A 300 KB backlog when the reassignment starts, fetched 16 KB at a time, then a trickle of writes (about 5 KB/s). */
  const withBacklog = (throttleBytesPerSec?: number, side: 'follower' | 'leader' = 'follower') =>
    run(scenarioFile('partition-reassignment', (raw) => {
      raw.durationMs = 25000;
      raw.cluster.brokerConfig['replica.fetch.max.bytes'] = 16384;
      if (throttleBytesPerSec !== undefined) {
        // --throttle lists the added replicas on the follower side, the original ones on the leader side.
        raw.cluster.brokerConfig[`${side}.replication.throttled.rate`] = throttleBytesPerSec;
        raw.cluster.topics[0].config = { [`${side}.replication.throttled.replicas`]: side === 'follower' ? ['0:4', '0:5'] : ['0:1', '0:2', '0:3'] };
      }
      raw.workload.producers = [
        { id: 'bulk', topic: 'orders', ratePerSec: 1000, startAtMs: 1000, stopAtMs: 4000, config: { acks: '1' } },
        { id: 'trickle', topic: 'orders', ratePerSec: 50, startAtMs: 1000, stopAtMs: 24000, config: { acks: 'all' } },
      ];
    }));
  const caughtUpAt = (r: ReturnType<typeof run>) => r.facts('reassignment').find((f) => f.phase === 'caught-up')?.time;

  it('the new replicas catch up at about the throttle rate instead of at once', () => {
    const free = caughtUpAt(withBacklog())!;
    const throttled = caughtUpAt(withBacklog(15000))!;
    expect(free - 4000).toBeLessThan(1500);
    // ~300 KB at 15 KB/s over Kafka's 10 s minimum rate window.
    expect(throttled - 4000).toBeGreaterThan(8000);
    expect(throttled).toBeLessThan(25000);
  });

  it('the leader side throttles the same way: the leader serves both new replicas from one quota', () => {
    // Two followers share the leader's 40 KB/s: ~600 KB to serve.
    const throttled = caughtUpAt(withBacklog(40000, 'leader'))!;
    expect(throttled - 4000).toBeGreaterThan(8000);
    expect(throttled).toBeLessThan(25000);
  });

  it('a throttle below the write rate never lets the reassignment complete; the in-sync replicas are not throttled', () => {
    const r = withBacklog(3000);
    expect(r.facts('reassignment').map((f) => f.phase)).toEqual(['started']);
    // broker-3 keeps up (it is in sync and not listed), so acks=all writes go on.
    expect(r.facts('isr-changed').filter((f) => f.topic === 'orders' && !f.isr.includes('broker-3'))).toEqual([]);
    expect(r.facts('produce-acked').filter((f) => f.time > 20000).length).toBeGreaterThan(100);
  });
});
