/**
 * Properties every assignor must keep, checked on random groups (fast-check), in the spirit of
 * AbstractStickyAssignorTest#testReassignmentWithRandomSubscriptionsAndChanges.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareTopicPartitions, tpKey } from './common';
import { assignorsByName, type AssignorName } from './registry';
import { settleCooperative, validityAndBalanceProblems } from './stickyTestSupport';
import type { Assignment, MemberSubscription, TopicPartition } from './types';

// A fixed seed keeps the suite reproducible; raise numRuns locally to explore further.
fc.configureGlobal({ seed: 0x6b61666b });

const TOPICS = ['t0', 't1', 't2', 't3', 'a-b'];
const MEMBERS = ['c0', 'c1', 'c2', 'c3', 'c10', 'consumer-1', 'consumer-2', 'm', 'Z'];

const partitionCounts = fc
  .tuple(...TOPICS.map(() => fc.integer({ min: 0, max: 7 })))
  .map((counts) => Object.fromEntries(TOPICS.map((t, i) => [t, counts[i]])) as Record<string, number>);

/** Non-empty topic lists (Kafka's sticky assignor misbehaves on empty ones; see sticky.test.ts). */
const topicList = fc.subarray([...TOPICS, 'missing'], { minLength: 1 });

function groupWith(ownership: boolean) {
  return fc
    .record({
      partitionsPerTopic: partitionCounts,
      members: fc.uniqueArray(fc.constantFrom(...MEMBERS), { minLength: 1, maxLength: MEMBERS.length }),
      sameTopics: fc.boolean(),
      shared: topicList,
      lists: fc.array(topicList, { minLength: MEMBERS.length, maxLength: MEMBERS.length }),
      owned: fc.array(fc.array(fc.tuple(fc.constantFrom(...TOPICS), fc.nat(7)), { maxLength: 6 }), {
        minLength: MEMBERS.length,
        maxLength: MEMBERS.length,
      }),
      generations: fc.array(fc.constantFrom(undefined, -1, 1, 2, 3), { minLength: MEMBERS.length, maxLength: MEMBERS.length }),
    })
    .map(({ partitionsPerTopic, members, sameTopics, shared, lists, owned, generations }) => {
      const subscriptions: Record<string, MemberSubscription> = {};
      members.forEach((id, i) => {
        const s: MemberSubscription = { topics: sameTopics ? shared : lists[i] };
        if (ownership) {
          // A member reports partitions of topics it subscribes to. (If it stopped subscribing while
          // a generation behind, Kafka's general path may hand the partition back to it anyway: see
          // the quirk test in sticky.test.ts.)
          s.ownedPartitions = owned[i]
            .filter(([t, p]) => p < partitionsPerTopic[t] && s.topics.includes(t))
            .map(([topic, partition]) => ({ topic, partition }));
          s.generation = generations[i];
        }
        subscriptions[id] = s;
      });
      return { partitionsPerTopic, subscriptions, sameTopics };
    });
}

/** Partitions that must be assigned: those of existing topics somebody subscribes to. */
function expectedPartitions(partitionsPerTopic: Record<string, number>, subscriptions: Record<string, MemberSubscription>): string[] {
  const topics = new Set(Object.values(subscriptions).flatMap((s) => s.topics));
  return [...topics]
    .filter((t) => (partitionsPerTopic[t] ?? 0) > 0)
    .flatMap((t) => Array.from({ length: partitionsPerTopic[t] }, (_, p) => tpKey({ topic: t, partition: p })))
    .sort();
}

function checkShape(subscriptions: Record<string, MemberSubscription>, assignment: Assignment): void {
  expect(Object.keys(assignment).sort()).toEqual(Object.keys(subscriptions).sort());
  for (const [member, partitions] of Object.entries(assignment)) {
    expect([...partitions].sort(compareTopicPartitions)).toEqual(partitions);
    for (const p of partitions) expect(subscriptions[member].topics).toContain(p.topic);
  }
}

function assignedKeys(assignment: Assignment): string[] {
  return Object.values(assignment)
    .flat()
    .map((p: TopicPartition) => tpKey(p))
    .sort();
}

function spread(assignment: Assignment): number {
  const sizes = Object.values(assignment).map((p) => p.length);
  return Math.max(...sizes) - Math.min(...sizes);
}

const NAMES = Object.keys(assignorsByName) as AssignorName[];

describe('assignor properties', () => {
  it.each(NAMES)('%s assigns each subscribed partition to exactly one subscribed member (fresh group)', (name) => {
    fc.assert(
      fc.property(groupWith(false), ({ partitionsPerTopic, subscriptions }) => {
        const assignment = assignorsByName[name](partitionsPerTopic, subscriptions);
        checkShape(subscriptions, assignment);
        expect(assignedKeys(assignment)).toEqual(expectedPartitions(partitionsPerTopic, subscriptions));
      }),
      { numRuns: 300 },
    );
  });

  it.each(['sticky', 'cooperative-sticky'] as AssignorName[])('%s stays valid with arbitrary previous ownership and generations', (name) => {
    fc.assert(
      fc.property(groupWith(true), ({ partitionsPerTopic, subscriptions }) => {
        const assignor = assignorsByName[name];
        let assignment = assignor(partitionsPerTopic, subscriptions);
        checkShape(subscriptions, assignment);
        const keys = assignedKeys(assignment);
        expect(new Set(keys).size).toBe(keys.length);
        let subs = subscriptions;
        if (name === 'cooperative-sticky') ({ assignment, subscriptions: subs } = settleCooperative(assignor, partitionsPerTopic, subscriptions, assignment));
        expect(assignedKeys(assignment)).toEqual(expectedPartitions(partitionsPerTopic, subs));
        expect(validityAndBalanceProblems(subs, assignment)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it.each(['roundrobin', 'sticky', 'cooperative-sticky'] as AssignorName[])('%s is balanced (max - min <= 1) when everyone subscribes to the same topics', (name) => {
    fc.assert(
      fc.property(groupWith(name !== 'roundrobin'), ({ partitionsPerTopic, subscriptions }) => {
        const shared = Object.values(subscriptions)[0].topics;
        const same = Object.fromEntries(Object.entries(subscriptions).map(([id, s]) => [id, { ...s, topics: shared }]));
        let assignment = assignorsByName[name](partitionsPerTopic, same);
        if (name === 'cooperative-sticky') assignment = settleCooperative(assignorsByName[name], partitionsPerTopic, same, assignment).assignment;
        expect(spread(assignment)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it.each(NAMES)('%s does not depend on the order of the subscriptions object', (name) => {
    fc.assert(
      fc.property(groupWith(true), ({ partitionsPerTopic, subscriptions }) => {
        const reversed = Object.fromEntries(Object.entries(subscriptions).reverse());
        const assignor = assignorsByName[name];
        expect(assignor(partitionsPerTopic, reversed)).toEqual(assignor(partitionsPerTopic, subscriptions));
      }),
      { numRuns: 100 },
    );
  });

  it('sticky keeps up to minQuota owned partitions per member when subscriptions are equal and claims do not conflict', () => {
    fc.assert(
      fc.property(groupWith(false), fc.nat(), ({ partitionsPerTopic, subscriptions }, seed) => {
        const shared = Object.values(subscriptions)[0].topics;
        const members = Object.keys(subscriptions);
        const all = expectedPartitions(partitionsPerTopic, Object.fromEntries(members.map((m) => [m, { topics: shared }])));
        // Deal the partitions out unevenly to make a previous assignment.
        const owned = new Map<string, TopicPartition[]>(members.map((m) => [m, []]));
        all.forEach((key, i) => {
          const [topic, partition] = key.split('\u0000');
          owned.get(members[(i * (seed % 5 + 1) + seed) % members.length])!.push({ topic, partition: Number(partition) });
        });
        const subs = Object.fromEntries(members.map((m) => [m, { topics: shared, ownedPartitions: owned.get(m)!, generation: 1 }]));
        const assignment = assignorsByName.sticky(partitionsPerTopic, subs);
        const minQuota = Math.floor(all.length / members.length);
        for (const m of members) {
          const kept = assignment[m].filter((p) => owned.get(m)!.some((o) => tpKey(o) === tpKey(p)));
          expect(kept.length).toBeGreaterThanOrEqual(Math.min(owned.get(m)!.length, minQuota));
        }
      }),
      { numRuns: 200 },
    );
  });
});
