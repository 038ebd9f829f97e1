/**
 * Group membership and rebalancing (Kafka's GroupCoordinator: JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup, DelayedJoin/InitialDelayedJoin, DelayedHeartbeat), classic protocol.
 */
import type { NodeId } from '@kafkasim/engine';
import { emit } from '../events';
import type {
  ErrorCode,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  SyncGroupRequest,
  SyncGroupResponse,
  TopicPartition,
} from '../protocol';
import { appendAndPark, type AppendError } from './appends';
import { parked, reply, type GroupEnv, type ResponseBody } from './env';
import { partitionForGroup } from './host';
import { groupRecord, groupRecordValue } from './records';
import {
  NEW_MEMBER_JOIN_TIMEOUT_MS,
  type GroupMetadata,
  type MemberMetadata,
  type ParkedRequest,
  type PendingAppend,
} from './types';

// ---- group bookkeeping -------------------------------------------------------------------

export function newGroup(env: GroupEnv, groupId: string): GroupMetadata {
  const group: GroupMetadata = {
    groupId,
    partition: partitionForGroup(groupId, env.host.offsetsPartitions),
    state: 'Empty',
    generationId: 0,
    protocolType: null,
    protocolName: null,
    leaderId: null,
    members: [],
    pendingMembers: [],
    newMemberAdded: false,
    delayedJoin: null,
    offsets: {},
    nextMemberSeq: 1,
  };
  env.gc.groups[groupId] = group;
  return group;
}

const findMember = (group: GroupMetadata, memberId: string) => group.members.find((m) => m.memberId === memberId);

function removeMember(group: GroupMetadata, memberId: string): void {
  group.members = group.members.filter((m) => m.memberId !== memberId);
  // GroupMetadata.remove: the leader's successor is the next member in join order.
  if (group.leaderId === memberId) group.leaderId = group.members[0]?.memberId ?? null;
}

function rebalanceTimeoutMs(group: GroupMetadata): number {
  return group.members.reduce((max, m) => Math.max(max, m.rebalanceTimeoutMs), 0);
}

function hasAllMembersJoined(group: GroupMetadata): boolean {
  return group.members.every((m) => m.awaitingJoin !== null) && group.pendingMembers.length === 0;
}

/** GroupMetadata.selectProtocol: each member votes for its first protocol every member supports. */
function selectProtocol(group: GroupMetadata): string | null {
  if (group.members.length === 0) return null;
  const candidates = group.members[0].protocols
    .map((p) => p.name)
    .filter((name) => group.members.every((m) => m.protocols.some((p) => p.name === name)));
  // Kafka refuses a member without a common protocol (INCONSISTENT_GROUP_PROTOCOL, absent from
  // this protocol's error codes); we fall back to the first member's choice instead.
  if (candidates.length === 0) return group.members[0].protocols[0]?.name ?? null;
  const votes = new Map<string, number>();
  for (const m of group.members) {
    const vote = m.protocols.find((p) => candidates.includes(p.name))!.name;
    votes.set(vote, (votes.get(vote) ?? 0) + 1);
  }
  let best = candidates[0];
  for (const name of candidates) if ((votes.get(name) ?? 0) > (votes.get(best) ?? 0)) best = name;
  return best;
}

function joinError(memberId: string, error: ErrorCode): ResponseBody<JoinGroupResponse> {
  return { api: 'JoinGroupResponse', error, generationId: -1, protocolName: null, leader: '', memberId, members: [] };
}

function joinResult(group: GroupMetadata, member: MemberMetadata, withMembers: boolean): ResponseBody<JoinGroupResponse> {
  return {
    api: 'JoinGroupResponse',
    error: 'NONE',
    generationId: group.generationId,
    protocolName: group.protocolName,
    leader: group.leaderId ?? '',
    memberId: member.memberId,
    members: withMembers
      ? group.members.map((m) => ({
          memberId: m.memberId,
          groupInstanceId: null,
          metadata: m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? { topics: [], ownedPartitions: [], generation: -1 },
        }))
      : [],
  };
}

function sameProtocols(member: MemberMetadata, protocols: JoinGroupRequest['protocols']): boolean {
  return JSON.stringify(member.protocols) === JSON.stringify(protocols);
}

// ---- heartbeats --------------------------------------------------------------------------

/** completeAndScheduleNextExpiration: the member was heard from now; expect it again within timeoutMs. */
export function scheduleExpiration(env: GroupEnv, group: GroupMetadata, member: MemberMetadata, timeoutMs = member.sessionTimeoutMs): void {
  member.latestHeartbeat = env.ctx.now;
  if (member.heartbeatTimer !== null) env.ctx.cancelTimer(member.heartbeatTimer);
  member.heartbeatTimer = env.ctx.setTimer(timeoutMs, 'group:heartbeat', { groupId: group.groupId, memberId: member.memberId, timeoutMs });
}

function cancelExpiration(env: GroupEnv, member: MemberMetadata): void {
  if (member.heartbeatTimer !== null) env.ctx.cancelTimer(member.heartbeatTimer);
  member.heartbeatTimer = null;
}

/** MemberMetadata.shouldKeepAlive: a member parked in a rebalance is not expired by its session. */
function shouldKeepAlive(member: MemberMetadata, deadline: number): boolean {
  if (member.awaitingJoin) return !member.isNew || member.latestHeartbeat + NEW_MEMBER_JOIN_TIMEOUT_MS > deadline;
  return member.awaitingSync !== null || member.latestHeartbeat + member.sessionTimeoutMs > deadline;
}

/** DelayedHeartbeat expired (onExpireHeartbeat). */
export function onHeartbeatExpired(env: GroupEnv, groupId: string, memberId: string, timerId: number): void {
  const group = env.gc.groups[groupId];
  const member = group && findMember(group, memberId);
  if (!member || member.heartbeatTimer !== timerId) return;
  member.heartbeatTimer = null;
  if (!shouldKeepAlive(member, env.ctx.now)) {
    removeMemberAndUpdateGroup(env, group, member, `member ${memberId} failed: no heartbeat within session.timeout.ms (${member.sessionTimeoutMs} ms)`, 'session timeout expired');
  }
}

/** A pending member (KIP-394) never came back with its id within the session timeout. */
export function onPendingMemberExpired(env: GroupEnv, groupId: string, memberId: string, timerId: number): void {
  const group = env.gc.groups[groupId];
  if (!group || !group.pendingMembers.some((p) => p.memberId === memberId && p.timerId === timerId)) return;
  group.pendingMembers = group.pendingMembers.filter((p) => p.memberId !== memberId);
  if (group.state === 'PreparingRebalance') checkAndCompleteJoin(env, group);
}

// ---- rebalance ---------------------------------------------------------------------------

function maybePrepareRebalance(env: GroupEnv, group: GroupMetadata, reason: string): void {
  if (group.state === 'Stable' || group.state === 'CompletingRebalance' || group.state === 'Empty') prepareRebalance(env, group, reason);
}

function prepareRebalance(env: GroupEnv, group: GroupMetadata, reason: string): void {
  if (group.state === 'CompletingRebalance') resetAndPropagateAssignmentError(env, group, 'REBALANCE_IN_PROGRESS');
  const initialDelay = env.gc.config['group.initial.rebalance.delay.ms'];
  const initial = group.state === 'Empty';
  const delayMs = initial ? initialDelay : rebalanceTimeoutMs(group);
  const remainingMs = initial ? Math.max(rebalanceTimeoutMs(group) - initialDelay, 0) : 0;
  setDelayedJoin(env, group, initial, delayMs, remainingMs);
  group.state = 'PreparingRebalance';
  emit(env.ctx, { event: 'rebalance-started', group: group.groupId, generation: group.generationId, reason });
  // joinPurgatory.tryCompleteElseWatch: a DelayedJoin may complete at once; an initial one never does.
  if (!initial) checkAndCompleteJoin(env, group);
}

function setDelayedJoin(env: GroupEnv, group: GroupMetadata, initial: boolean, delayMs: number, remainingMs: number): void {
  if (group.delayedJoin) env.ctx.cancelTimer(group.delayedJoin.timerId);
  const timerId = env.ctx.setTimer(delayMs, 'group:join', { groupId: group.groupId });
  group.delayedJoin = { timerId, initial, delayMs, remainingMs };
}

function clearDelayedJoin(env: GroupEnv, group: GroupMetadata): void {
  if (group.delayedJoin) env.ctx.cancelTimer(group.delayedJoin.timerId);
  group.delayedJoin = null;
}

/** joinPurgatory.checkAndComplete: complete the rebalance once every known member has rejoined. */
export function checkAndCompleteJoin(env: GroupEnv, group: GroupMetadata): void {
  if (group.state !== 'PreparingRebalance' || !group.delayedJoin || group.delayedJoin.initial) return;
  if (hasAllMembersJoined(group)) {
    clearDelayedJoin(env, group);
    onCompleteJoin(env, group);
  }
}

/** The DelayedJoin's timer: the rebalance timeout (or a step of the initial delay) elapsed. */
export function onJoinTimer(env: GroupEnv, groupId: string, timerId: number): void {
  const group = env.gc.groups[groupId];
  if (!group || !group.delayedJoin || group.delayedJoin.timerId !== timerId) return;
  const join = group.delayedJoin;
  group.delayedJoin = null;
  if (join.initial && group.newMemberAdded && join.remainingMs !== 0) {
    // InitialDelayedJoin.onComplete: members are still arriving, wait another delay.
    group.newMemberAdded = false;
    const delay = Math.min(env.gc.config['group.initial.rebalance.delay.ms'], join.remainingMs);
    const remaining = Math.max(join.remainingMs - join.delayMs, 0);
    setDelayedJoin(env, group, true, delay, remaining);
    return;
  }
  onCompleteJoin(env, group);
}

function onCompleteJoin(env: GroupEnv, group: GroupMetadata): void {
  // Dynamic members that have not rejoined by now are out.
  for (const failed of group.members.filter((m) => m.awaitingJoin === null)) {
    cancelExpiration(env, failed);
    removeMember(group, failed.memberId);
    emit(env.ctx, { event: 'member-removed', group: group.groupId, member: failed.memberId, reason: 'did not rejoin before the rebalance timeout' });
  }
  if (group.state === 'Dead') return;
  group.generationId += 1;
  group.newMemberAdded = false;
  if (group.members.length === 0) {
    group.protocolName = null;
    group.state = 'Empty';
    emit(env.ctx, { event: 'rebalance-completed', group: group.groupId, generation: group.generationId, assignment: {} });
    storeGroup(env, group, null);
    return;
  }
  // maybeElectNewJoinedLeader: every remaining member has joined, so the leader has too.
  group.protocolName = selectProtocol(group);
  group.state = 'CompletingRebalance';
  for (const member of group.members) {
    const to = member.awaitingJoin!;
    member.awaitingJoin = null;
    reply<JoinGroupResponse>(env, to, joinResult(group, member, member.memberId === group.leaderId));
    scheduleExpiration(env, group, member);
    member.isNew = false;
  }
}

function resetAndPropagateAssignmentError(env: GroupEnv, group: GroupMetadata, error: ErrorCode): void {
  for (const m of group.members) m.assignment = [];
  propagateAssignment(env, group, error);
}

function propagateAssignment(env: GroupEnv, group: GroupMetadata, error: ErrorCode): void {
  for (const member of group.members) {
    if (!member.awaitingSync) continue;
    const to = member.awaitingSync;
    member.awaitingSync = null;
    reply<SyncGroupResponse>(env, to, { api: 'SyncGroupResponse', error, assignment: member.assignment });
    // The member may have "expired" while parked; it gets a fresh session from now.
    scheduleExpiration(env, group, member);
  }
}

function removeMemberAndUpdateGroup(env: GroupEnv, group: GroupMetadata, member: MemberMetadata, reason: string, factReason: string): void {
  // A new member parked in JoinGroup is told to start over.
  if (member.awaitingJoin) reply<JoinGroupResponse>(env, member.awaitingJoin, joinError('', 'UNKNOWN_MEMBER_ID'));
  member.awaitingJoin = null;
  cancelExpiration(env, member);
  removeMember(group, member.memberId);
  emit(env.ctx, { event: 'member-removed', group: group.groupId, member: member.memberId, reason: factReason });
  if (group.state === 'Stable' || group.state === 'CompletingRebalance') maybePrepareRebalance(env, group, reason);
  else if (group.state === 'PreparingRebalance') checkAndCompleteJoin(env, group);
}

// ---- group metadata writes ---------------------------------------------------------------

/** GroupMetadataManager.storeGroup: the assignment counts only once it is in __consumer_offsets. */
function storeGroup(env: GroupEnv, group: GroupMetadata, assignment: Record<string, TopicPartition[]> | null): void {
  const record = groupRecord(groupRecordValue(group, assignment), env.ctx.now);
  const result = appendAndPark(env, group.partition, [record], {
    kind: 'group',
    groupId: group.groupId,
    generationId: group.generationId,
    assignment,
  });
  if ('error' in result) onGroupStored(env, { kind: 'group', id: -1, partition: group.partition, lastOffset: -1, timerId: -1, groupId: group.groupId, generationId: group.generationId, assignment }, result.error);
  else if ('done' in result) onGroupStored(env, result.done as Extract<PendingAppend, { kind: 'group' }>, null);
}

function storeGroupError(error: AppendError): ErrorCode {
  switch (error) {
    case 'NOT_ENOUGH_REPLICAS': return 'COORDINATOR_NOT_AVAILABLE';
    case 'NOT_LEADER_OR_FOLLOWER': return 'NOT_COORDINATOR';
    case 'REQUEST_TIMED_OUT': return 'REBALANCE_IN_PROGRESS';
  }
}

/** The group write completed (error null) or failed. */
export function onGroupStored(env: GroupEnv, write: Extract<PendingAppend, { kind: 'group' }>, error: AppendError | null): void {
  const group = env.gc.groups[write.groupId];
  // An Empty group's write failing is harmless: there is nobody to tell.
  if (!group || write.assignment === null) return;
  // Another member may have joined meanwhile: only the same generation, still completing, proceeds.
  if (group.state !== 'CompletingRebalance' || group.generationId !== write.generationId) return;
  if (error) {
    resetAndPropagateAssignmentError(env, group, storeGroupError(error));
    maybePrepareRebalance(env, group, `error when storing group assignment during SyncGroup (${error})`);
    return;
  }
  for (const m of group.members) m.assignment = (write.assignment[m.memberId] ?? []).map((tp) => ({ ...tp }));
  propagateAssignment(env, group, 'NONE');
  group.state = 'Stable';
  emit(env.ctx, {
    event: 'rebalance-completed',
    group: group.groupId,
    generation: group.generationId,
    assignment: Object.fromEntries(group.members.map((m) => [m.memberId, m.assignment.map((tp) => ({ ...tp }))])),
  });
}

// ---- requests ----------------------------------------------------------------------------

export function handleJoinGroup(env: GroupEnv, from: NodeId, req: JoinGroupRequest): void {
  const to = parked(from, req.correlationId);
  let group = env.gc.groups[req.groupId];
  const isUnknownMember = req.memberId === '';
  if (!group) {
    // Only a new member may create a group.
    if (!isUnknownMember) return reply<JoinGroupResponse>(env, to, joinError(req.memberId, 'UNKNOWN_MEMBER_ID'));
    group = newGroup(env, req.groupId);
  }
  if (isUnknownMember) doUnknownJoinGroup(env, group, from, req, to);
  else doJoinGroup(env, group, from, req, to);
  if (group.state === 'PreparingRebalance') checkAndCompleteJoin(env, group);
}

function doUnknownJoinGroup(env: GroupEnv, group: GroupMetadata, from: NodeId, req: JoinGroupRequest, to: ParkedRequest): void {
  if (group.state === 'Dead') return reply<JoinGroupResponse>(env, to, joinError('', 'COORDINATOR_NOT_AVAILABLE'));
  // Kafka: clientId + "-" + UUID. Ours is deterministic and unique within the group.
  const memberId = `${from}-${group.nextMemberSeq++}`;
  // KIP-394: remember the id and make the client come back with it.
  const timerId = env.ctx.setTimer(req.sessionTimeoutMs, 'group:pending-member', { groupId: group.groupId, memberId });
  group.pendingMembers.push({ memberId, timerId });
  reply<JoinGroupResponse>(env, to, joinError(memberId, 'MEMBER_ID_REQUIRED'));
}

function doJoinGroup(env: GroupEnv, group: GroupMetadata, from: NodeId, req: JoinGroupRequest, to: ParkedRequest): void {
  if (group.state === 'Dead') return reply<JoinGroupResponse>(env, to, joinError(req.memberId, 'COORDINATOR_NOT_AVAILABLE'));
  const pending = group.pendingMembers.find((p) => p.memberId === req.memberId);
  if (pending) return addMemberAndRebalance(env, group, from, req, to);
  const member = findMember(group, req.memberId);
  if (!member) return reply<JoinGroupResponse>(env, to, joinError(req.memberId, 'UNKNOWN_MEMBER_ID'));
  switch (group.state) {
    case 'PreparingRebalance':
      return updateMemberAndRebalance(env, group, member, req, to);
    case 'CompletingRebalance':
      // Same metadata: it missed the JoinGroup response; give it the current generation again.
      if (sameProtocols(member, req.protocols)) return reply<JoinGroupResponse>(env, to, joinResult(group, member, member.memberId === group.leaderId));
      return updateMemberAndRebalance(env, group, member, req, to);
    case 'Stable':
      // The leader rejoining forces a rebalance (it may have seen metadata change); so do changed subscriptions.
      if (member.memberId === group.leaderId || !sameProtocols(member, req.protocols)) return updateMemberAndRebalance(env, group, member, req, to);
      return reply<JoinGroupResponse>(env, to, joinResult(group, member, false));
    default:
      return reply<JoinGroupResponse>(env, to, joinError(req.memberId, 'UNKNOWN_MEMBER_ID'));
  }
}

function addMemberAndRebalance(env: GroupEnv, group: GroupMetadata, from: NodeId, req: JoinGroupRequest, to: ParkedRequest): void {
  const pending = group.pendingMembers.find((p) => p.memberId === req.memberId);
  if (pending) env.ctx.cancelTimer(pending.timerId);
  group.pendingMembers = group.pendingMembers.filter((p) => p.memberId !== req.memberId);
  const member: MemberMetadata = {
    memberId: req.memberId,
    node: from,
    sessionTimeoutMs: req.sessionTimeoutMs,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs,
    protocols: structuredClone(req.protocols),
    assignment: [],
    awaitingJoin: to,
    awaitingSync: null,
    latestHeartbeat: env.ctx.now,
    heartbeatTimer: null,
    isNew: true,
  };
  // Lets the initial delay stretch while members keep arriving.
  if (group.state === 'PreparingRebalance' && group.generationId === 0) group.newMemberAdded = true;
  if (group.members.length === 0) group.protocolType = req.protocolType;
  group.members.push(member);
  if (group.leaderId === null) group.leaderId = member.memberId;
  emit(env.ctx, { event: 'member-joined', group: group.groupId, member: member.memberId, node: from });
  // New members cannot heartbeat yet: they get NewMemberJoinTimeoutMs to finish joining.
  scheduleExpiration(env, group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
  maybePrepareRebalance(env, group, `adding new member ${member.memberId}`);
}

function updateMemberAndRebalance(env: GroupEnv, group: GroupMetadata, member: MemberMetadata, req: JoinGroupRequest, to: ParkedRequest): void {
  member.protocols = structuredClone(req.protocols);
  member.sessionTimeoutMs = req.sessionTimeoutMs;
  member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
  member.awaitingJoin = to;
  maybePrepareRebalance(env, group, `member ${member.memberId} rejoined (updating its metadata)`);
}

export function handleSyncGroup(env: GroupEnv, from: NodeId, req: SyncGroupRequest): void {
  const to = parked(from, req.correlationId);
  const fail = (error: ErrorCode) => reply<SyncGroupResponse>(env, to, { api: 'SyncGroupResponse', error, assignment: [] });
  const group = env.gc.groups[req.groupId];
  if (!group) return fail('UNKNOWN_MEMBER_ID');
  if (group.state === 'Dead') return fail('COORDINATOR_NOT_AVAILABLE');
  const member = findMember(group, req.memberId);
  if (!member) return fail('UNKNOWN_MEMBER_ID');
  if (req.generationId !== group.generationId) return fail('ILLEGAL_GENERATION');
  switch (group.state) {
    case 'Empty':
      return fail('UNKNOWN_MEMBER_ID');
    case 'PreparingRebalance':
      return fail('REBALANCE_IN_PROGRESS');
    case 'CompletingRebalance': {
      member.awaitingSync = to;
      if (member.memberId !== group.leaderId) return;
      // The leader's assignment; members it left out get nothing.
      const assignment: Record<string, TopicPartition[]> = {};
      for (const m of group.members) {
        const given = req.assignments.find((a) => a.memberId === m.memberId);
        assignment[m.memberId] = (given?.assignment ?? []).map((tp) => ({ topic: tp.topic, partition: tp.partition }));
      }
      return storeGroup(env, group, assignment);
    }
    case 'Stable':
      reply<SyncGroupResponse>(env, to, { api: 'SyncGroupResponse', error: 'NONE', assignment: member.assignment });
      return scheduleExpiration(env, group, member);
  }
}

export function handleHeartbeat(env: GroupEnv, from: NodeId, req: HeartbeatRequest): void {
  const answer = (error: ErrorCode) => reply<HeartbeatResponse>(env, parked(from, req.correlationId), { api: 'HeartbeatResponse', error });
  const group = env.gc.groups[req.groupId];
  if (!group) return answer('UNKNOWN_MEMBER_ID');
  if (group.state === 'Dead') return answer('COORDINATOR_NOT_AVAILABLE');
  const member = findMember(group, req.memberId);
  if (!member) return answer('UNKNOWN_MEMBER_ID');
  if (req.generationId !== group.generationId) return answer('ILLEGAL_GENERATION');
  switch (group.state) {
    case 'Empty':
      return answer('UNKNOWN_MEMBER_ID');
    case 'CompletingRebalance':
      // Kafka 2.5+: members heartbeat between their JoinGroup and SyncGroup responses.
      scheduleExpiration(env, group, member);
      return answer('NONE');
    case 'PreparingRebalance':
      scheduleExpiration(env, group, member);
      return answer('REBALANCE_IN_PROGRESS');
    case 'Stable':
      scheduleExpiration(env, group, member);
      return answer('NONE');
  }
}

export function handleLeaveGroup(env: GroupEnv, from: NodeId, req: LeaveGroupRequest): void {
  const answer = (error: ErrorCode) => reply<LeaveGroupResponse>(env, parked(from, req.correlationId), { api: 'LeaveGroupResponse', error });
  const group = env.gc.groups[req.groupId];
  if (!group) return answer('UNKNOWN_MEMBER_ID');
  if (group.state === 'Dead') return answer('COORDINATOR_NOT_AVAILABLE');
  const pending = group.pendingMembers.find((p) => p.memberId === req.memberId);
  if (pending) {
    env.ctx.cancelTimer(pending.timerId);
    group.pendingMembers = group.pendingMembers.filter((p) => p !== pending);
    if (group.state === 'PreparingRebalance') checkAndCompleteJoin(env, group);
    return answer('NONE');
  }
  const member = findMember(group, req.memberId);
  if (!member) return answer('UNKNOWN_MEMBER_ID');
  removeMemberAndUpdateGroup(env, group, member, `removing member ${member.memberId} on LeaveGroup`, 'left the group (LeaveGroup)');
  answer('NONE');
}

/** Offset commits from a live member count as heartbeats (completeAndScheduleNextHeartbeatExpiration). */
export function touchMember(env: GroupEnv, group: GroupMetadata, memberId: string): void {
  const member = findMember(group, memberId);
  if (member) scheduleExpiration(env, group, member);
}

export function hasMember(group: GroupMetadata, memberId: string): boolean {
  return findMember(group, memberId) !== undefined;
}

// ---- moving between coordinators -----------------------------------------------------------

/** onGroupUnloaded: this broker no longer coordinates the group; parked requests learn so. */
export function unloadGroup(env: GroupEnv, group: GroupMetadata): void {
  for (const member of group.members) {
    if (member.awaitingJoin) reply<JoinGroupResponse>(env, member.awaitingJoin, joinError(member.memberId, 'NOT_COORDINATOR'));
    if (member.awaitingSync) reply<SyncGroupResponse>(env, member.awaitingSync, { api: 'SyncGroupResponse', error: 'NOT_COORDINATOR', assignment: [] });
    member.awaitingJoin = null;
    member.awaitingSync = null;
    cancelExpiration(env, member);
  }
  for (const p of group.pendingMembers) env.ctx.cancelTimer(p.timerId);
  clearDelayedJoin(env, group);
  group.state = 'Dead';
  delete env.gc.groups[group.groupId];
}
