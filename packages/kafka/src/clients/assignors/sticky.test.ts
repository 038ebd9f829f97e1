/**
 * AbstractStickyAssignorTest, run against both sticky flavours like Kafka does. For
 * cooperative-sticky the result is checked after the follow-up rebalances (as Kafka's
 * CooperativeStickyAssignorTest.verifyValidityAndBalance does); what the first cooperative round
 * withholds is tested in cooperativeSticky.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { cooperativeStickyAssignor } from './cooperativeSticky';
import { stickyAssignor } from './sticky';
import { isFullyBalanced, owning, settleCooperative, validityAndBalanceProblems } from './stickyTestSupport';
import { show, showAll, tps } from './testSupport';
import type { Assignment, AssignorFn, MemberSubscription } from './types';

const generationId = 1;

function sub(topics: string[], owned?: string, generation?: number): MemberSubscription {
  return owned === undefined ? { topics } : { topics, ownedPartitions: tps(owned), generation: generation ?? generationId };
}

/** Members named like AbstractPartitionAssignorTest.verifyRackAssignment does: consumer0, consumer1, ... */
function indexed(topicLists: string[][], owned?: string[]): Record<string, MemberSubscription> {
  return Object.fromEntries(
    topicLists.map((topics, i) => [`consumer${i}`, owned ? { topics, ownedPartitions: tps(owned[i]) } : { topics }]),
  );
}

function listed(lists: string[]): Record<string, string> {
  return Object.fromEntries(lists.map((l, i) => [`consumer${i}`, l]));
}

/** getTopicName / getConsumerName: zero-padded to the width of maxNum. */
function padded(prefix: string, i: number, maxNum: number): string {
  return prefix + String(i).padStart(String(maxNum).length, '0');
}

describe.each([
  ['sticky', stickyAssignor],
  ['cooperative-sticky', cooperativeStickyAssignor],
] as [string, AssignorFn][])('%s (AbstractStickyAssignorTest)', (name, assignor) => {
  /** Assign, settle the cooperative follow-ups, and check validity and balance. */
  function assign(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, MemberSubscription>): Assignment {
    let result = assignor(partitionsPerTopic, subscriptions);
    let subs = subscriptions;
    if (name === 'cooperative-sticky') ({ assignment: result, subscriptions: subs } = settleCooperative(assignor, partitionsPerTopic, subscriptions, result));
    expect(validityAndBalanceProblems(subs, result)).toEqual([]);
    return result;
  }

  it('one consumer, no topic', () => {
    expect(assign({}, { consumer: sub([]) })).toEqual({ consumer: [] });
  });

  it('one consumer, nonexistent topic', () => {
    expect(assign({ topic: 0 }, { consumer: sub(['topic']) })).toEqual({ consumer: [] });
  });

  it('one consumer, one topic', () => {
    expect(assign({ topic: 3 }, { consumer: sub(['topic']) })).toEqual({ consumer: tps('topic-0, topic-1, topic-2') });
  });

  it('only assigns partitions from subscribed topics', () => {
    const result = assign({ topic: 2, other: 3 }, { consumer: sub(['topic'], 'topic-0, topic-1, other-0, other-1') });
    expect(result).toEqual({ consumer: tps('topic-0, topic-1') });
  });

  it('one consumer, multiple topics', () => {
    expect(assign({ topic1: 1, topic2: 2 }, { consumer: sub(['topic1', 'topic2']) })).toEqual({ consumer: tps('topic1-0, topic2-0, topic2-1') });
  });

  it('two consumers, one topic, one partition', () => {
    const result = assign({ topic: 1 }, { consumer1: sub(['topic']), consumer2: sub(['topic']) });
    expect(showAll(result)).toEqual({ consumer1: 'topic-0', consumer2: '' });
  });

  it('two consumers, one topic, two partitions', () => {
    expect(showAll(assign({ topic: 2 }, { consumer1: sub(['topic']), consumer2: sub(['topic']) }))).toEqual({
      consumer1: 'topic-0',
      consumer2: 'topic-1',
    });
  });

  it('multiple consumers, mixed topic subscriptions (general path)', () => {
    const result = assign({ topic1: 3, topic2: 2 }, { consumer1: sub(['topic1']), consumer2: sub(['topic1', 'topic2']), consumer3: sub(['topic1']) });
    expect(showAll(result)).toEqual({ consumer1: 'topic1-0, topic1-2', consumer2: 'topic2-0, topic2-1', consumer3: 'topic1-1' });
  });

  it('two consumers, two topics, six partitions', () => {
    const both = ['topic1', 'topic2'];
    expect(showAll(assign({ topic1: 3, topic2: 3 }, { consumer1: sub(both), consumer2: sub(both) }))).toEqual({
      consumer1: 'topic1-0, topic1-2, topic2-1',
      consumer2: 'topic1-1, topic2-0, topic2-2',
    });
  });

  it('a consumer owning minQuota gets topped up to maxQuota', () => {
    const both = ['topic1', 'topic2'];
    const result = assign({ topic1: 2, topic2: 3 }, { consumer1: sub(both, 'topic1-0, topic2-1'), consumer2: sub(both, 'topic1-1, topic2-2') });
    expect(showAll(result)).toEqual({ consumer1: 'topic1-0, topic2-0, topic2-1', consumer2: 'topic1-1, topic2-2' });
  });

  it('more members own maxQuota than there are maxQuota slots (HashMap order decides who keeps it)', () => {
    const both = ['topic1', 'topic2'];
    const result = assign(
      { topic1: 2, topic2: 2 },
      { consumer1: sub(both, 'topic1-0, topic2-0'), consumer2: sub(both, 'topic1-1, topic2-1'), consumer3: sub(both, '') },
    );
    expect(showAll(result)).toEqual({ consumer1: 'topic1-0', consumer2: 'topic1-1, topic2-1', consumer3: 'topic2-0' });
    expect(isFullyBalanced(result)).toBe(true);
  });

  it('all consumers are under minQuota', () => {
    const both = ['topic1', 'topic2'];
    const result = assign({ topic1: 2, topic2: 3 }, { consumer1: sub(both, 'topic1-0'), consumer2: sub(both, 'topic1-1'), consumer3: sub(both, '') });
    expect(showAll(result)).toEqual({ consumer1: 'topic1-0, topic2-1', consumer2: 'topic1-1, topic2-2', consumer3: 'topic2-0' });
  });

  it('add and remove a consumer on one topic', () => {
    let result = assign({ topic: 3 }, { consumer1: sub(['topic']) });
    expect(show(result.consumer1)).toBe('topic-0, topic-1, topic-2');

    result = assign({ topic: 3 }, { consumer1: sub(['topic'], show(result.consumer1)), consumer2: sub(['topic'], '') });
    expect(showAll(result)).toEqual({ consumer1: 'topic-0, topic-1', consumer2: 'topic-2' });

    result = assign({ topic: 3 }, { consumer2: sub(['topic'], show(result.consumer2)) });
    expect(showAll(result)).toEqual({ consumer2: 'topic-0, topic-1, topic-2' });
  });

  it('keeps each topic balanced across members as members come and go', () => {
    const both = ['topic1', 'topic2'];
    const ppt = { topic1: 12, topic2: 12 };
    const perTopic = (a: Assignment, n: number) => {
      for (const partitions of Object.values(a)) {
        expect(partitions.filter((p) => p.topic === 'topic1')).toHaveLength(n);
        expect(partitions.filter((p) => p.topic === 'topic2')).toHaveLength(n);
      }
    };
    let result = assign(ppt, { consumer1: sub(both) });
    perTopic(result, 12);
    result = assign(ppt, { consumer1: sub(both, show(result.consumer1)), consumer2: sub(both, '') });
    perTopic(result, 6);
    result = assign(ppt, {
      consumer1: sub(both, show(result.consumer1)),
      consumer2: sub(both, show(result.consumer2)),
      consumer3: sub(both, ''),
      consumer4: sub(both, ''),
    });
    perTopic(result, 3);
    result = assign(ppt, { consumer3: sub(both, show(result.consumer3)), consumer4: sub(both, show(result.consumer4)) });
    perTopic(result, 6);
  });

  it('add and remove two consumers on two topics', () => {
    const both = ['topic1', 'topic2'];
    const ppt = { topic1: 3, topic2: 4 };
    let result = assign(ppt, { consumer1: sub(both), consumer2: sub(both) });
    expect(showAll(result)).toEqual({ consumer1: 'topic1-0, topic1-2, topic2-1, topic2-3', consumer2: 'topic1-1, topic2-0, topic2-2' });

    result = assign(ppt, {
      consumer1: sub(both, show(result.consumer1)),
      consumer2: sub(both, show(result.consumer2)),
      consumer3: sub(both, ''),
      consumer4: sub(both, ''),
    });
    expect(showAll(result)).toEqual({
      consumer1: 'topic1-0, topic2-1',
      consumer2: 'topic1-1, topic2-0',
      consumer3: 'topic1-2, topic2-3',
      consumer4: 'topic2-2',
    });

    result = assign(ppt, { consumer3: sub(both, show(result.consumer3)), consumer4: sub(both, show(result.consumer4)) });
    expect(showAll(result)).toEqual({ consumer3: 'topic1-0, topic1-2, topic2-1, topic2-3', consumer4: 'topic1-1, topic2-0, topic2-2' });
  });

  it('handles the scenario round robin handles poorly', () => {
    const ppt = { topic1: 2, topic2: 1, topic3: 2, topic4: 1, topic5: 2 };
    const result = assign(ppt, {
      consumer1: sub(['topic1', 'topic2', 'topic3', 'topic4', 'topic5']),
      consumer2: sub(['topic1', 'topic3', 'topic5']),
      consumer3: sub(['topic1', 'topic3', 'topic5']),
      consumer4: sub(['topic1', 'topic2', 'topic3', 'topic4', 'topic5']),
    });
    expect(isFullyBalanced(result)).toBe(true);
  });

  it('add and remove a topic with two consumers, sticking to previous partitions', () => {
    let ppt: Record<string, number> = { topic: 3 };
    const first = assign(ppt, { consumer1: sub(['topic']), consumer2: sub(['topic']) });
    expect(isFullyBalanced(first)).toBe(true);

    ppt = { topic: 3, topic2: 3 };
    const second = assign(ppt, {
      consumer1: sub(['topic', 'topic2'], show(first.consumer1)),
      consumer2: sub(['topic', 'topic2'], show(first.consumer2)),
    });
    expect(second.consumer1).toHaveLength(3);
    expect(second.consumer2).toHaveLength(3);
    expect(second.consumer1).toEqual(expect.arrayContaining(first.consumer1));
    expect(second.consumer2).toEqual(expect.arrayContaining(first.consumer2));

    ppt = { topic2: 3 };
    const third = assign(ppt, { consumer1: sub(['topic2'], show(second.consumer1)), consumer2: sub(['topic2'], show(second.consumer2)) });
    expect(isFullyBalanced(third)).toBe(true);
    expect(second.consumer1).toEqual(expect.arrayContaining(third.consumer1));
    expect(second.consumer2).toEqual(expect.arrayContaining(third.consumer2));
  });

  it('reassigns after one consumer leaves (19 nested subscriptions)', () => {
    const ppt: Record<string, number> = {};
    for (let i = 1; i < 20; i++) ppt[padded('t', i, 20)] = i;
    let subs: Record<string, MemberSubscription> = {};
    for (let i = 1; i < 20; i++) subs[padded('c', i, 20)] = sub(Array.from({ length: i }, (_, j) => padded('t', j + 1, 20)));
    const result = assign(ppt, subs);
    subs = owning(subs, result, generationId);
    delete subs.c10;
    assign(ppt, subs);
  });

  it('reassigns after one consumer is added', () => {
    const subs: Record<string, MemberSubscription> = {};
    for (let i = 1; i < 10; i++) subs[padded('c', i, 10)] = sub(['topic']);
    assign({ topic: 20 }, subs);
    subs[padded('c', 10, 10)] = sub(['topic']);
    assign({ topic: 20 }, subs);
  });

  it('same subscriptions, one consumer leaves', () => {
    const ppt: Record<string, number> = {};
    for (let i = 1; i < 15; i++) ppt[padded('t', i, 15)] = i;
    let subs: Record<string, MemberSubscription> = {};
    for (let i = 1; i < 9; i++) subs[padded('c', i, 9)] = sub(Object.keys(ppt));
    const result = assign(ppt, subs);
    subs = owning(subs, result, generationId);
    delete subs[padded('c', 5, 9)];
    assign(ppt, subs);
  });

  it('never double-assigns when three generations claim the same partition', () => {
    for (const [g1, g2, g3] of [
      [1, 2, 3],
      [1, 3, 2],
      [2, 1, 3],
      [2, 3, 1],
      [3, 1, 2],
      [3, 2, 1],
    ]) {
      const result = assignor(
        { topic: 6, topic1: 1 },
        {
          consumer1: sub(['topic'], 'topic-0, topic-2', g1),
          consumer2: sub(['topic'], 'topic-1, topic-2, topic-3', g2),
          consumer3: sub(['topic'], 'topic-2, topic-4, topic-5', g3),
          consumer4: sub(['topic1'], 'topic1-0', 2),
        },
      );
      const all = Object.values(result).flat().map((p) => `${p.topic}-${p.partition}`);
      expect(new Set(all).size).toBe(all.length);
      for (const list of Object.values(result)) {
        expect(list.length).toBeGreaterThanOrEqual(1);
        expect(list.length).toBeLessThanOrEqual(2);
      }
    }
  });

  it('a new subscription keeps the assignment valid', () => {
    const ppt: Record<string, number> = {};
    for (let i = 1; i < 5; i++) ppt[padded('t', i, 5)] = 1;
    const subs: Record<string, MemberSubscription> = {};
    for (let i = 0; i < 3; i++) {
      const topics: string[] = [];
      for (let j = i; j <= 3 * i - 2; j++) topics.push(padded('t', j, 5));
      subs[padded('c', i, 3)] = sub(topics);
    }
    assign(ppt, subs);
    subs.c0 = sub([...subs.c0.topics, padded('t', 1, 5)]);
    assign(ppt, subs);
  });

  it('moves existing assignments when subscriptions differ', () => {
    const ppt = { topic1: 1, topic2: 1, topic3: 1, topic4: 1, topic5: 1, topic6: 1 };
    assign(ppt, {
      consumer1: sub(['topic1', 'topic2'], 'topic1-0'),
      consumer2: sub(['topic1', 'topic2', 'topic3', 'topic4'], 'topic2-0, topic3-0'),
      consumer3: sub(['topic2', 'topic3', 'topic4', 'topic5', 'topic6'], 'topic4-0, topic5-0, topic6-0'),
    });
  });

  it('is sticky when the potential group leader leaves', () => {
    const first = assign({ topic1: 3 }, { consumer1: sub(['topic1']), consumer2: sub(['topic1']), consumer3: sub(['topic1']), consumer4: sub(['topic1']) });
    for (const partitions of Object.values(first)) expect(partitions.length).toBeLessThanOrEqual(1);
    const second = assign(
      { topic1: 3 },
      { consumer2: sub(['topic1'], show(first.consumer2)), consumer3: sub(['topic1'], show(first.consumer3)), consumer4: sub(['topic1'], show(first.consumer4)) },
    );
    for (const consumer of ['consumer2', 'consumer3', 'consumer4']) {
      expect(second[consumer]).toHaveLength(1);
      if (first[consumer].length === 1) expect(second[consumer]).toEqual(first[consumer]);
    }
  });

  it('assigns everything that exists when a subscribed topic was deleted', () => {
    const result = assign({ topic1: 1, topic3: 100 }, { consumer: sub(['topic1', 'topic2', 'topic3']) });
    expect(result.consumer).toHaveLength(101);
  });

  it('does not throw when the only subscribed topic is deleted', () => {
    const first = assign({ topic: 3 }, { consumer: sub(['topic']) });
    expect(assignor({}, { consumer: sub(['topic'], show(first.consumer)) })).toEqual({ consumer: [] });
  });

  it('all consumers reach the expected quota and count as filled', () => {
    const result = assign({ topic: 4 }, { consumer1: sub(['topic'], 'topic-0, topic-1'), consumer2: sub(['topic'], 'topic-2'), consumer3: sub(['topic'], '') });
    expect(showAll(result)).toEqual({ consumer1: 'topic-0, topic-1', consumer2: 'topic-2', consumer3: 'topic-3' });
  });

  it('invalidates owned partitions of a consumer with a stale generation', () => {
    const both = ['topic', 'topic2'];
    const result = assign(
      { topic: 3, topic2: 3 },
      { consumer1: sub(both, 'topic-0, topic-2, topic2-1', 10), consumer2: sub(both, 'topic-0, topic-2, topic2-1', 9) },
    );
    expect(showAll(result)).toEqual({ consumer1: 'topic-0, topic-2, topic2-1', consumer2: 'topic-1, topic2-0, topic2-2' });
  });

  it('invalidates owned partitions of a consumer without a generation', () => {
    const both = ['topic', 'topic2'];
    const result = assign(
      { topic: 3, topic2: 3 },
      { consumer1: sub(both, 'topic-0, topic-2, topic2-1', 10), consumer2: sub(both, 'topic-0, topic-2, topic2-1', -1) },
    );
    expect(showAll(result)).toEqual({ consumer1: 'topic-0, topic-2, topic2-1', consumer2: 'topic-1, topic2-0, topic2-2' });
  });

  it('a partition claimed by two members of one generation goes to a third', () => {
    const result = assign({ topic: 3 }, { consumer1: sub(['topic'], 'topic-0, topic-1'), consumer2: sub(['topic'], 'topic-0, topic-2'), consumer3: sub(['topic'], '') });
    expect(showAll(result)).toEqual({ consumer1: 'topic-1', consumer2: 'topic-2', consumer3: 'topic-0' });
  });

  it('partitions go to the member with the highest generation', () => {
    const all = ['topic', 'topic2', 'topic3'];
    const result = assign(
      { topic: 3, topic2: 3, topic3: 3 },
      {
        consumer1: sub(all, 'topic-0, topic2-0, topic3-0', 10),
        consumer2: sub(all, 'topic-1, topic2-1, topic3-1', 9),
        consumer3: sub(all, 'topic2-1, topic3-0, topic3-2', 8),
      },
    );
    expect(showAll(result)).toEqual({
      consumer1: 'topic-0, topic2-0, topic3-0',
      consumer2: 'topic-1, topic2-1, topic3-1',
      consumer3: 'topic-2, topic2-2, topic3-2',
    });
  });

  it('does not reassign the partitions of current members', () => {
    const all = ['topic', 'topic2', 'topic3', 'topic1'];
    const result = assign(
      { topic: 3, topic1: 3, topic2: 3, topic3: 3 },
      {
        consumer1: sub(all, '', -1),
        consumer2: sub(all, 'topic-0, topic2-0, topic1-0', 9),
        consumer3: sub(all, 'topic3-2, topic2-2, topic1-1', 8),
        consumer4: sub(all, 'topic3-1, topic-1, topic-2', 7),
      },
    );
    expect(show(result.consumer1)).toBe('topic1-2, topic2-1, topic3-0');
  });

  it('invalidates owned partitions across multiple generations', () => {
    const both = ['topic', 'topic2'];
    const result = assign(
      { topic: 3, topic2: 3 },
      { consumer1: sub(both, 'topic-0, topic2-1, topic-1', 10), consumer2: sub(both, 'topic-0, topic2-1, topic2-2', 8) },
    );
    expect(showAll(result)).toEqual({ consumer1: 'topic-0, topic-1, topic2-1', consumer2: 'topic-2, topic2-0, topic2-2' });
  });

  // The non-rack-aware expectations of testRackAwareAssignmentWithUniformSubscription / ...NonEqualSubscription.
  it('uniform subscription (t1:6, t2:7, t3:2), fresh and sticky', () => {
    const all = ['t1', 't2', 't3'];
    const want = ['t1-0, t1-3, t2-0, t2-3, t2-6', 't1-1, t1-4, t2-1, t2-4, t3-0', 't1-2, t1-5, t2-2, t2-5, t3-1'];
    expect(showAll(assign({ t1: 6, t2: 7, t3: 2 }, indexed([all, all, all])))).toEqual(listed(want));
    expect(showAll(assign({ t1: 6, t2: 7, t3: 2 }, indexed([all, all, all], want)))).toEqual(listed(want));
  });

  it('non-equal subscription (t1:6, t2:7, t3:2), fresh (general path)', () => {
    const all = ['t1', 't2', 't3'];
    const want = ['t1-5, t2-0, t2-2, t2-4, t2-6', 't1-3, t2-1, t2-3, t2-5, t3-0', 't1-0, t1-1, t1-2, t1-4, t3-1'];
    expect(showAll(assign({ t1: 6, t2: 7, t3: 2 }, indexed([all, all, ['t1', 't3']])))).toEqual(listed(want));
    expect(showAll(assign({ t1: 6, t2: 7, t3: 2 }, indexed([all, all, ['t1', 't3']], want)))).toEqual(listed(want));
  });
});

describe('sticky javadoc examples (StickyAssignor)', () => {
  it('example 1: balanced like round robin, then keeps every partition when C1 leaves', () => {
    const all = ['t0', 't1', 't2', 't3'];
    const ppt = { t0: 2, t1: 2, t2: 2, t3: 2 };
    const first = stickyAssignor(ppt, { C0: sub(all), C1: sub(all), C2: sub(all) });
    expect(showAll(first)).toEqual({ C0: 't0-0, t1-1, t3-0', C1: 't0-1, t2-0, t3-1', C2: 't1-0, t2-1' });
    const second = stickyAssignor(ppt, { C0: sub(all, show(first.C0)), C2: sub(all, show(first.C2)) });
    // The javadoc (written for the pre-2.8 algorithm) hands t2p0 to C0 and t0p1 to C2; the constrained
    // algorithm fills C0 first with the lowest unassigned partition. Either way nothing owned moves.
    expect(showAll(second)).toEqual({ C0: 't0-0, t0-1, t1-1, t3-0', C2: 't1-0, t2-0, t2-1, t3-1' });
  });

  it('example 2: more balanced than round robin, and keeps 5 partitions when C0 leaves', () => {
    const ppt = { t0: 1, t1: 2, t2: 3 };
    const first = stickyAssignor(ppt, { C0: sub(['t0']), C1: sub(['t0', 't1']), C2: sub(['t0', 't1', 't2']) });
    expect(showAll(first)).toEqual({ C0: 't0-0', C1: 't1-0, t1-1', C2: 't2-0, t2-1, t2-2' });
    const second = stickyAssignor(ppt, { C1: sub(['t0', 't1'], show(first.C1)), C2: sub(['t0', 't1', 't2'], show(first.C2)) });
    expect(showAll(second)).toEqual({ C1: 't0-0, t1-0, t1-1', C2: 't2-0, t2-1, t2-2' });
  });
});

describe('stickyAssignor specifics', () => {
  it('keeps the output sorted and lists every member', () => {
    const result = stickyAssignor({ b: 2, a: 2 }, { z: sub(['a', 'b']), y: sub(['a', 'b']), x: sub(['a', 'b']), w: sub(['c']) });
    expect(Object.keys(result)).toEqual(['w', 'x', 'y', 'z']);
    expect(result.w).toEqual([]);
    for (const list of Object.values(result)) expect(list).toEqual([...list].sort((p, q) => (p.topic < q.topic ? -1 : p.topic > q.topic ? 1 : p.partition - q.partition)));
  });

  it('Kafka quirk: a member with an empty subscription seen first does not make the group "unequal"', () => {
    // HashMap order puts "a" (bucket 1) before "b" (bucket 2); the reference topic set then comes from
    // "b", so the constrained path runs and "a" receives partitions of a topic it did not subscribe to.
    const result = stickyAssignor({ t: 2 }, { a: sub([]), b: sub(['t']) });
    expect(showAll(result)).toEqual({ a: 't-0', b: 't-1' });
    // With the empty member second, the group is unequal and the general path keeps it empty.
    expect(showAll(stickyAssignor({ t: 2 }, { b: sub([]), a: sub(['t']) }))).toEqual({ a: 't-0, t-1', b: '' });
  });

  it('Kafka quirk: a previous-generation owner gets its partition back even after unsubscribing', () => {
    // GeneralAssignmentBuilder.performReassignments moves a partition to its prevAssignment owner
    // without checking that owner's subscription. P left topic t while a generation behind.
    const result = stickyAssignor(
      { t: 4, u: 1 },
      {
        A: { topics: ['t', 'u'], ownedPartitions: tps('t-0, t-1, t-2, t-3'), generation: 2 },
        B: { topics: ['t'], ownedPartitions: [], generation: 2 },
        P: { topics: ['u'], ownedPartitions: tps('t-0') },
      },
    );
    expect(showAll(result)).toEqual({ A: 't-2, t-3', B: 't-1', P: 't-0, u-0' });
  });

  it('scales to a few thousand partitions', () => {
    const ppt: Record<string, number> = {};
    for (let t = 0; t < 20; t++) ppt[padded('t', t, 20)] = 100;
    const topics = Object.keys(ppt);
    const subs: Record<string, MemberSubscription> = {};
    for (let c = 0; c < 50; c++) subs[padded('c', c, 50)] = sub(c === 49 ? topics.slice(0, 1) : topics);
    const first = stickyAssignor(ppt, subs);
    expect(validityAndBalanceProblems(subs, first)).toEqual([]);
    const second = stickyAssignor(ppt, owning(subs, first));
    expect(validityAndBalanceProblems(subs, second)).toEqual([]);
  });
});
