/**
 * AbstractStickyAssignor.ConstrainedAssignmentBuilder: the fast path when every member subscribes
 * to the same topics. Each member ends with minQuota or maxQuota partitions, and exactly
 * (total % members) of them get maxQuota.
 *
 * 1. Members keep their owned partitions (sorted by partition number, then topic) up to their quota:
 *    all of them if under minQuota, maxQuota while maxQuota slots remain, else minQuota; the rest
 *    are revoked.
 * 2. The unassigned partitions (topic, partition order) are dealt round-robin to the members still
 *    under minQuota (member-id order), then one each to members at minQuota until the maxQuota
 *    slots are used up.
 * A partition given to a new owner after being revoked from another member (or claimed by two) is
 * recorded in partitionsTransferringOwnership, which the cooperative assignor withholds. Following
 * KAFKA-15170 (maybeRevokedPartitions), a revoked partition that lands back on the member it was
 * revoked from is not a transfer.
 */
import { compareStrings, compareTopicPartitions, tp, tpKey } from '../common';
import type { TopicPartition } from '../types';

export interface ConstrainedResult {
  assignment: Map<string, TopicPartition[]>;
  partitionsTransferringOwnership: Map<string, { partition: TopicPartition; consumer: string }>;
}

/** `memberIds` is the order in which owned partitions are honoured: Kafka's HashMap order of the member ids. */
export function constrainedAssign(
  counts: ReadonlyMap<string, number>,
  memberIds: readonly string[],
  consumerToOwnedPartitions: ReadonlyMap<string, TopicPartition[]>,
  partitionsWithMultiplePreviousOwners: ReadonlySet<string>,
): ConstrainedResult {
  let totalPartitionsCount = 0;
  for (const n of counts.values()) totalPartitionsCount += n;
  const numberOfConsumers = memberIds.length;
  const minQuota = Math.floor(totalPartitionsCount / numberOfConsumers);
  const maxQuota = Math.ceil(totalPartitionsCount / numberOfConsumers);
  // Members that will end with more than minQuota (0 when the division is exact).
  const expectedNumMembersWithOverMinQuota = totalPartitionsCount % numberOfConsumers;
  let currentNumMembersWithOverMinQuota = 0;

  const assignment = new Map<string, TopicPartition[]>(memberIds.map((id) => [id, []]));
  const assigned = new Set<string>();
  // tpKey -> the member it was taken from (Kafka's maybeRevokedPartitions).
  const maybeRevokedPartitions = new Map<string, string>();
  const unfilledUnderMin: string[] = [];
  let unfilledExactlyMin: string[] = [];
  const transferring = new Map<string, { partition: TopicPartition; consumer: string }>();

  // Step 1: assignOwnedPartitions.
  for (const consumer of memberIds) {
    const owned = [...(consumerToOwnedPartitions.get(consumer) ?? [])]
      .sort((a, b) => a.partition - b.partition || compareStrings(a.topic, b.topic))
      .filter((p) => !partitionsWithMultiplePreviousOwners.has(tpKey(p)));
    const consumerAssignment = assignment.get(consumer)!;
    const keep = (n: number): void => {
      for (const p of owned.slice(0, n)) {
        consumerAssignment.push(p);
        assigned.add(tpKey(p));
      }
      for (const p of owned.slice(n)) maybeRevokedPartitions.set(tpKey(p), consumer);
    };
    if (owned.length < minQuota) {
      keep(owned.length);
      unfilledUnderMin.push(consumer);
    } else if (owned.length >= maxQuota && currentNumMembersWithOverMinQuota < expectedNumMembersWithOverMinQuota) {
      currentNumMembersWithOverMinQuota++;
      if (currentNumMembersWithOverMinQuota === expectedNumMembersWithOverMinQuota) unfilledExactlyMin = [];
      keep(maxQuota);
    } else {
      keep(minQuota);
      // Still a candidate for one of the remaining maxQuota slots.
      if (currentNumMembersWithOverMinQuota < expectedNumMembersWithOverMinQuota) unfilledExactlyMin.push(consumer);
    }
  }

  const unassigned: TopicPartition[] = [];
  for (const topic of [...counts.keys()].sort(compareStrings)) {
    for (let p = 0; p < counts.get(topic)!; p++) if (!assigned.has(tpKey(tp(topic, p)))) unassigned.push(tp(topic, p));
  }
  unfilledUnderMin.sort(compareStrings);
  unfilledExactlyMin.sort(compareStrings);

  const assignNewPartition = (partition: TopicPartition, consumer: string): number => {
    const consumerAssignment = assignment.get(consumer)!;
    consumerAssignment.push(partition);
    const key = tpKey(partition);
    const revokedFrom = maybeRevokedPartitions.get(key);
    if ((revokedFrom !== undefined && revokedFrom !== consumer) || partitionsWithMultiplePreviousOwners.has(key)) {
      transferring.set(key, { partition, consumer });
    }
    return consumerAssignment.length;
  };

  // Step 2: assignRoundRobin, with LinkedList-iterator semantics over unfilledUnderMin.
  let cursor = 0;
  let lastReturned = -1;
  for (let i = 0; i < unassigned.length; i++) {
    const partition = unassigned[i];
    let consumer: string;
    if (cursor < unfilledUnderMin.length) {
      lastReturned = cursor;
      consumer = unfilledUnderMin[cursor++];
    } else if (unfilledUnderMin.length === 0 && unfilledExactlyMin.length === 0) {
      throw new Error('No more unfilled consumers to be assigned.');
    } else if (unfilledUnderMin.length === 0) {
      consumer = unfilledExactlyMin.shift()!;
    } else {
      cursor = 0;
      lastReturned = cursor;
      consumer = unfilledUnderMin[cursor++];
    }

    const currentAssignedCount = assignNewPartition(partition, consumer);
    if (currentAssignedCount === minQuota) {
      unfilledUnderMin.splice(lastReturned, 1);
      cursor = lastReturned;
      unfilledExactlyMin.push(consumer);
    } else if (currentAssignedCount === maxQuota) {
      currentNumMembersWithOverMinQuota++;
    }
  }

  // verifyUnfilledMembers: these only fire on an algorithm bug, as in Kafka.
  if (unfilledUnderMin.length > 0) {
    if (currentNumMembersWithOverMinQuota !== expectedNumMembersWithOverMinQuota) {
      throw new Error("We haven't reached the expected number of members with more than the minQuota partitions, but no more partitions to be assigned");
    }
    for (const member of unfilledUnderMin) {
      if (assignment.get(member)!.length !== minQuota) {
        throw new Error(`Consumer: [${member}] doesn't reach minQuota partitions, and no more partitions to be assigned`);
      }
    }
  }

  for (const list of assignment.values()) list.sort(compareTopicPartitions);
  return { assignment, partitionsTransferringOwnership: transferring };
}
