/** Shapes shared by the consumer partition assignors (ConsumerPartitionAssignor's inputs and outputs). */
import type { TopicPartition } from '../../protocol';

export type { TopicPartition };

export interface MemberSubscription {
  /** Subscription.topics(). */
  topics: string[];
  /**
   * The partitions the member owned before this rebalance. The cooperative-sticky assignor reads
   * Subscription.ownedPartitions(); the (eager) sticky assignor reads the same list from its userData.
   * range and roundrobin ignore it.
   */
  ownedPartitions?: TopicPartition[];
  /**
   * The generation that ownedPartitions belongs to. Absent or negative means unknown, as Kafka's
   * Subscription turns a negative generationId into Optional.empty(). SubscriptionMetadata fits as is.
   */
  generation?: number;
  /**
   * group.instance.id (static membership). Optional extension of the brief's signature: range and
   * roundrobin order members by it first, exactly like Kafka's AbstractPartitionAssignor.MemberInfo.
   */
  groupInstanceId?: string | null;
}

/** Member id -> assigned partitions, sorted by topic then partition. Every member is present. */
export type Assignment = Record<string, TopicPartition[]>;

export type AssignorFn = (
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, MemberSubscription>,
) => Assignment;
