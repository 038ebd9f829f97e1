/**
 * AbstractStickyAssignor.allSubscriptionsEqual: decides between the constrained and the general
 * algorithm and works out which previously owned partitions each member may keep, resolving
 * partitions claimed by several members by generation.
 */
import { tpKey, uniqueTopics } from '../common';
import type { MemberSubscription, TopicPartition } from '../types';

export const DEFAULT_GENERATION = -1;

/** AbstractStickyAssignor.MemberData: what a member reports it owned, and in which generation. */
export interface MemberData {
  partitions: TopicPartition[];
  generation: number | undefined;
}

/**
 * Both sticky flavours read (ownedPartitions, generation): CooperativeStickyAssignor from the
 * subscription fields, StickyAssignor from its userData. Partitions whose number does not exist in
 * the topic are dropped as if deleted (partition counts never shrink in Kafka, so it never sees them).
 */
export function memberData(subscription: MemberSubscription, counts: ReadonlyMap<string, number>): MemberData {
  const partitions = (subscription.ownedPartitions ?? []).filter((p) => {
    const n = counts.get(p.topic);
    return n === undefined || (Number.isInteger(p.partition) && p.partition >= 0 && p.partition < n);
  });
  return { partitions, generation: generationOf(subscription) };
}

/** Subscription.generationId(): Kafka maps a negative generation to Optional.empty(). */
export function generationOf(subscription: MemberSubscription): number | undefined {
  const generation = subscription.generation;
  return generation === undefined || generation < 0 ? undefined : generation;
}

export interface OwnershipAnalysis {
  allSubscriptionsEqual: boolean;
  /** Each member's previously owned, still-existing partitions, conflicts resolved (Kafka's consumerToOwnedPartitions). */
  consumerToOwnedPartitions: Map<string, TopicPartition[]>;
  /** Keys (tpKey) of partitions claimed by two members of the same generation. */
  partitionsWithMultiplePreviousOwners: Set<string>;
  maxGeneration: number;
}

/**
 * `memberIds` is the iteration order (Kafka's HashMap order, see abstractSticky.ts).
 * Quirk kept from Kafka: the reference topic set is taken from the first member with a non-empty
 * subscription, so members with an empty subscription that come first do not make the group "unequal".
 */
export function analyseOwnership(
  memberIds: readonly string[],
  subscriptions: Record<string, MemberSubscription>,
  counts: ReadonlyMap<string, number>,
): OwnershipAnalysis {
  let isAllSubscriptionsEqual = true;
  const subscribedTopics = new Set<string>();
  const previousOwner = new Map<string, string>();
  const consumerToOwnedPartitions = new Map<string, TopicPartition[]>();
  const partitionsWithMultiplePreviousOwners = new Set<string>();
  let maxGeneration = DEFAULT_GENERATION;

  for (const consumer of memberIds) {
    const subscription = subscriptions[consumer];
    const topics = uniqueTopics(subscription);
    if (subscribedTopics.size === 0) {
      for (const t of topics) subscribedTopics.add(t);
    } else if (isAllSubscriptionsEqual && !(topics.length === subscribedTopics.size && topics.every((t) => subscribedTopics.has(t)))) {
      isAllSubscriptionsEqual = false;
    }

    const data = memberData(subscription, counts);
    const memberGeneration = data.generation ?? DEFAULT_GENERATION;
    maxGeneration = Math.max(maxGeneration, memberGeneration);

    const owned: TopicPartition[] = [];
    consumerToOwnedPartitions.set(consumer, owned);
    for (const p of data.partitions) {
      if (!counts.has(p.topic)) continue;
      const key = tpKey(p);
      const otherConsumer = previousOwner.get(key);
      if (otherConsumer === undefined) {
        owned.push(p);
        previousOwner.set(key, consumer);
        continue;
      }
      const otherGeneration = generationOf(subscriptions[otherConsumer]) ?? DEFAULT_GENERATION;
      if (memberGeneration === otherGeneration) {
        // Two owners in the same generation: nobody keeps it, and whoever gets it must wait for revocation.
        partitionsWithMultiplePreviousOwners.add(key);
        removeFirst(consumerToOwnedPartitions.get(otherConsumer)!, key);
        previousOwner.set(key, consumer);
      } else if (memberGeneration > otherGeneration) {
        owned.push(p);
        removeFirst(consumerToOwnedPartitions.get(otherConsumer)!, key);
        previousOwner.set(key, consumer);
      }
      // else: the other member's claim is newer and stands.
    }
  }
  return { allSubscriptionsEqual: isAllSubscriptionsEqual, consumerToOwnedPartitions, partitionsWithMultiplePreviousOwners, maxGeneration };
}

/** List.remove(Object): removes the first equal element, if any. */
export function removeFirst(list: TopicPartition[], key: string): void {
  const i = list.findIndex((p) => tpKey(p) === key);
  if (i >= 0) list.splice(i, 1);
}
