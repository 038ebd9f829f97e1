/**
 * AbstractPartitionAssignor.MemberInfo ordering, used by RangeAssignor and RoundRobinAssignor:
 * static members (with a group.instance.id) first, ordered by instance id; then dynamic members by
 * member id. This keeps a static member's partitions stable across restarts, which get a new member id.
 */
import { compareStrings, sortedMemberIds } from './common';
import type { MemberSubscription } from './types';

export function compareMembers(
  a: string,
  b: string,
  subscriptions: Record<string, MemberSubscription>,
): number {
  const ia = subscriptions[a].groupInstanceId ?? undefined;
  const ib = subscriptions[b].groupInstanceId ?? undefined;
  if (ia !== undefined && ib !== undefined) {
    // Two members with the same instance id compare equal in Kafka and keep HashMap order; we fall
    // back to member id so the result never depends on map order.
    return compareStrings(ia, ib) || compareStrings(a, b);
  }
  if (ia !== undefined) return -1;
  if (ib !== undefined) return 1;
  return compareStrings(a, b);
}

export function membersInKafkaOrder(subscriptions: Record<string, MemberSubscription>, memberIds?: readonly string[]): string[] {
  return [...(memberIds ?? sortedMemberIds(subscriptions))].sort((a, b) => compareMembers(a, b, subscriptions));
}
