export type { Assignment, AssignorFn, MemberSubscription, TopicPartition } from './types';
export { rangeAssignor } from './range';
export { roundRobinAssignor } from './roundRobin';
export { stickyAssignor } from './sticky';
export { cooperativeStickyAssignor } from './cooperativeSticky';
export { assignorsByName, rebalanceProtocolOf, type AssignorName } from './registry';
