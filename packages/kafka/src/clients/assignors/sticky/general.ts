/**
 * AbstractStickyAssignor.GeneralAssignmentBuilder: the path for groups whose members subscribe to
 * different topics.
 *
 * 1. Keep every still-valid owned partition (dropping those of topics the owner left).
 * 2. Give each unassigned partition, in order of "fewest potential consumers, then topic, then
 *    partition", to the least-loaded member subscribed to its topic.
 * 3. Rebalance: while the assignment is not balanced, move partitions from a member to the
 *    least-loaded eligible one (preferring to hand a partition back to its previous-generation owner,
 *    and to undo earlier moves via PartitionMovements); revert if that did not lower the balance score.
 * Rack awareness is not ported: the simulator's subscriptions carry no client.rack.
 */
import { compareStrings, tp, tpKey, uniqueTopics } from '../common';
import type { MemberSubscription, TopicPartition } from '../types';
import { DEFAULT_GENERATION, memberData } from './ownership';
import { PartitionMovements } from './partitionMovements';
import { SortedMembers } from './sortedMembers';

interface ConsumerGenerationPair {
  consumer: string;
  generation: number;
}

/**
 * `currentAssignment` is Kafka's consumerToOwnedPartitions (it is consumed). `memberIds` is the
 * HashMap order of the subscriptions; in this path it only breaks ties between two
 * previous-generation claims of the same partition with the same generation.
 */
export function generalAssign(
  counts: ReadonlyMap<string, number>,
  memberIds: readonly string[],
  subscriptions: Record<string, MemberSubscription>,
  currentAssignment: Map<string, TopicPartition[]>,
  maxGeneration: number,
): Map<string, TopicPartition[]> {
  let totalPartitionsCount = 0;
  for (const n of counts.values()) totalPartitionsCount += n;

  // topic2AllPotentialConsumers / consumer2AllPotentialTopics.
  const topic2AllPotentialConsumers = new Map<string, string[]>([...counts.keys()].map((t) => [t, []]));
  const consumer2AllPotentialTopics = new Map<string, string[]>();
  for (const consumer of memberIds) {
    const subscribed = uniqueTopics(subscriptions[consumer]).filter((t) => counts.has(t));
    consumer2AllPotentialTopics.set(consumer, subscribed);
    for (const t of subscribed) topic2AllPotentialConsumers.get(t)!.push(consumer);
    if (!currentAssignment.has(consumer)) currentAssignment.set(consumer, []);
  }
  const numConsumersOf = (topic: string): number => topic2AllPotentialConsumers.get(topic)!.length;

  const currentPartitionConsumer = new Map<string, string>();
  for (const [consumer, partitions] of currentAssignment) for (const p of partitions) currentPartitionConsumer.set(tpKey(p), consumer);

  // TopicComparator: fewest potential consumers first, then topic name.
  const sortedAllTopics = [...counts.keys()].sort((a, b) => numConsumersOf(a) - numConsumersOf(b) || compareStrings(a, b));
  let sortedAllPartitions: TopicPartition[] = sortedAllTopics.flatMap((t) => Array.from({ length: counts.get(t)! }, (_, p) => tp(t, p)));

  const sizeOf = (consumer: string): number => currentAssignment.get(consumer)!.length;
  const sortedCurrentSubscriptions = new SortedMembers(sizeOf);
  let revocationRequired = false;

  // prepopulateCurrentAssignments: previous-generation owners, so a partition can go home.
  const prevAssignment = new Map<string, ConsumerGenerationPair>();
  const updatePrevAssignment = (partitions: TopicPartition[], consumer: string, generation: number): void => {
    for (const p of partitions) {
      const existing = prevAssignment.get(tpKey(p));
      if (existing === undefined || generation > existing.generation) prevAssignment.set(tpKey(p), { consumer, generation });
    }
  };
  for (const consumer of memberIds) {
    const data = memberData(subscriptions[consumer], counts);
    if (data.generation !== undefined && data.generation < maxGeneration) {
      updatePrevAssignment(data.partitions, consumer, data.generation);
    } else if (data.generation === undefined && maxGeneration > DEFAULT_GENERATION) {
      updatePrevAssignment(data.partitions, consumer, DEFAULT_GENERATION);
    }
  }

  // assignOwnedPartitions.
  const assignedPartitions = new Set<string>();
  for (const [consumer, partitions] of currentAssignment) {
    const topics = consumer2AllPotentialTopics.get(consumer)!;
    const kept = partitions.filter((p) => {
      if (!topic2AllPotentialConsumers.has(p.topic)) {
        currentPartitionConsumer.delete(tpKey(p));
        return false;
      }
      if (!topics.includes(p.topic)) {
        // The owner unsubscribed from the topic. (Kafka leaves currentPartitionConsumer stale here.)
        revocationRequired = true;
        return false;
      }
      assignedPartitions.add(tpKey(p));
      return true;
    });
    currentAssignment.set(consumer, kept);
  }

  let unassignedPartitions = sortedAllPartitions.filter((p) => !assignedPartitions.has(tpKey(p)));
  for (const consumer of currentAssignment.keys()) sortedCurrentSubscriptions.add(consumer);

  // ---- balance ----
  const partitionMovements = new PartitionMovements();
  const initializing = sizeOf(sortedCurrentSubscriptions.last()) === 0;

  // maybeAssign: each unassigned partition to the least-loaded member subscribed to its topic.
  for (const partition of unassignedPartitions) {
    if (numConsumersOf(partition.topic) === 0) continue;
    for (const consumer of sortedCurrentSubscriptions.toArray()) {
      if (consumer2AllPotentialTopics.get(consumer)!.includes(partition.topic)) {
        sortedCurrentSubscriptions.remove(consumer);
        currentAssignment.get(consumer)!.push(partition);
        currentPartitionConsumer.set(tpKey(partition), consumer);
        sortedCurrentSubscriptions.add(consumer);
        break;
      }
    }
  }

  // Narrow the search to partitions of topics with 2+ potential consumers...
  const fixedTopics = new Set([...counts.keys()].filter((t) => numConsumersOf(t) < 2));
  sortedAllPartitions = sortedAllPartitions.filter((p) => !fixedTopics.has(p.topic));
  unassignedPartitions = unassignedPartitions.filter((p) => !fixedTopics.has(p.topic));

  const getMaxAssignmentSize = (topics: string[]): number =>
    topics.length === counts.size ? totalPartitionsCount : topics.reduce((sum, t) => sum + counts.get(t)!, 0);

  const canConsumerParticipateInReassignment = (consumer: string): boolean => {
    const partitions = currentAssignment.get(consumer)!;
    if (partitions.length < getMaxAssignmentSize(consumer2AllPotentialTopics.get(consumer)!)) return true;
    return partitions.some((p) => numConsumersOf(p.topic) >= 2);
  };

  // ...and to members that can still gain or lose partitions.
  const fixedAssignments = new Map<string, TopicPartition[]>();
  for (const consumer of consumer2AllPotentialTopics.keys()) {
    if (!canConsumerParticipateInReassignment(consumer)) {
      sortedCurrentSubscriptions.remove(consumer);
      fixedAssignments.set(consumer, currentAssignment.get(consumer)!);
      currentAssignment.delete(consumer);
    }
  }

  const isBalanced = (): boolean => {
    const min = sizeOf(sortedCurrentSubscriptions.first());
    const max = sizeOf(sortedCurrentSubscriptions.last());
    if (min >= max - 1) return true;

    const allPartitions = new Map<string, string>();
    for (const [consumer, partitions] of currentAssignment) for (const p of partitions) allPartitions.set(tpKey(p), consumer);

    // A member short of what it could hold must not be able to take a partition from a member
    // that has 2+ more partitions than it.
    for (const consumer of sortedCurrentSubscriptions.toArray()) {
      const consumerPartitions = new Set(currentAssignment.get(consumer)!.map(tpKey));
      const count = consumerPartitions.size;
      const topics = consumer2AllPotentialTopics.get(consumer)!;
      if (count === getMaxAssignmentSize(topics)) continue;
      for (const topic of topics) {
        for (let p = 0; p < counts.get(topic)!; p++) {
          const key = tpKey(tp(topic, p));
          if (consumerPartitions.has(key)) continue;
          const otherConsumer = allPartitions.get(key);
          const otherCount = otherConsumer === undefined ? undefined : currentAssignment.get(otherConsumer)?.length;
          if (otherCount !== undefined && count + 1 < otherCount) return false;
        }
      }
    }
    return true;
  };

  const processPartitionMovement = (partition: TopicPartition, newConsumer: string): void => {
    const key = tpKey(partition);
    const oldConsumer = currentPartitionConsumer.get(key)!;
    sortedCurrentSubscriptions.remove(oldConsumer);
    sortedCurrentSubscriptions.remove(newConsumer);
    partitionMovements.movePartition(partition, oldConsumer, newConsumer);
    const oldList = currentAssignment.get(oldConsumer)!;
    oldList.splice(
      oldList.findIndex((p) => tpKey(p) === key),
      1,
    );
    currentAssignment.get(newConsumer)!.push(partition);
    currentPartitionConsumer.set(key, newConsumer);
    sortedCurrentSubscriptions.add(newConsumer);
    sortedCurrentSubscriptions.add(oldConsumer);
  };

  const reassignPartitionTo = (partition: TopicPartition, newConsumer: string): void => {
    const consumer = currentPartitionConsumer.get(tpKey(partition))!;
    // Prefer sending back a partition that earlier moved newConsumer -> consumer.
    processPartitionMovement(partitionMovements.getTheActualPartitionToBeMoved(partition, consumer, newConsumer), newConsumer);
  };

  const reassignPartition = (partition: TopicPartition): void => {
    const newConsumer = sortedCurrentSubscriptions.toArray().find((c) => consumer2AllPotentialTopics.get(c)!.includes(partition.topic))!;
    reassignPartitionTo(partition, newConsumer);
  };

  const performReassignments = (reassignablePartitions: TopicPartition[]): boolean => {
    let reassignmentPerformed = false;
    let modified: boolean;
    do {
      modified = false;
      for (let i = 0; i < reassignablePartitions.length && !isBalanced(); i++) {
        const partition = reassignablePartitions[i];
        const consumer = currentPartitionConsumer.get(tpKey(partition))!;
        const prev = prevAssignment.get(tpKey(partition));
        // Hand the partition back to its previous-generation owner if that evens things out. Like
        // Kafka, this does not check that the owner still subscribes to the topic. Kafka would throw a
        // NullPointerException if that owner's assignment had been set aside as fixed; we skip instead.
        const prevSize = prev === undefined ? undefined : currentAssignment.get(prev.consumer)?.length;
        if (prev !== undefined && prevSize !== undefined && sizeOf(consumer) > prevSize + 1) {
          reassignPartitionTo(partition, prev.consumer);
          reassignmentPerformed = true;
          modified = true;
          continue;
        }
        // Is there a member that would be better suited for this partition?
        for (const otherConsumer of topic2AllPotentialConsumers.get(partition.topic)!) {
          const otherSize = currentAssignment.get(otherConsumer)?.length;
          if (otherSize !== undefined && sizeOf(consumer) > otherSize + 1) {
            reassignPartition(partition);
            reassignmentPerformed = true;
            modified = true;
            break;
          }
        }
      }
    } while (modified);
    return reassignmentPerformed;
  };

  const deepCopy = (source: Map<string, TopicPartition[]>): Map<string, TopicPartition[]> =>
    new Map([...source].map(([k, v]) => [k, [...v]]));
  const balanceScore = (assignment: Map<string, TopicPartition[]>): number => {
    const sizes = [...assignment.values()].map((v) => v.length);
    let score = 0;
    for (let i = 0; i < sizes.length; i++) for (let j = i + 1; j < sizes.length; j++) score += Math.abs(sizes[i] - sizes[j]);
    return score;
  };

  const preBalanceAssignment = deepCopy(currentAssignment);
  const preBalancePartitionConsumers = new Map(currentPartitionConsumer);

  // If nothing has to be revoked anyway, first try to balance by moving only the new partitions.
  if (!revocationRequired) performReassignments(unassignedPartitions);
  const reassignmentPerformed = performReassignments(sortedAllPartitions);

  // Keep the moves only if they made the assignment strictly more balanced.
  if (!initializing && reassignmentPerformed && balanceScore(currentAssignment) >= balanceScore(preBalanceAssignment)) {
    currentAssignment.clear();
    for (const [k, v] of deepCopy(preBalanceAssignment)) currentAssignment.set(k, v);
    currentPartitionConsumer.clear();
    for (const [k, v] of preBalancePartitionConsumers) currentPartitionConsumer.set(k, v);
  }

  for (const [consumer, partitions] of fixedAssignments) currentAssignment.set(consumer, partitions);
  return currentAssignment;
}
