/** A plain summary of the coordinator's groups for the visualizer (DescribeGroups + offsets). */
import type { TopicPartition } from '../protocol';
import type { GroupCoordinatorState, GroupState } from './types';

export interface GroupDescription {
  groupId: string;
  /** The __consumer_offsets partition holding the group. */
  offsetsPartition: number;
  state: GroupState;
  generation: number;
  protocol: string | null;
  leader: string | null;
  members: {
    memberId: string;
    node: string;
    assignment: TopicPartition[];
    lastHeartbeatAt: number;
    sessionTimeoutMs: number;
    /** Parked in JoinGroup / SyncGroup. */
    awaitingJoin: boolean;
    awaitingSync: boolean;
  }[];
  pendingMembers: string[];
  committed: (TopicPartition & { offset: number })[];
  /** Commits appended but not yet below the high watermark. */
  pendingCommits: (TopicPartition & { offset: number; memberId: string })[];
}

export interface CoordinatorDescription {
  ownedPartitions: number[];
  loadingPartitions: number[];
  groups: GroupDescription[];
}

export function describeGroups(gc: GroupCoordinatorState | null | undefined): CoordinatorDescription {
  if (!gc) return { ownedPartitions: [], loadingPartitions: [], groups: [] };
  return {
    ownedPartitions: [...gc.ownedPartitions],
    loadingPartitions: gc.loadingPartitions.map((l) => l.partition),
    groups: Object.keys(gc.groups).sort().map((id) => {
      const g = gc.groups[id];
      return {
        groupId: g.groupId,
        offsetsPartition: g.partition,
        state: g.state,
        generation: g.generationId,
        protocol: g.protocolName,
        leader: g.leaderId,
        members: g.members.map((m) => ({
          memberId: m.memberId,
          node: m.node,
          assignment: m.assignment.map((tp) => ({ ...tp })),
          lastHeartbeatAt: m.latestHeartbeat,
          sessionTimeoutMs: m.sessionTimeoutMs,
          awaitingJoin: m.awaitingJoin !== null,
          awaitingSync: m.awaitingSync !== null,
        })),
        pendingMembers: g.pendingMembers.map((p) => p.memberId),
        committed: Object.keys(g.offsets).sort().map((k) => ({ topic: g.offsets[k].topic, partition: g.offsets[k].partition, offset: g.offsets[k].offset })),
        pendingCommits: gc.pendingAppends.flatMap((p) =>
          p.kind === 'offsets' && p.groupId === id ? p.offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset, memberId: p.memberId })) : [],
        ),
      };
    }),
  };
}
