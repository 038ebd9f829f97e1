/**
 * The group coordinator hosted by every broker (Kafka's GroupCoordinator + GroupMetadataManager,
 * classic protocol). Entry points are the ones group/host.ts lists; the broker calls them.
 * (Initial stub so that the broker compiles; the state machine follows.)
 */
import type { NodeContext, NodeEvent, NodeId } from '@kafkasim/engine';
import type { GroupRequest } from '../protocol';
import type { StoredRecord } from '../storage';
import type { GroupHost } from './host';

export interface GroupCoordinatorState {
  /** __consumer_offsets partitions this broker leads (sorted). */
  ownedPartitions: number[];
}

export function createGroupCoordinatorState(): GroupCoordinatorState {
  return { ownedPartitions: [] };
}

export function handleGroupRequest(
  gc: GroupCoordinatorState,
  from: NodeId,
  request: GroupRequest,
  ctx: NodeContext,
  host: GroupHost,
): void {
  void gc; void from; void request; void ctx; void host;
}

/** Timers named 'group:*'; returns false when the timer is not the coordinator's. */
export function handleGroupTimer(
  gc: GroupCoordinatorState,
  event: NodeEvent,
  ctx: NodeContext,
  host: GroupHost,
): boolean {
  void gc; void ctx; void host;
  return event.type === 'timer' && event.name.startsWith('group:');
}

export function onOffsetsPartitionLeadership(
  gc: GroupCoordinatorState,
  partition: number,
  isLeader: boolean,
  records: StoredRecord[],
  ctx: NodeContext,
  host: GroupHost,
): void {
  void records; void ctx; void host;
  gc.ownedPartitions = gc.ownedPartitions.filter((p) => p !== partition);
  if (isLeader) gc.ownedPartitions = [...gc.ownedPartitions, partition].sort((a, b) => a - b);
}

export function onOffsetsHighWatermark(
  gc: GroupCoordinatorState,
  partition: number,
  highWatermark: number,
  ctx: NodeContext,
  host: GroupHost,
): void {
  void gc; void partition; void highWatermark; void ctx; void host;
}
