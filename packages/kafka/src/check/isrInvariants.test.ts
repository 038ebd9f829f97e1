import { describe, expect, it } from 'vitest';
import { checkInvariants, deliveryReport } from '.';
import type { CheckContext } from './facts';
import { syntheticTrace as traceOf, type SyntheticItem } from './testing/syntheticTrace';

type Item = SyntheticItem;


const tp = { topic: 't', partition: 0 };
const context: CheckContext = {
  brokers: ['broker-1', 'broker-2', 'broker-3'],
  topics: [{ name: 't', partitions: 1, replicationFactor: 3, minInsyncReplicas: 1, uncleanLeaderElection: false }],
  crashMode: 'process',
};
const all = ['broker-1', 'broker-2', 'broker-3'];
const check = (steps: Item[][]) => {
  const trace = traceOf(steps);
  return checkInvariants(trace, context, deliveryReport(trace)).filter((v) => ['leader-in-isr', 'weak-isr', 'strong-isr'].includes(v.invariant));
};

const elected = (leader: string, leaderEpoch: number, isr: string[]): Item =>
  ({ event: 'leader-elected', ...tp, leader, leaderEpoch, isr, unclean: false, reason: 'test', controllerEpoch: 1 });
const becomeLeader = (broker: string, leaderEpoch: number, isr: string[], hw = 0): Item[] => [
  { event: 'become-leader', ...tp, broker, leaderEpoch, logEndOffset: 0, highWatermark: hw },
  { event: 'leader-isr', ...tp, broker, leaderEpoch, isr },
];
const append = (broker: string, firstOffset: number, ids: string[]): Item =>
  ({ event: 'append', ...tp, broker, role: 'follower', leaderEpoch: 1, firstOffset, lastOffset: firstOffset + ids.length - 1, ids });
const hw = (broker: string, highWatermark: number): Item => ({ event: 'high-watermark', ...tp, broker, highWatermark });

describe('weak-isr and strong-isr', () => {
  it('hold while every ISR member has the leader records below its high watermark', () => {
    expect(check([
      [elected('broker-1', 1, all)], becomeLeader('broker-1', 1, all),
      [append('broker-1', 0, ['a', 'b'])], [append('broker-2', 0, ['a', 'b'])], [append('broker-3', 0, ['a'])],
      [hw('broker-1', 1)],
    ])).toEqual([]);
  });

  it('weak-isr breaks when a member of the leader own ISR holds another record below the HW, at that step, once', () => {
    const violations = check([
      [elected('broker-1', 1, all)], becomeLeader('broker-1', 1, all),
      [append('broker-1', 0, ['a', 'b'])], [append('broker-2', 0, ['a', 'x'])], [append('broker-3', 0, ['a', 'b'])],
      [hw('broker-1', 1)],
      [hw('broker-1', 2)],
      [append('broker-1', 2, ['c'])],
    ]);
    expect(violations.map((v) => [v.invariant, v.step])).toEqual([['weak-isr', 7], ['strong-isr', 7]]);
    expect(violations[0].message).toBe('t-0: broker-1 leads epoch 1 with high watermark 2, but broker-2 of its own ISR [broker-1, broker-2, broker-3] has x at offset 1 where broker-1 has b');
  });

  it('a member that leaves the ISR in ZooKeeper only breaks weak-isr while the leader still counts it (strong-isr holds)', () => {
    const violations = check([
      [elected('broker-1', 1, all)], becomeLeader('broker-1', 1, all),
      [append('broker-1', 0, ['a', 'b'])], [append('broker-2', 0, ['a', 'b'])], [append('broker-3', 0, ['a', 'b'])],
      [hw('broker-1', 2)],
      [{ event: 'isr-changed', ...tp, isr: ['broker-1', 'broker-2'], leaderEpoch: 1, partitionEpoch: 1 }],
      [{ event: 'truncate', ...tp, broker: 'broker-3', from: 2, to: 0, rule: 'high-watermark', removedIds: ['a', 'b'] }],
    ]);
    expect(violations.map((v) => v.invariant)).toEqual(['weak-isr']);
  });

  it('a crashed leader presumes nothing; a paused one still does', () => {
    const base: Item[][] = [
      [elected('broker-1', 1, all)], becomeLeader('broker-1', 1, all),
      [append('broker-1', 0, ['a'])], [append('broker-2', 0, ['a'])], [append('broker-3', 0, ['a'])],
      [hw('broker-1', 1)],
    ];
    const truncate: Item = { event: 'truncate', ...tp, broker: 'broker-2', from: 1, to: 0, rule: 'high-watermark', removedIds: ['a'] };
    expect(check([...base, [{ engine: 'crash', node: 'broker-1' }], [truncate]])).toEqual([]);
    expect(check([...base, [{ engine: 'pause', node: 'broker-1' }], [truncate]]).map((v) => v.invariant)).toEqual(['weak-isr', 'strong-isr']);
  });

  it('strong-isr breaks when ZooKeeper ISR holds a replica the presumed leader never counted', () => {
    const violations = check([
      [elected('broker-1', 1, ['broker-1', 'broker-2'])], becomeLeader('broker-1', 1, ['broker-1', 'broker-2']),
      [append('broker-1', 0, ['a'])], [append('broker-2', 0, ['a'])],
      [hw('broker-1', 1)],
      [{ event: 'isr-changed', ...tp, isr: all, leaderEpoch: 1, partitionEpoch: 1 }],
    ]);
    expect(violations.map((v) => [v.invariant, v.step])).toEqual([['strong-isr', 6]]);
    expect(violations[0].message).toContain('broker-3 of the ISR in ZooKeeper [broker-1, broker-2, broker-3] has nothing at offset 0');
  });
});

describe('leader-in-isr', () => {
  it('breaks when ZooKeeper names a leader outside its ISR', () => {
    const violations = check([[elected('broker-1', 1, ['broker-2', 'broker-3'])]]);
    expect(violations.map((v) => [v.invariant, v.step])).toEqual([['leader-in-isr', 1]]);
  });

  it('holds when the controller takes a dead leader out (leader none, next epoch), breaks when an ISR change of the same epoch drops it', () => {
    expect(check([[elected('broker-1', 1, all)], [{ event: 'isr-changed', ...tp, isr: ['broker-2', 'broker-3'], leaderEpoch: 2, partitionEpoch: 1 }]])).toEqual([]);
    expect(check([[elected('broker-1', 1, all)], [{ event: 'isr-changed', ...tp, isr: ['broker-2', 'broker-3'], leaderEpoch: 1, partitionEpoch: 1 }]])
      .map((v) => v.invariant)).toEqual(['leader-in-isr']);
  });
});

describe('committed-offsets-monotonic after a truncated log', () => {
  const commit = (offset: number): Item => ({ event: 'offset-committed', ...tp, group: 'g', member: 'm', offset, generation: 1 });
  const backwards = (steps: Item[][]) => {
    const trace = traceOf(steps);
    return checkInvariants(trace, context, deliveryReport(trace)).filter((v) => v.invariant === 'committed-offsets-monotonic').map((v) => v.step);
  };
  const newLeaderAt50: Item = { event: 'become-leader', ...tp, broker: 'broker-2', leaderEpoch: 2, logEndOffset: 50, highWatermark: 50 };

  it('allows the seek back to where a new, shorter leader log begins its epoch (KIP-320), not below it', () => {
    expect(backwards([[commit(201)], [newLeaderAt50], [commit(201)], [commit(51)]])).toEqual([]);
    expect(backwards([[commit(201)], [newLeaderAt50], [commit(201)], [commit(49)]])).toEqual([4]);
    expect(backwards([[commit(201)], [commit(51)]])).toEqual([2]);
  });
});
