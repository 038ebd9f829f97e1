/**
 * Helpers shared by the assignors: Java's ordering rules, topic-partition keys, and the input
 * normalisation that AbstractPartitionAssignor.assign(Cluster, GroupSubscription) performs.
 */
import type { Assignment, MemberSubscription, TopicPartition } from './types';

/** String.compareTo: compares UTF-16 code units, which is what JS relational operators do too. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Utils.TopicPartitionComparator: topic, then partition. */
export function compareTopicPartitions(a: TopicPartition, b: TopicPartition): number {
  return compareStrings(a.topic, b.topic) || a.partition - b.partition;
}

/** A Map/Set key for a partition. Kafka topic names cannot contain NUL. */
export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}\u0000${tp.partition}`;
}

export function tp(topic: string, partition: number): TopicPartition {
  return { topic, partition };
}

/** Member ids in ascending String.compareTo order (Utils.sorted / Collections.sort on the ids). */
export function sortedMemberIds(subscriptions: Record<string, MemberSubscription>): string[] {
  return Object.keys(subscriptions).sort(compareStrings);
}

/** The subscription's topics without duplicates (Kafka builds them from a Set), in first-seen order. */
export function uniqueTopics(subscription: MemberSubscription): string[] {
  return [...new Set(subscription.topics)];
}

/**
 * AbstractPartitionAssignor.assign(Cluster, ...) only hands the algorithm topics that some member
 * subscribes to and that have at least one partition; we do the same so callers may pass the
 * whole cluster's topic map.
 */
export function subscribedPartitionCounts(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, MemberSubscription>,
): Map<string, number> {
  const subscribed = new Set<string>();
  for (const memberId of Object.keys(subscriptions)) for (const topic of subscriptions[memberId].topics) subscribed.add(topic);
  const counts = new Map<string, number>();
  for (const topic of [...subscribed].sort(compareStrings)) {
    if (!Object.prototype.hasOwnProperty.call(partitionsPerTopic, topic)) continue;
    const n = partitionsPerTopic[topic];
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`partition count of topic ${topic} must be a non-negative integer, got ${n}`);
    if (n > 0) counts.set(topic, n);
  }
  return counts;
}

/** Builds the result object: every member present, partitions sorted by topic then partition. */
export function toAssignment(memberIds: readonly string[], byMember: Map<string, TopicPartition[]>): Assignment {
  // Object.fromEntries defines own properties, so even a member called "__proto__" round-trips.
  return Object.fromEntries(
    memberIds.map((id) => [id, (byMember.get(id) ?? []).map((p) => tp(p.topic, p.partition)).sort(compareTopicPartitions)]),
  );
}
