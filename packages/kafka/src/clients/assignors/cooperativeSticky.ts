/**
 * CooperativeStickyAssignor ("cooperative-sticky"): the sticky assignment, minus every partition that
 * would move from one member to another. Under the cooperative protocol the current owner must
 * revoke such a partition first; it is handed to its new owner in the follow-up rebalance.
 */
import { toAssignment, tpKey } from './common';
import { stickyAssign } from './sticky/abstractSticky';
import type { Assignment, MemberSubscription, TopicPartition } from './types';

export function cooperativeStickyAssignor(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, MemberSubscription>,
): Assignment {
  const { memberIds, assignment, partitionsTransferringOwnership } = stickyAssign(partitionsPerTopic, subscriptions);
  const transferring = partitionsTransferringOwnership ?? computePartitionsTransferringOwnership(subscriptions, assignment);

  // adjustAssignment: withhold the moving partitions from their new owners for this round.
  for (const [key, { consumer }] of transferring) {
    const list = assignment.get(consumer)!;
    const i = list.findIndex((p) => tpKey(p) === key);
    if (i >= 0) list.splice(i, 1);
  }
  return toAssignment(memberIds, assignment);
}

/**
 * Partitions newly assigned to a member that some member currently owns and is losing. Reads the raw
 * Subscription.ownedPartitions (not the generation-filtered view), like Kafka.
 */
function computePartitionsTransferringOwnership(
  subscriptions: Record<string, MemberSubscription>,
  assignment: Map<string, TopicPartition[]>,
): Map<string, { partition: TopicPartition; consumer: string }> {
  const allAdded = new Map<string, { partition: TopicPartition; consumer: string }>();
  const allRevoked = new Set<string>();
  for (const [consumer, assigned] of assignment) {
    const owned = subscriptions[consumer].ownedPartitions ?? [];
    const ownedKeys = new Set(owned.map(tpKey));
    const assignedKeys = new Set(assigned.map(tpKey));
    for (const p of assigned) if (!ownedKeys.has(tpKey(p))) allAdded.set(tpKey(p), { partition: p, consumer });
    for (const p of owned) if (!assignedKeys.has(tpKey(p))) allRevoked.add(tpKey(p));
  }
  for (const key of [...allAdded.keys()]) if (!allRevoked.has(key)) allAdded.delete(key);
  return allAdded;
}
