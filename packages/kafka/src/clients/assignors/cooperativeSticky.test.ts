/**
 * CooperativeStickyAssignorTest and the cooperative half of AbstractStickyAssignorTest: a partition
 * that changes owner is withheld in the round that revokes it, and handed over in the next one.
 */
import { describe, expect, it } from 'vitest';
import { cooperativeStickyAssignor } from './cooperativeSticky';
import { stickyAssignor } from './sticky';
import { owning, settleCooperative, validityAndBalanceProblems } from './stickyTestSupport';
import { show, showAll, tps } from './testSupport';
import type { MemberSubscription } from './types';

function sub(topics: string[], owned = '', generation = 1): MemberSubscription {
  return { topics, ownedPartitions: tps(owned), generation };
}

describe('cooperativeStickyAssignor', () => {
  it('withholds a partition claimed by two members of one generation (equal partitions per consumer)', () => {
    const subs = { consumer1: sub(['topic'], 'topic-0, topic-1'), consumer2: sub(['topic'], 'topic-0, topic-2'), consumer3: sub(['topic']) };
    const result = cooperativeStickyAssignor({ topic: 3 }, subs);
    // topic-0 counts as owned until both claimants have revoked it.
    expect(showAll(result)).toEqual({ consumer1: 'topic-1', consumer2: 'topic-2', consumer3: '' });
    const settled = settleCooperative(cooperativeStickyAssignor, { topic: 3 }, subs, result);
    expect(showAll(settled.assignment)).toEqual({ consumer1: 'topic-1', consumer2: 'topic-2', consumer3: 'topic-0' });
  });

  it('withholds a doubly claimed partition (unequal partitions per consumer)', () => {
    const subs = { consumer1: sub(['topic'], 'topic-0, topic-1'), consumer2: sub(['topic'], 'topic-0, topic-2'), consumer3: sub(['topic']) };
    expect(showAll(cooperativeStickyAssignor({ topic: 4 }, subs))).toEqual({ consumer1: 'topic-1, topic-3', consumer2: 'topic-2', consumer3: '' });
  });

  it('withholds a partition revoked from an over-quota member, unlike the eager sticky assignor', () => {
    const both = ['topic1', 'topic2'];
    const subs = { consumer1: sub(both, 'topic1-0, topic2-0'), consumer2: sub(both, 'topic1-1, topic2-1'), consumer3: sub(both) };
    expect(showAll(stickyAssignor({ topic1: 2, topic2: 2 }, subs))).toEqual({ consumer1: 'topic1-0', consumer2: 'topic1-1, topic2-1', consumer3: 'topic2-0' });
    const first = cooperativeStickyAssignor({ topic1: 2, topic2: 2 }, subs);
    expect(showAll(first)).toEqual({ consumer1: 'topic1-0', consumer2: 'topic1-1, topic2-1', consumer3: '' });
    const second = cooperativeStickyAssignor({ topic1: 2, topic2: 2 }, owning(subs, first));
    expect(showAll(second)).toEqual({ consumer1: 'topic1-0', consumer2: 'topic1-1, topic2-1', consumer3: 'topic2-0' });
  });

  it('adds two consumers in two rounds: revoke first, then assign', () => {
    const both = ['topic1', 'topic2'];
    const ppt = { topic1: 3, topic2: 4 };
    const subs = {
      consumer1: sub(both, 'topic1-0, topic1-2, topic2-1, topic2-3'),
      consumer2: sub(both, 'topic1-1, topic2-0, topic2-2'),
      consumer3: sub(both),
      consumer4: sub(both),
    };
    const first = cooperativeStickyAssignor(ppt, subs);
    expect(showAll(first)).toEqual({ consumer1: 'topic1-0, topic2-1', consumer2: 'topic1-1, topic2-0', consumer3: '', consumer4: '' });
    const second = cooperativeStickyAssignor(ppt, owning(subs, first));
    expect(showAll(second)).toEqual({ consumer1: 'topic1-0, topic2-1', consumer2: 'topic1-1, topic2-0', consumer3: 'topic1-2, topic2-3', consumer4: 'topic2-2' });
  });

  it('computes the moving partitions itself on the general path (testRackAwareAssignmentWithNonEqualSubscription)', () => {
    const all = ['t1', 't2', 't3'];
    const ppt = { t1: 6, t2: 7, t3: 2 };
    const subs = {
      consumer0: { topics: all, ownedPartitions: tps('t1-0, t1-1, t1-2, t1-3, t1-4') },
      consumer1: { topics: all, ownedPartitions: tps('t1-5, t2-0, t2-1, t2-2, t2-3') },
      consumer2: { topics: ['t1', 't3'], ownedPartitions: tps('t2-4, t2-5, t2-6, t3-0, t3-1') },
    };
    const intermediate = cooperativeStickyAssignor(ppt, subs);
    expect(showAll(intermediate)).toEqual({ consumer0: 't1-2, t1-3, t1-4', consumer1: 't2-0, t2-1, t2-2, t2-3', consumer2: 't3-0, t3-1' });
    const next = Object.fromEntries(Object.entries(subs).map(([id, s]) => [id, { topics: s.topics, ownedPartitions: intermediate[id] }]));
    expect(showAll(cooperativeStickyAssignor(ppt, next))).toEqual({
      consumer0: 't1-2, t1-3, t1-4, t2-4, t2-5',
      consumer1: 't2-0, t2-1, t2-2, t2-3, t2-6',
      consumer2: 't1-0, t1-1, t1-5, t3-0, t3-1',
    });
  });

  it('works with subscriptions that carry no generation (testAssignorWithOldVersionSubscriptions)', () => {
    const subs = {
      consumer1: { topics: ['topic1'], ownedPartitions: tps('topic1-0') },
      consumer2: { topics: ['topic1'], ownedPartitions: tps('topic1-1') },
      consumer3: sub(['topic1']),
    };
    const result = cooperativeStickyAssignor({ topic1: 3 }, subs);
    expect(showAll(result)).toEqual({ consumer1: 'topic1-0', consumer2: 'topic1-1', consumer3: 'topic1-2' });
    expect(validityAndBalanceProblems(subs, result)).toEqual([]);
  });

  it('uses the raw owned partitions, not the generation-filtered ones, to find moves', () => {
    // consumer2 is a generation behind; its claim to t-0 loses, yet t-0 is still "owned" by it,
    // so it is not assigned to anyone new in this round.
    const subs = { consumer1: sub(['t', 'u'], 't-1', 5), consumer2: sub(['t'], 't-0', 4), consumer3: sub(['t', 'u'], '', 5) };
    const result = cooperativeStickyAssignor({ t: 2, u: 2 }, subs);
    const eager = stickyAssignor({ t: 2, u: 2 }, subs);
    for (const [id, partitions] of Object.entries(result)) expect(eager[id]).toEqual(expect.arrayContaining(partitions));
    const settled = settleCooperative(cooperativeStickyAssignor, { t: 2, u: 2 }, subs, result);
    expect(validityAndBalanceProblems(settled.subscriptions, settled.assignment)).toEqual([]);
    expect(show(Object.values(settled.assignment).flat())).toBe('t-0, t-1, u-0, u-1');
  });
});
