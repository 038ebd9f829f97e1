/**
 * 'partition-state-loaded' (a new controller's read of ZooKeeper) is the checkers' ZooKeeper
 * state from its step on, also where the writes that led there were never recorded.
 */
import { describe, expect, it } from 'vitest';
import { checkInvariants, deliveryReport } from '.';
import type { CheckContext } from './facts';
import { syntheticTrace, type SyntheticItem } from './testing/syntheticTrace';

type Item = SyntheticItem;

const traceOf = (steps: (SyntheticItem | SyntheticItem[])[]) => syntheticTrace(steps, 'broker-9');

const tp = { topic: 't', partition: 0 };
const context: CheckContext = {
  brokers: ['broker-1', 'broker-2', 'broker-3'],
  topics: [{ name: 't', partitions: 1, replicationFactor: 3, minInsyncReplicas: 2, uncleanLeaderElection: false }],
  crashMode: 'process',
};
const all = ['broker-1', 'broker-2', 'broker-3'];
const run = (steps: Item[][]) => {
  const trace = traceOf(steps);
  const delivery = deliveryReport(trace);
  return { delivery, violations: checkInvariants(trace, context, delivery) };
};

const elected = (leader: string, leaderEpoch: number, isr: string[]): Item =>
  ({ event: 'leader-elected', ...tp, leader, leaderEpoch, isr, unclean: false, reason: 'test', controllerEpoch: 1 });
const loaded = (leader: string | null, leaderEpoch: number, isr: string[], controller = 'broker-3'): Item => ({
  event: 'partition-state-loaded', ...tp, controller, reason: 'failover', leader, leaderEpoch, isr, partitionEpoch: leaderEpoch + 1,
  writtenByControllerEpoch: 1, controllerEpoch: 2, replicas: all, adding: [], removing: [],
});
const becomeLeader = (broker: string, leaderEpoch: number, isr: string[], hw = 0): Item[] => [
  { event: 'become-leader', ...tp, broker, leaderEpoch, logEndOffset: 0, highWatermark: hw },
  { event: 'leader-isr', ...tp, broker, leaderEpoch, isr },
];
const append = (broker: string, firstOffset: number, ids: string[], role: 'leader' | 'follower' = 'follower'): Item =>
  ({ event: 'append', ...tp, broker, role, leaderEpoch: 1, firstOffset, lastOffset: firstOffset + ids.length - 1, ids });
const hw = (broker: string, highWatermark: number): Item => ({ event: 'high-watermark', ...tp, broker, highWatermark });
const request = (id: string): Item => ({ event: 'produce-request', producer: 'producer-1', id, key: null, topic: 't' });
const acked = (id: string, offset: number, leader: string): Item => ({ event: 'produce-acked', ...tp, producer: 'producer-1', id, offset, acks: 'all', leader });

describe('partition-state-loaded as ZooKeeper state', () => {
  // broker-1 leads with ISR [1,2,3]; its shrink to [1,2] reached ZooKeeper, but the controller
  // crashed before recording it. broker-3 stopped at offset 1; broker-1's HW moves on to 2.
  const shrunkUnrecorded: Item[][] = [
    [elected('broker-1', 1, all)], becomeLeader('broker-1', 1, all),
    [append('broker-1', 0, ['a', 'b'], 'leader')], [append('broker-2', 0, ['a', 'b'])], [append('broker-3', 0, ['a'])],
    [hw('broker-1', 1)],
    [{ engine: 'crash', node: 'broker-9' }],
    [loaded('broker-1', 1, ['broker-1', 'broker-2'])],
    [{ event: 'leader-isr', ...tp, broker: 'broker-1', leaderEpoch: 1, isr: ['broker-1', 'broker-2'] }],
    [hw('broker-1', 2)],
  ];

  it('its ISR is the ISR hw-within-isr and strong-isr check against', () => {
    expect(run(shrunkUnrecorded).violations).toEqual([]);
  });

  it('without it the same run breaks hw-within-isr (the ISR known from facts still holds broker-3)', () => {
    const withoutLoad = shrunkUnrecorded.filter((s) => s[0] && !('event' in s[0] && s[0].event === 'partition-state-loaded'));
    expect(run(withoutLoad).violations.map((v) => v.invariant)).toContain('hw-within-isr');
  });

  it('leader-in-isr checks the leader and ISR it names', () => {
    const { violations } = run([[elected('broker-1', 1, all)], [loaded('broker-2', 3, ['broker-1', 'broker-3'])]]);
    expect(violations.map((v) => [v.invariant, v.step])).toEqual([['leader-in-isr', 2]]);
    expect(violations[0].message).toContain('ZooKeeper names broker-2 leader (epoch 3) but its ISR is [broker-1, broker-3]');
  });

  it('a leader epoch first seen there counts as that epoch\'s leader for one-leader-per-epoch', () => {
    const steps = (broker: string): Item[][] => [[elected('broker-1', 1, all)], [loaded('broker-2', 2, all)], becomeLeader(broker, 2, all)];
    expect(run(steps('broker-2')).violations).toEqual([]);
    const { violations } = run(steps('broker-3'));
    expect(violations.map((v) => v.invariant)).toEqual(['one-leader-per-epoch']);
    expect(violations[0].message).toBe('t-0 epoch 2 has two leaders: broker-2 and broker-3');
  });

  it('a broker presuming an epoch ZooKeeper gave another broker (leader-elected) breaks one-leader-per-epoch', () => {
    const { violations } = run([[elected('broker-1', 1, all)], becomeLeader('broker-2', 1, all)]);
    expect(violations.map((v) => v.invariant)).toEqual(['one-leader-per-epoch']);
  });

  it('the leader it names decides where acknowledged records live, and the cause chain says what was read', () => {
    const { delivery } = run([
      [elected('broker-1', 1, all)], becomeLeader('broker-1', 1, all),
      [request('p:0')], [append('broker-1', 0, ['p:0'], 'leader')], [append('broker-2', 0, ['p:0'])], [acked('p:0', 0, 'broker-1')],
      [{ engine: 'crash', node: 'broker-1' }],
      // The leader moved to broker-3 (not holding the record) in a write nobody recorded.
      [loaded('broker-3', 2, ['broker-3'], 'broker-2')],
    ]);
    const r = delivery.records.find((x) => x.id === 'p:0')!;
    expect(r.lost).toBe(true);
    expect(r.causes.map((c) => c.text)).toContain(
      'broker-2, the new controller, read t-0 from ZooKeeper: leader broker-3, epoch 2, ISR broker-3 (a change no earlier fact reported)',
    );
  });

  it('a read that shows what the facts already showed adds nothing to a cause chain', () => {
    const { delivery } = run([
      [elected('broker-1', 1, all)], becomeLeader('broker-1', 1, all),
      [request('p:0')], [append('broker-1', 0, ['p:0'], 'leader')], [acked('p:0', 0, 'broker-1')],
      [{ event: 'truncate', ...tp, broker: 'broker-1', from: 1, to: 0, rule: 'power-loss', removedIds: ['p:0'] }],
      [loaded('broker-1', 1, all)],
    ]);
    const r = delivery.records.find((x) => x.id === 'p:0')!;
    expect(r.lost).toBe(true);
    expect(r.causes.some((c) => c.text.includes('from ZooKeeper'))).toBe(false);
  });

  it('a late record of a change ZooKeeper has since overtaken (a paused controller waking up) changes nothing', () => {
    const steps = (late: Item[]): Item[][] => [
      [elected('broker-1', 0, all)], becomeLeader('broker-1', 0, all),
      [append('broker-1', 0, ['a', 'b'], 'leader')], [append('broker-2', 0, ['a', 'b'])], [append('broker-3', 0, ['a'])],
      // The controller's write of epoch 0, version 1 went through while it was paused; its successor read it...
      [loaded('broker-1', 0, ['broker-1', 'broker-3'])],
      // ...and took broker-3 out with a new leader epoch (version 2); the leader follows.
      [{ event: 'isr-changed', ...tp, isr: ['broker-1', 'broker-2'], leaderEpoch: 1, partitionEpoch: 2 }],
      becomeLeader('broker-1', 1, ['broker-1', 'broker-2']),
      // The paused controller wakes up and records its own change of version 1.
      late,
      [hw('broker-1', 2)],
    ];
    const stale: Item[] = [
      { event: 'isr-changed', ...tp, isr: ['broker-1', 'broker-3'], leaderEpoch: 0, partitionEpoch: 1 },
      elected('broker-3', 0, ['broker-3']),
    ];
    expect(run(steps(stale)).violations).toEqual([]);
    // The same ISR as ZooKeeper's current state would break hw-within-isr and strong-isr: broker-3 ends at offset 1.
    const current: Item[] = [{ event: 'isr-changed', ...tp, isr: ['broker-1', 'broker-3'], leaderEpoch: 1, partitionEpoch: 3 }];
    expect(run(steps(current)).violations.map((v) => v.invariant).sort()).toEqual(['hw-within-isr', 'strong-isr']);
  });
});
