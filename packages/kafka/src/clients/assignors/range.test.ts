import { describe, expect, it } from 'vitest';
import { rangeAssignor } from './range';
import { showAll, tps } from './testSupport';
import type { MemberSubscription } from './types';

/** Members consumer0..n-1 with the given topic lists (AbstractPartitionAssignorTest.verifyRackAssignment naming). */
function members(topicLists: string[][]): Record<string, MemberSubscription> {
  return Object.fromEntries(topicLists.map((topics, i) => [`consumer${i}`, { topics }]));
}

function expected(lists: string[]): Record<string, string> {
  return Object.fromEntries(lists.map((l, i) => [`consumer${i}`, l]));
}

describe('rangeAssignor', () => {
  it('javadoc example: C0, C1 on t0, t1 with 3 partitions each', () => {
    const result = rangeAssignor({ t0: 3, t1: 3 }, { C0: { topics: ['t0', 't1'] }, C1: { topics: ['t0', 't1'] } });
    expect(result).toEqual({ C0: tps('t0-0, t0-1, t1-0, t1-1'), C1: tps('t0-2, t1-2') });
  });

  // RangeAssignorTest
  it('one consumer, no topic', () => {
    expect(rangeAssignor({}, { consumer1: { topics: [] } })).toEqual({ consumer1: [] });
  });

  it('one consumer, nonexistent topic', () => {
    expect(rangeAssignor({}, { consumer1: { topics: ['topic1'] } })).toEqual({ consumer1: [] });
  });

  it('one consumer, one topic', () => {
    expect(rangeAssignor({ topic1: 3 }, { consumer1: { topics: ['topic1'] } })).toEqual({ consumer1: tps('topic1-0, topic1-1, topic1-2') });
  });

  it('only assigns partitions from subscribed topics', () => {
    expect(rangeAssignor({ topic1: 3, other: 3 }, { consumer1: { topics: ['topic1'] } })).toEqual({
      consumer1: tps('topic1-0, topic1-1, topic1-2'),
    });
  });

  it('one consumer, multiple topics', () => {
    expect(rangeAssignor({ topic1: 1, topic2: 2 }, { consumer1: { topics: ['topic1', 'topic2'] } })).toEqual({
      consumer1: tps('topic1-0, topic2-0, topic2-1'),
    });
  });

  it('two consumers, one topic, one partition', () => {
    expect(rangeAssignor({ topic1: 1 }, { consumer1: { topics: ['topic1'] }, consumer2: { topics: ['topic1'] } })).toEqual({
      consumer1: tps('topic1-0'),
      consumer2: [],
    });
  });

  it('two consumers, one topic, two partitions', () => {
    expect(rangeAssignor({ topic1: 2 }, { consumer1: { topics: ['topic1'] }, consumer2: { topics: ['topic1'] } })).toEqual({
      consumer1: tps('topic1-0'),
      consumer2: tps('topic1-1'),
    });
  });

  it('multiple consumers, mixed topics', () => {
    const result = rangeAssignor(
      { topic1: 3, topic2: 2 },
      { consumer1: { topics: ['topic1'] }, consumer2: { topics: ['topic1', 'topic2'] }, consumer3: { topics: ['topic1'] } },
    );
    expect(showAll(result)).toEqual({ consumer1: 'topic1-0', consumer2: 'topic1-1, topic2-0, topic2-1', consumer3: 'topic1-2' });
  });

  it('two static consumers are ordered by group.instance.id, not member id', () => {
    const result = rangeAssignor(
      { topic1: 3, topic2: 3 },
      {
        'consumer-b': { topics: ['topic1', 'topic2'], groupInstanceId: 'instance1' },
        'consumer-a': { topics: ['topic1', 'topic2'], groupInstanceId: 'instance2' },
      },
    );
    expect(showAll(result)).toEqual({ 'consumer-a': 'topic1-2, topic2-2', 'consumer-b': 'topic1-0, topic1-1, topic2-0, topic2-1' });
  });

  it('a static consumer goes before a dynamic one', () => {
    const result = rangeAssignor(
      { topic1: 3, topic2: 3 },
      { 'consumer-b': { topics: ['topic1', 'topic2'], groupInstanceId: 'instance1' }, 'consumer-a': { topics: ['topic1', 'topic2'], groupInstanceId: null } },
    );
    expect(showAll(result)).toEqual({ 'consumer-a': 'topic1-2, topic2-2', 'consumer-b': 'topic1-0, topic1-1, topic2-0, topic2-1' });
  });

  it('static members keep their ranges when a dynamic member is replaced (testStaticMemberRangeAssignmentPersistent)', () => {
    const both = ['topic1', 'topic2'];
    const subs: Record<string, MemberSubscription> = {
      consumer1: { topics: both, groupInstanceId: 'instance1' },
      consumer2: { topics: both, groupInstanceId: 'instance2' },
      consumer3: { topics: both, groupInstanceId: 'instance3' },
      consumer4: { topics: both },
    };
    const want = {
      consumer1: 'topic1-0, topic1-1, topic2-0',
      consumer2: 'topic1-2, topic2-1',
      consumer3: 'topic1-3, topic2-2',
      consumer4: 'topic1-4, topic2-3',
    };
    expect(showAll(rangeAssignor({ topic1: 5, topic2: 4 }, subs))).toEqual(want);
    const { consumer4, ...rest } = subs;
    expect(showAll(rangeAssignor({ topic1: 5, topic2: 4 }, { ...rest, consumer5: consumer4 }))).toEqual({
      consumer1: want.consumer1,
      consumer2: want.consumer2,
      consumer3: want.consumer3,
      consumer5: want.consumer4,
    });
  });

  it('static members keep their ranges when their member ids change', () => {
    const both = ['topic1', 'topic2'];
    const byInstance = (subs: Record<string, MemberSubscription>) => {
      const result = rangeAssignor({ topic1: 5, topic2: 5 }, subs);
      return Object.fromEntries(Object.entries(subs).map(([id, s]) => [s.groupInstanceId, showAll(result)[id]]));
    };
    const before = byInstance({
      consumer1: { topics: both, groupInstanceId: 'instance1' },
      consumer2: { topics: both, groupInstanceId: 'instance2' },
      consumer3: { topics: both, groupInstanceId: 'instance3' },
    });
    expect(before).toEqual({
      instance1: 'topic1-0, topic1-1, topic2-0, topic2-1',
      instance2: 'topic1-2, topic1-3, topic2-2, topic2-3',
      instance3: 'topic1-4, topic2-4',
    });
    const after = byInstance({
      consumer1: { topics: both, groupInstanceId: 'instance1' },
      consumer5: { topics: both, groupInstanceId: 'instance2' },
      consumer4: { topics: both, groupInstanceId: 'instance3' },
    });
    expect(after).toEqual(before);
  });

  // The non-rack-aware expectations of RangeAssignorTest's rack tests.
  it('uniform subscription (t1:6, t2:7, t3:2)', () => {
    const all = ['t1', 't2', 't3'];
    expect(showAll(rangeAssignor({ t1: 6, t2: 7, t3: 2 }, members([all, all, all])))).toEqual(
      expected(['t1-0, t1-1, t2-0, t2-1, t2-2, t3-0', 't1-2, t1-3, t2-3, t2-4, t3-1', 't1-4, t1-5, t2-5, t2-6']),
    );
  });

  it('non-equal subscription (t1:6, t2:7, t3:2)', () => {
    const all = ['t1', 't2', 't3'];
    expect(showAll(rangeAssignor({ t1: 6, t2: 7, t3: 2 }, members([all, all, ['t1', 't3']])))).toEqual(
      expected(['t1-0, t1-1, t2-0, t2-1, t2-2, t2-3, t3-0', 't1-2, t1-3, t2-4, t2-5, t2-6, t3-1', 't1-4, t1-5']),
    );
  });

  it('uniform partitions (three topics of 5)', () => {
    const all = ['t1', 't2', 't3'];
    expect(showAll(rangeAssignor({ t1: 5, t2: 5, t3: 5 }, members([all, all, all])))).toEqual(
      expected(['t1-0, t1-1, t2-0, t2-1, t3-0, t3-1', 't1-2, t1-3, t2-2, t2-3, t3-2, t3-3', 't1-4, t2-4, t3-4']),
    );
    expect(showAll(rangeAssignor({ t1: 5, t2: 5, t3: 5 }, members([all, all, ['t1', 't3']])))).toEqual(
      expected(['t1-0, t1-1, t2-0, t2-1, t2-2, t3-0, t3-1', 't1-2, t1-3, t2-3, t2-4, t3-2, t3-3', 't1-4, t3-4']),
    );
  });

  it('co-partitioned topics land together', () => {
    const topics = { t1: 6, t2: 6, t3: 2, t4: 2 };
    expect(showAll(rangeAssignor(topics, members([['t1', 't2'], ['t1', 't2'], ['t3', 't4'], ['t3', 't4']])))).toEqual(
      expected(['t1-0, t1-1, t1-2, t2-0, t2-1, t2-2', 't1-3, t1-4, t1-5, t2-3, t2-4, t2-5', 't3-0, t4-0', 't3-1, t4-1']),
    );
    const all = ['t1', 't2', 't3', 't4'];
    expect(showAll(rangeAssignor(topics, members([all, all, all, all])))).toEqual(
      expected(['t1-0, t1-1, t2-0, t2-1, t3-0, t4-0', 't1-2, t1-3, t2-2, t2-3, t3-1, t4-1', 't1-4, t2-4', 't1-5, t2-5']),
    );
  });

  it('ignores subscribed topics that do not exist (testCoPartitionedAssignmentWithSameSubscription)', () => {
    const topicList = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9'];
    expect(showAll(rangeAssignor({ t1: 6, t2: 6, t3: 2, t4: 2, t5: 4, t6: 4 }, members([topicList, topicList, topicList])))).toEqual(
      expected([
        't1-0, t1-1, t2-0, t2-1, t3-0, t4-0, t5-0, t5-1, t6-0, t6-1',
        't1-2, t1-3, t2-2, t2-3, t3-1, t4-1, t5-2, t6-2',
        't1-4, t1-5, t2-4, t2-5, t5-3, t6-3',
      ]),
    );
  });

  it('sorts members by String.compareTo, so consumer10 comes before consumer2', () => {
    const result = rangeAssignor({ t: 3 }, { consumer2: { topics: ['t'] }, consumer10: { topics: ['t'] }, consumer1: { topics: ['t'] } });
    expect(showAll(result)).toEqual({ consumer1: 't-0', consumer10: 't-1', consumer2: 't-2' });
    expect(Object.keys(result)).toEqual(['consumer1', 'consumer10', 'consumer2']);
  });
});
