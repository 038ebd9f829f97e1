/**
 * Shared checks for the sticky assignor tests, ported from AbstractStickyAssignorTest and
 * CooperativeStickyAssignorTest (verifyValidityAndBalance, isFullyBalanced, the follow-up
 * rebalances of the cooperative protocol).
 */
import { tpKey } from './common';
import type { Assignment, AssignorFn, MemberSubscription } from './types';

/** AbstractStickyAssignorTest.isFullyBalanced: sizes differ by at most one. */
export function isFullyBalanced(assignment: Assignment): boolean {
  const sizes = Object.values(assignment).map((p) => p.length);
  return sizes.length === 0 || Math.max(...sizes) - Math.min(...sizes) <= 1;
}

/**
 * AbstractStickyAssignorTest.verifyValidityAndBalance: every member is subscribed to the topics of
 * its partitions, no partition has two owners, and a member with 2+ more partitions than another
 * shares no topic with it (else a move would improve the balance). Returns the problems found.
 */
export function validityAndBalanceProblems(subscriptions: Record<string, MemberSubscription>, assignment: Assignment): string[] {
  const problems: string[] = [];
  const consumers = Object.keys(assignment).sort();
  if (consumers.length !== Object.keys(subscriptions).length) problems.push('members differ from subscriptions');
  const owner = new Map<string, string>();
  for (const c of consumers) {
    for (const p of assignment[c]) {
      if (!subscriptions[c].topics.includes(p.topic)) problems.push(`${c} is not subscribed to ${p.topic}`);
      const other = owner.get(tpKey(p));
      if (other !== undefined) problems.push(`${p.topic}-${p.partition} assigned to ${other} and ${c}`);
      owner.set(tpKey(p), c);
    }
  }
  for (let i = 0; i < consumers.length; i++) {
    for (let j = i + 1; j < consumers.length; j++) {
      const a = assignment[consumers[i]];
      const b = assignment[consumers[j]];
      if (Math.abs(a.length - b.length) <= 1) continue;
      const [more, less] = a.length > b.length ? [a, b] : [b, a];
      const lessTopics = new Set(less.map((p) => p.topic));
      if (more.some((p) => lessTopics.has(p.topic))) problems.push(`${consumers[i]} and ${consumers[j]} could be balanced better`);
    }
  }
  return problems;
}

/** Next round's subscriptions: same topics, owning what was just assigned. */
export function owning(
  subscriptions: Record<string, MemberSubscription>,
  assignment: Assignment,
  generation = 1,
): Record<string, MemberSubscription> {
  return Object.fromEntries(
    Object.entries(subscriptions).map(([id, s]) => [id, { topics: s.topics, ownedPartitions: assignment[id] ?? [], generation }]),
  );
}

/**
 * CooperativeStickyAssignorTest.verifyValidityAndBalance: while a round revokes something, run the
 * follow-up rebalance with the new ownership. Also checks that no partition is revoked from one
 * member and given to another in the same round. Returns the settled assignment and round count.
 */
export function settleCooperative(
  assignor: AssignorFn,
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, MemberSubscription>,
  first: Assignment,
  maxRounds = 4,
): { assignment: Assignment; subscriptions: Record<string, MemberSubscription>; rounds: number } {
  let subs = subscriptions;
  let assignment = first;
  for (let rounds = 0; ; rounds++) {
    const added = new Set<string>();
    const revoked = new Set<string>();
    for (const [id, assigned] of Object.entries(assignment)) {
      const owned = new Set((subs[id].ownedPartitions ?? []).map(tpKey));
      const now = new Set(assigned.map(tpKey));
      for (const k of now) if (!owned.has(k)) added.add(k);
      for (const k of owned) if (!now.has(k)) revoked.add(k);
    }
    for (const k of added) if (revoked.has(k)) throw new Error(`partition ${k} revoked and reassigned in the same round`);
    if (revoked.size === 0) return { assignment, subscriptions: subs, rounds };
    if (rounds >= maxRounds) throw new Error('cooperative rebalancing did not settle');
    subs = owning(subs, assignment);
    assignment = assignor(partitionsPerTopic, subs);
  }
}
