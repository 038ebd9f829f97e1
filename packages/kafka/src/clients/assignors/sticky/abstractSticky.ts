/**
 * AbstractStickyAssignor.assignPartitions: shared core of "sticky" and "cooperative-sticky".
 * Picks the constrained algorithm when all members subscribe to the same topics, the general one
 * otherwise, and reports which partitions change owner (null from the general path, exactly as in
 * Kafka, where the cooperative assignor then recomputes them from the owned partitions).
 */
import { sortedMemberIds, subscribedPartitionCounts } from '../common';
import type { MemberSubscription, TopicPartition } from '../types';
import { constrainedAssign } from './constrained';
import { generalAssign } from './general';
import { javaHashMapKeyOrder } from './javaHashSet';
import { analyseOwnership } from './ownership';

export interface StickyOutcome {
  /** Sorted member ids, for the result object. */
  memberIds: string[];
  assignment: Map<string, TopicPartition[]>;
  /** tpKey -> new owner, or null when the general path ran. */
  partitionsTransferringOwnership: Map<string, { partition: TopicPartition; consumer: string }> | null;
}

export function stickyAssign(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, MemberSubscription>,
): StickyOutcome {
  const memberIds = sortedMemberIds(subscriptions);
  if (memberIds.length === 0) return { memberIds, assignment: new Map(), partitionsTransferringOwnership: new Map() };

  // Kafka walks the subscriptions (a HashMap built by ConsumerCoordinator) and then its own
  // consumerToOwnedPartitions HashMap; which member keeps a contested maxQuota slot depends on that
  // order, so we reproduce it. Members that share a bucket keep member-id order (in Kafka: the order
  // of the JoinGroup response).
  const kafkaOrder = javaHashMapKeyOrder(memberIds);

  const counts = subscribedPartitionCounts(partitionsPerTopic, subscriptions);
  const ownership = analyseOwnership(kafkaOrder, subscriptions, counts);
  if (ownership.allSubscriptionsEqual) {
    const result = constrainedAssign(counts, kafkaOrder, ownership.consumerToOwnedPartitions, ownership.partitionsWithMultiplePreviousOwners);
    return { memberIds, ...result };
  }
  const assignment = generalAssign(counts, kafkaOrder, subscriptions, ownership.consumerToOwnedPartitions, ownership.maxGeneration);
  return { memberIds, assignment, partitionsTransferringOwnership: null };
}
