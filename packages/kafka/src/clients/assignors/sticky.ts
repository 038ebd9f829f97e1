/**
 * StickyAssignor ("sticky", eager protocol): AbstractStickyAssignor's balanced-and-sticky assignment.
 * Its stickiness input is the previous assignment and generation the member put in its userData,
 * which we take from `ownedPartitions` and `generation`.
 */
import { toAssignment } from './common';
import { stickyAssign } from './sticky/abstractSticky';
import type { Assignment, MemberSubscription } from './types';

export function stickyAssignor(
  partitionsPerTopic: Record<string, number>,
  subscriptions: Record<string, MemberSubscription>,
): Assignment {
  const { memberIds, assignment } = stickyAssign(partitionsPerTopic, subscriptions);
  return toAssignment(memberIds, assignment);
}
