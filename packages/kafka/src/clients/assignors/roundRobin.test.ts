import { describe, expect, it } from 'vitest';
import { roundRobinAssignor } from './roundRobin';
import { showAll, tps } from './testSupport';
import type { MemberSubscription } from './types';

describe('roundRobinAssignor', () => {
  it('javadoc example 1: identical subscriptions', () => {
    const result = roundRobinAssignor({ t0: 3, t1: 3 }, { C0: { topics: ['t0', 't1'] }, C1: { topics: ['t0', 't1'] } });
    expect(result).toEqual({ C0: tps('t0-0, t0-2, t1-1'), C1: tps('t0-1, t1-0, t1-2') });
  });

  it('javadoc example 2: differing subscriptions skip members', () => {
    const result = roundRobinAssignor(
      { t0: 1, t1: 2, t2: 3 },
      { C0: { topics: ['t0'] }, C1: { topics: ['t0', 't1'] }, C2: { topics: ['t0', 't1', 't2'] } },
    );
    expect(showAll(result)).toEqual({ C0: 't0-0', C1: 't1-0', C2: 't1-1, t2-0, t2-1, t2-2' });
  });

  it('sticky javadoc example 1 (same as round robin before anyone leaves)', () => {
    const all = ['t0', 't1', 't2', 't3'];
    const result = roundRobinAssignor({ t0: 2, t1: 2, t2: 2, t3: 2 }, { C0: { topics: all }, C1: { topics: all }, C2: { topics: all } });
    expect(showAll(result)).toEqual({ C0: 't0-0, t1-1, t3-0', C1: 't0-1, t2-0, t3-1', C2: 't1-0, t2-1' });
    // ... and after C1 leaves: round robin reshuffles.
    const after = roundRobinAssignor({ t0: 2, t1: 2, t2: 2, t3: 2 }, { C0: { topics: all }, C2: { topics: all } });
    expect(showAll(after)).toEqual({ C0: 't0-0, t1-0, t2-0, t3-0', C2: 't0-1, t1-1, t2-1, t3-1' });
  });

  // RoundRobinAssignorTest
  it('one consumer, no topic / nonexistent topic', () => {
    expect(roundRobinAssignor({}, { consumer: { topics: [] } })).toEqual({ consumer: [] });
    expect(roundRobinAssignor({}, { consumer: { topics: ['topic'] } })).toEqual({ consumer: [] });
  });

  it('one consumer, one topic; only subscribed topics', () => {
    expect(roundRobinAssignor({ topic: 3 }, { consumer: { topics: ['topic'] } })).toEqual({ consumer: tps('topic-0, topic-1, topic-2') });
    expect(roundRobinAssignor({ topic: 3, other: 3 }, { consumer: { topics: ['topic'] } })).toEqual({ consumer: tps('topic-0, topic-1, topic-2') });
  });

  it('one consumer, multiple topics', () => {
    expect(roundRobinAssignor({ topic1: 1, topic2: 2 }, { consumer: { topics: ['topic1', 'topic2'] } })).toEqual({
      consumer: tps('topic1-0, topic2-0, topic2-1'),
    });
  });

  it('two consumers, one topic', () => {
    const two = { consumer1: { topics: ['topic'] }, consumer2: { topics: ['topic'] } };
    expect(roundRobinAssignor({ topic: 1 }, two)).toEqual({ consumer1: tps('topic-0'), consumer2: [] });
    expect(roundRobinAssignor({ topic: 2 }, two)).toEqual({ consumer1: tps('topic-0'), consumer2: tps('topic-1') });
  });

  it('multiple consumers, mixed topics', () => {
    const result = roundRobinAssignor(
      { topic1: 3, topic2: 2 },
      { consumer1: { topics: ['topic1'] }, consumer2: { topics: ['topic1', 'topic2'] }, consumer3: { topics: ['topic1'] } },
    );
    expect(showAll(result)).toEqual({ consumer1: 'topic1-0', consumer2: 'topic1-1, topic2-0, topic2-1', consumer3: 'topic1-2' });
  });

  it('two dynamic consumers, two topics, six partitions', () => {
    const both = ['topic1', 'topic2'];
    expect(showAll(roundRobinAssignor({ topic1: 3, topic2: 3 }, { consumer1: { topics: both }, consumer2: { topics: both } }))).toEqual({
      consumer1: 'topic1-0, topic1-2, topic2-1',
      consumer2: 'topic1-1, topic2-0, topic2-2',
    });
  });

  it('static consumers are ordered by group.instance.id; static before dynamic', () => {
    const both = ['topic1', 'topic2'];
    const want = { 'consumer-a': 'topic1-1, topic2-0, topic2-2', 'consumer-b': 'topic1-0, topic1-2, topic2-1' };
    expect(
      showAll(
        roundRobinAssignor(
          { topic1: 3, topic2: 3 },
          { 'consumer-b': { topics: both, groupInstanceId: 'instance1' }, 'consumer-a': { topics: both, groupInstanceId: 'instance2' } },
        ),
      ),
    ).toEqual(want);
    expect(
      showAll(roundRobinAssignor({ topic1: 3, topic2: 3 }, { 'consumer-b': { topics: both, groupInstanceId: 'instance1' }, 'consumer-a': { topics: both } })),
    ).toEqual(want);
  });

  it('static members keep their partitions across a dynamic member change (testStaticMemberAssignmentPersistent)', () => {
    const both = ['topic1', 'topic2'];
    const statics: Record<string, MemberSubscription> = {
      consumer1: { topics: both, groupInstanceId: 'instance1' },
      consumer2: { topics: both, groupInstanceId: 'instance2' },
      consumer3: { topics: both, groupInstanceId: 'instance3' },
    };
    expect(showAll(roundRobinAssignor({ topic1: 3, topic2: 3 }, { ...statics, consumer4: { topics: both } }))).toEqual({
      consumer1: 'topic1-0, topic2-1',
      consumer2: 'topic1-1, topic2-2',
      consumer3: 'topic1-2',
      consumer4: 'topic2-0',
    });
    expect(showAll(roundRobinAssignor({ topic1: 3, topic2: 3 }, { ...statics, consumer5: { topics: both } }))).toEqual({
      consumer1: 'topic1-0, topic2-1',
      consumer2: 'topic1-1, topic2-2',
      consumer3: 'topic1-2',
      consumer5: 'topic2-0',
    });
  });

  it('static members keep their partitions after member id changes', () => {
    const both = ['topic1', 'topic2'];
    const byInstance = (subs: Record<string, MemberSubscription>) => {
      const result = showAll(roundRobinAssignor({ topic1: 3, topic2: 3 }, subs));
      return Object.fromEntries(Object.entries(subs).map(([id, s]) => [s.groupInstanceId, result[id]]));
    };
    const before = byInstance({
      consumer1: { topics: both, groupInstanceId: 'instance1' },
      consumer2: { topics: both, groupInstanceId: 'instance2' },
      consumer3: { topics: both, groupInstanceId: 'instance3' },
    });
    expect(before).toEqual({ instance1: 'topic1-0, topic2-0', instance2: 'topic1-1, topic2-1', instance3: 'topic1-2, topic2-2' });
    const after = byInstance({
      consumer4: { topics: both, groupInstanceId: 'instance1' },
      consumer5: { topics: both, groupInstanceId: 'instance2' },
      consumer1: { topics: both, groupInstanceId: 'instance3' },
    });
    expect(after).toEqual(before);
  });
});
