/**
 * RoundRobinAssignor ("roundrobin"): walk all partitions of all subscribed topics (topics in sorted
 * order, partitions in order) and deal them to members in MemberInfo order, skipping members not
 * subscribed to the partition's topic. Ported from org.apache.kafka.clients.consumer.RoundRobinAssignor.
 *
 * Javadoc example: C0, C1 on t0, t1 with 3 partitions each -> C0: [t0p0, t0p2, t1p1], C1: [t0p1, t1p0, t1p2].
 */
import { sortedMemberIds, subscribedPartitionCounts, toAssignment, tp, uniqueTopics } from './common';
import { membersInKafkaOrder } from './memberInfo';
import type { Assignment, MemberSubscription, TopicPartition } from './types';

export function roundRobinAssignor(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, MemberSubscription>,
): Assignment {
  const memberIds = sortedMemberIds(subscriptions);
  const assignment = new Map<string, TopicPartition[]>(memberIds.map((id) => [id, []]));
  const members = membersInKafkaOrder(subscriptions, memberIds);
  const topicsOf = new Map(members.map((id) => [id, new Set(uniqueTopics(subscriptions[id]))]));

  // subscribedPartitionCounts iterates topics in sorted order, like allPartitionsSorted's TreeSet.
  let cursor = 0; // CircularIterator position
  for (const [topic, numPartitions] of subscribedPartitionCounts(partitionsPerTopic, subscriptions)) {
    for (let p = 0; p < numPartitions; p++) {
      // Terminates: the topic is in the map only because some member subscribes to it.
      while (!topicsOf.get(members[cursor])!.has(topic)) cursor = (cursor + 1) % members.length;
      assignment.get(members[cursor])!.push(tp(topic, p));
      cursor = (cursor + 1) % members.length;
    }
  }
  return toAssignment(memberIds, assignment);
}
