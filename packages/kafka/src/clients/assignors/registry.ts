/** partition.assignment.strategy names, as each Kafka assignor's name() returns them. */
import { cooperativeStickyAssignor } from './cooperativeSticky';
import { rangeAssignor } from './range';
import { roundRobinAssignor } from './roundRobin';
import { stickyAssignor } from './sticky';
import type { AssignorFn } from './types';

export type AssignorName = 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';

export const assignorsByName: Record<AssignorName, AssignorFn> = {
  range: rangeAssignor,
  roundrobin: roundRobinAssignor,
  sticky: stickyAssignor,
  'cooperative-sticky': cooperativeStickyAssignor,
};

/** Which rebalance protocol each assignor speaks (ConsumerPartitionAssignor.supportedProtocols, first entry). */
export const rebalanceProtocolOf: Record<AssignorName, 'eager' | 'cooperative'> = {
  range: 'eager',
  roundrobin: 'eager',
  sticky: 'eager',
  'cooperative-sticky': 'cooperative',
};
