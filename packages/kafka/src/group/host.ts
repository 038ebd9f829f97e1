/**
 * CONTRACT between a broker and the group coordinator it hosts (Kafka runs the group
 * coordinator inside every broker; a group's coordinator is the leader of partition
 * `partitionForGroup(groupId)` of the internal topic __consumer_offsets).
 *
 * Offsets live in __consumer_offsets as records (key `offset:<group>:<topic>:<partition>`,
 * value the offset as a decimal string; group metadata as `group:<group>`). A commit is
 * answered once the partition's high watermark has passed the commit record (acks=all, as
 * Kafka's coordinator does), so a committed offset survives the coordinator's failover.
 *
 * The group module (group/coordinator.ts) exports:
 *   createGroupCoordinatorState(): GroupCoordinatorState             -- plain data, in the broker's volatile state
 *   handleGroupRequest(gc, from, request: GroupRequest, ctx, host): void  -- replies itself with ctx.send
 *   handleGroupTimer(gc, event, ctx, host): boolean                  -- timers named 'group:*'; false if not its timer
 *   onOffsetsPartitionLeadership(gc, partition, isLeader, records, ctx, host): void
 *        -- the broker became (or stopped being) leader of __consumer_offsets-<partition>;
 *           records = the partition's log, from which the coordinator loads offsets and groups
 *   onOffsetsHighWatermark(gc, partition, highWatermark, ctx, host): void
 *        -- the HW of a __consumer_offsets partition led here advanced: complete pending commits
 * The broker (broker/) implements GroupHost and calls the functions above.
 */
import type { NodeId } from '@kafkasim/engine';
import type { RecordInput } from '../storage';

export const OFFSETS_TOPIC = '__consumer_offsets';

export interface GroupHost {
  readonly brokerNode: NodeId;
  /** Number of partitions of __consumer_offsets (offsets.topic.num.partitions). */
  readonly offsetsPartitions: number;
  isLeaderOf(topic: string, partition: number): boolean;
  /** Partition counts of the topics the broker knows, for subscriptions (metadata). */
  partitionsPerTopic(): Record<string, number>;
  /**
   * Appends records as leader to a __consumer_offsets partition; returns the offset of the
   * last appended record, or an error code when this broker cannot append (not leader, or
   * fewer in-sync replicas than min.insync.replicas).
   */
  appendToOffsetsPartition(partition: number, records: Omit<RecordInput, 'leaderEpoch'>[]): { lastOffset: number } | { error: 'NOT_LEADER_OR_FOLLOWER' | 'NOT_ENOUGH_REPLICAS' };
}

/** Kafka's GroupMetadataManager.partitionFor: Utils.abs(groupId.hashCode) % partitions. */
export function partitionForGroup(groupId: string, partitions: number): number {
  let h = 0;
  for (let i = 0; i < groupId.length; i++) h = (Math.imul(31, h) + groupId.charCodeAt(i)) | 0;
  // Utils.abs maps Integer.MIN_VALUE to 0 rather than overflowing.
  const abs = h === -2147483648 ? 0 : Math.abs(h);
  return abs % partitions;
}
