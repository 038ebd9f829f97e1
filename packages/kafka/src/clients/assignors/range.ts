/**
 * RangeAssignor ("range"): per topic, lay the partitions out in order and the subscribed members in
 * MemberInfo order, then give each member a contiguous range; the first (partitions % members)
 * members get one extra. Ported from org.apache.kafka.clients.consumer.RangeAssignor without its
 * rack-aware pass (the simulator's subscriptions carry no client.rack).
 *
 * Javadoc example: C0, C1 on t0, t1 with 3 partitions each -> C0: [t0p0, t0p1, t1p0, t1p1], C1: [t0p2, t1p2].
 */
import { sortedMemberIds, subscribedPartitionCounts, toAssignment, tp, uniqueTopics } from './common';
import { membersInKafkaOrder } from './memberInfo';
import type { Assignment, MemberSubscription, TopicPartition } from './types';

export function rangeAssignor(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, MemberSubscription>,
): Assignment {
  const memberIds = sortedMemberIds(subscriptions);
  const counts = subscribedPartitionCounts(partitionsPerTopic, subscriptions);
  const assignment = new Map<string, TopicPartition[]>(memberIds.map((id) => [id, []]));

  for (const [topic, numPartitions] of counts) {
    const consumers = membersInKafkaOrder(
      subscriptions,
      memberIds.filter((id) => uniqueTopics(subscriptions[id]).includes(topic)),
    );
    const perConsumer = Math.floor(numPartitions / consumers.length);
    const withExtra = numPartitions % consumers.length;
    consumers.forEach((consumer, i) => {
      const start = perConsumer * i + Math.min(i, withExtra);
      const length = perConsumer + (i + 1 > withExtra ? 0 : 1);
      for (let p = start; p < start + length; p++) assignment.get(consumer)!.push(tp(topic, p));
    });
  }
  return toAssignment(memberIds, assignment);
}
