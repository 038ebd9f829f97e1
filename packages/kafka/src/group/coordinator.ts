/**
 * The group coordinator hosted by every broker (Kafka's GroupCoordinator + GroupMetadataManager,
 * classic protocol). Entry points are the ones group/host.ts lists; the broker calls them.
 * A group belongs to the leader of __consumer_offsets partition partitionForGroup(groupId).
 */
import type { NodeContext, NodeEvent, NodeId } from '@kafkasim/engine';
import type {
  ErrorCode,
  FindCoordinatorRequest,
  FindCoordinatorResponse,
  GroupRequest,
  KafkaResponse,
} from '../protocol';
import { emit } from '../events';
import type { StoredRecord } from '../storage';
import { takeAllOf, takeById, takeCompleted } from './appends';
import { parked, reply, type GroupEnv, type ResponseBody } from './env';
import { OFFSETS_TOPIC, partitionForGroup, type GroupHost } from './host';
import {
  handleHeartbeat,
  handleJoinGroup,
  handleLeaveGroup,
  handleSyncGroup,
  onGroupStored,
  onHeartbeatExpired,
  onJoinTimer,
  onPendingMemberExpired,
  scheduleExpiration,
  unloadGroup,
} from './membership';
import { handleOffsetCommit, handleOffsetFetch, handleTxnOffsetCommit, onOffsetsStored } from './offsets';
import { loadPartition } from './records';
import {
  defaultGroupCoordinatorConfig,
  type GroupCoordinatorConfig,
  type GroupCoordinatorState,
  type GroupMetadata,
  type LoadedPartition,
  type PendingAppend,
} from './types';

export type { GroupCoordinatorState, GroupCoordinatorConfig } from './types';
export { defaultGroupCoordinatorConfig } from './types';

/**
 * Optional extension of GroupHost: the broker's metadata cache. With it, FindCoordinator names the
 * leader of the group's partition wherever the request lands (as Kafka's KafkaApis does); without
 * it a broker can only name itself, and answers COORDINATOR_NOT_AVAILABLE otherwise.
 */
export interface GroupHostMetadata {
  leaderOf(topic: string, partition: number): NodeId | null;
}

export function createGroupCoordinatorState(config: Partial<GroupCoordinatorConfig> = {}): GroupCoordinatorState {
  return {
    config: { ...defaultGroupCoordinatorConfig, ...config },
    ownedPartitions: [],
    loadingPartitions: [],
    groups: {},
    pendingAppends: [],
    highWatermarks: {},
    nextAppendId: 1,
  };
}

export function handleGroupRequest(
  gc: GroupCoordinatorState,
  from: NodeId,
  request: GroupRequest,
  ctx: NodeContext,
  host: GroupHost,
): void {
  const env: GroupEnv = { gc, ctx, host };
  if (request.api === 'FindCoordinator') return findCoordinator(env, from, request);
  const status = groupStatus(env, request.groupId);
  if (status !== 'NONE') return answerError(env, from, request, status);
  switch (request.api) {
    case 'JoinGroup': return handleJoinGroup(env, from, request);
    case 'SyncGroup': return handleSyncGroup(env, from, request);
    case 'Heartbeat': return handleHeartbeat(env, from, request);
    case 'LeaveGroup': return handleLeaveGroup(env, from, request);
    case 'OffsetCommit': return handleOffsetCommit(env, from, request);
    case 'OffsetFetch': return handleOffsetFetch(env, from, request);
    case 'TxnOffsetCommit': return handleTxnOffsetCommit(env, from, request);
  }
}

/** validateGroupStatus: is the group's partition loaded here? */
function groupStatus(env: GroupEnv, groupId: string): ErrorCode {
  const partition = partitionForGroup(groupId, env.host.offsetsPartitions);
  if (env.gc.loadingPartitions.some((l) => l.partition === partition)) return 'COORDINATOR_LOAD_IN_PROGRESS';
  if (!env.gc.ownedPartitions.includes(partition)) return 'NOT_COORDINATOR';
  return 'NONE';
}

function answerError(env: GroupEnv, from: NodeId, request: Exclude<GroupRequest, FindCoordinatorRequest>, status: ErrorCode): void {
  const to = parked(from, request.correlationId);
  const loading = status === 'COORDINATOR_LOAD_IN_PROGRESS';
  let response: ResponseBody;
  switch (request.api) {
    case 'JoinGroup':
      response = { api: 'JoinGroupResponse', error: status, generationId: -1, protocolName: null, leader: '', memberId: request.memberId, members: [] };
      break;
    case 'SyncGroup':
      // The rebalance state was lost with the old coordinator: start over at JoinGroup.
      response = { api: 'SyncGroupResponse', error: loading ? 'REBALANCE_IN_PROGRESS' : status, assignment: [] };
      break;
    case 'Heartbeat':
      // The group is still loading: answer blindly, as Kafka does.
      response = { api: 'HeartbeatResponse', error: loading ? 'NONE' : status };
      break;
    case 'LeaveGroup':
      response = { api: 'LeaveGroupResponse', error: status };
      break;
    case 'OffsetCommit':
      response = { api: 'OffsetCommitResponse', partitions: request.offsets.map((o) => ({ topic: o.topic, partition: o.partition, error: status })) };
      break;
    case 'OffsetFetch':
      response = { api: 'OffsetFetchResponse', error: status, partitions: [] };
      break;
    case 'TxnOffsetCommit':
      response = { api: 'TxnOffsetCommitResponse', partitions: request.offsets.map((o) => ({ topic: o.topic, partition: o.partition, error: status })) };
      break;
  }
  reply<KafkaResponse>(env, to, response);
}

/** KafkaApis.handleFindCoordinatorRequest: the coordinator is the leader of the group's partition. */
function findCoordinator(env: GroupEnv, from: NodeId, request: FindCoordinatorRequest): void {
  let coordinator: NodeId | null = null;
  if (request.keyType === 'group') {
    const partition = partitionForGroup(request.key, env.host.offsetsPartitions);
    const lookup = (env.host as GroupHost & Partial<GroupHostMetadata>).leaderOf;
    if (typeof lookup === 'function') coordinator = lookup.call(env.host, OFFSETS_TOPIC, partition);
    else if (env.host.isLeaderOf(OFFSETS_TOPIC, partition)) coordinator = env.host.brokerNode;
  }
  reply<FindCoordinatorResponse>(env, parked(from, request.correlationId), {
    api: 'FindCoordinatorResponse',
    error: coordinator ? 'NONE' : 'COORDINATOR_NOT_AVAILABLE',
    coordinator,
  });
}

/** Timers named 'group:*'; returns false when the timer is not the coordinator's. */
export function handleGroupTimer(gc: GroupCoordinatorState, event: NodeEvent, ctx: NodeContext, host: GroupHost): boolean {
  if (event.type !== 'timer' || !event.name.startsWith('group:')) return false;
  const env: GroupEnv = { gc, ctx, host };
  const data = event.data as { groupId?: string; memberId?: string; appendId?: number; partition?: number };
  switch (event.name) {
    case 'group:join':
      onJoinTimer(env, data.groupId!, event.timerId);
      break;
    case 'group:heartbeat':
      onHeartbeatExpired(env, data.groupId!, data.memberId!, event.timerId);
      break;
    case 'group:pending-member':
      onPendingMemberExpired(env, data.groupId!, data.memberId!, event.timerId);
      break;
    case 'group:append-timeout': {
      const write = takeById(env, data.appendId!);
      if (write) completeWrite(env, write, 'REQUEST_TIMED_OUT');
      break;
    }
    case 'group:load': {
      const loading = gc.loadingPartitions.find((l) => l.partition === data.partition && l.timerId === event.timerId);
      if (loading) {
        gc.loadingPartitions = gc.loadingPartitions.filter((l) => l !== loading);
        finishLoading(env, loading.partition, loading.loaded);
      }
      break;
    }
  }
  return true;
}

function completeWrite(env: GroupEnv, write: PendingAppend, error: 'REQUEST_TIMED_OUT' | 'NOT_LEADER_OR_FOLLOWER' | null): void {
  if (write.kind === 'offsets') onOffsetsStored(env, write, error);
  else onGroupStored(env, write, error);
}

/**
 * The broker became (or stopped being) leader of __consumer_offsets-<partition>.
 * Becoming leader: load the groups and committed offsets from the log (handleGroupImmigration).
 * Losing it: drop them; parked requests get NOT_COORDINATOR (handleGroupEmigration).
 */
export function onOffsetsPartitionLeadership(
  gc: GroupCoordinatorState,
  partition: number,
  isLeader: boolean,
  records: StoredRecord[],
  ctx: NodeContext,
  host: GroupHost,
): void {
  const env: GroupEnv = { gc, ctx, host };
  const loading = gc.loadingPartitions.find((l) => l.partition === partition);
  if (isLeader) {
    // A new leader epoch on the same broker keeps what is already here.
    if (loading || gc.ownedPartitions.includes(partition)) return;
    const loaded = loadPartition(records);
    const loadMs = gc.config['kafkasim.offsets.load.ms'];
    if (loadMs > 0) {
      gc.loadingPartitions.push({ partition, timerId: ctx.setTimer(loadMs, 'group:load', { partition }), loaded });
    } else {
      finishLoading(env, partition, loaded);
    }
    return;
  }
  if (loading) {
    ctx.cancelTimer(loading.timerId);
    gc.loadingPartitions = gc.loadingPartitions.filter((l) => l !== loading);
  }
  if (!gc.ownedPartitions.includes(partition)) return;
  gc.ownedPartitions = gc.ownedPartitions.filter((p) => p !== partition);
  for (const groupId of Object.keys(gc.groups).sort()) {
    if (gc.groups[groupId].partition === partition) unloadGroup(env, gc.groups[groupId]);
  }
  // Writes still waiting for the high watermark will never be confirmed by this broker.
  for (const write of takeAllOf(env, partition)) completeWrite(env, write, 'NOT_LEADER_OR_FOLLOWER');
  delete gc.highWatermarks[partition];
}

function finishLoading(env: GroupEnv, partition: number, loaded: LoadedPartition): void {
  const { gc } = env;
  gc.ownedPartitions = [...gc.ownedPartitions, partition].sort((a, b) => a - b);
  const groupIds = [...new Set([...loaded.groups.map((g) => g.groupId), ...Object.keys(loaded.offsets), ...Object.keys(loaded.pendingTxnOffsets ?? {})])].sort();
  for (const groupId of groupIds) {
    if (gc.groups[groupId]) continue;
    const value = loaded.groups.find((g) => g.groupId === groupId);
    const group: GroupMetadata = {
      groupId,
      partition,
      // GroupMetadata.loadGroup: a stored generation with members is Stable, without them Empty.
      state: value && value.members.length > 0 ? 'Stable' : 'Empty',
      generationId: value?.generation ?? 0,
      protocolType: value?.protocolType ?? null,
      protocolName: value?.protocol ?? null,
      leaderId: value?.leader ?? null,
      members: (value?.members ?? []).map((m) => ({
        memberId: m.memberId,
        node: m.node,
        sessionTimeoutMs: m.sessionTimeoutMs,
        rebalanceTimeoutMs: m.rebalanceTimeoutMs,
        protocols: m.subscription && value?.protocol ? [{ name: value.protocol, metadata: m.subscription }] : [],
        assignment: m.assignment,
        awaitingJoin: null,
        awaitingSync: null,
        latestHeartbeat: env.ctx.now,
        heartbeatTimer: null,
        isNew: false,
      })),
      pendingMembers: [],
      newMemberAdded: false,
      delayedJoin: null,
      offsets: Object.fromEntries((loaded.offsets[groupId] ?? []).map((o) => [`${o.topic}:${o.partition}`, o])),
      nextMemberSeq: value?.nextMemberSeq ?? 1,
    };
    const pendingTxn = loaded.pendingTxnOffsets?.[groupId];
    if (pendingTxn) {
      group.pendingTxnOffsets = Object.fromEntries(
        Object.keys(pendingTxn).sort().map((pid) => [pid, pendingTxn[pid].map((o) => ({ ...o, memberId: '', generationId: -1 }))]),
      );
    }
    gc.groups[groupId] = group;
    // onGroupLoaded: every loaded member must be heard from within its session from now on.
    for (const member of group.members) scheduleExpiration(env, group, member);
  }
}

/** The high watermark of a __consumer_offsets partition led here advanced. */
export function onOffsetsHighWatermark(
  gc: GroupCoordinatorState,
  partition: number,
  highWatermark: number,
  ctx: NodeContext,
  host: GroupHost,
): void {
  const env: GroupEnv = { gc, ctx, host };
  gc.highWatermarks[partition] = Math.max(gc.highWatermarks[partition] ?? 0, highWatermark);
  for (const write of takeCompleted(env, partition, gc.highWatermarks[partition])) completeWrite(env, write, null);
}

/**
 * A transaction marker was appended to __consumer_offsets-<partition> led here
 * (GroupMetadataManager.scheduleHandleTxnCompletion): the producer's pending offsets become
 * committed (COMMIT) or are dropped (ABORT).
 */
export function onOffsetsTxnMarker(
  gc: GroupCoordinatorState,
  partition: number,
  producerId: number,
  result: 'COMMIT' | 'ABORT',
  ctx: NodeContext,
): void {
  for (const groupId of Object.keys(gc.groups).sort()) {
    const group = gc.groups[groupId];
    const pending = group.partition === partition ? group.pendingTxnOffsets?.[String(producerId)] : undefined;
    if (!pending) continue;
    delete group.pendingTxnOffsets![String(producerId)];
    if (result !== 'COMMIT') continue;
    for (const o of pending) {
      const { memberId, generationId, ...committed } = o;
      group.offsets[`${o.topic}:${o.partition}`] = { ...committed, commitTimestamp: ctx.now };
      emit(ctx, { event: 'offset-committed', group: groupId, member: memberId, topic: o.topic, partition: o.partition, offset: o.offset, generation: generationId });
    }
  }
}
