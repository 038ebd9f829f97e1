export {
  createGroupCoordinatorState,
  handleGroupRequest,
  handleGroupTimer,
  onOffsetsHighWatermark,
  onOffsetsPartitionLeadership,
  defaultGroupCoordinatorConfig,
  type GroupCoordinatorConfig,
  type GroupCoordinatorState,
  type GroupHostMetadata,
} from './coordinator';
export { describeGroups, type CoordinatorDescription, type GroupDescription } from './describe';
export { OFFSETS_TOPIC, partitionForGroup, type GroupHost } from './host';
export type { GroupState } from './types';
