/**
 * ConsumerCoordinator / AbstractCoordinator: finding the coordinator, JoinGroup and SyncGroup
 * (the leader member runs the assignor), the heartbeat thread, leaving, and the eager and
 * cooperative rebalance protocols around them (onJoinPrepare / onJoinComplete).
 */
import type {
  FindCoordinatorRequest,
  FindCoordinatorResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  SubscriptionMetadata,
  SyncGroupRequest,
  SyncGroupResponse,
  TopicPartition,
} from '../../protocol';
import { assignorsByName, rebalanceProtocolOf, type AssignorName, type MemberSubscription } from '../assignors';
import { onPartitionsAssigned, onPartitionsRevoked, revocationCommitOffsets } from './app';
import { allConsumed, pendingCommit, startCommit, type CommitHooks } from './commits';
import { groupId, type ConsumerEnv } from './env';
import { hasMetadataFor, nextNode, partitionCounts, wantTopics } from './metadata';
import { dropRequestsTo, inFlight, send } from './network';
import type { InFlightRequest, PartitionState } from './types';

export const HEARTBEAT_TIMER = 'heartbeat';

export function createGroupState(): ConsumerEnv['m']['group'] {
  return {
    state: 'UNJOINED', memberId: '', generation: -1, protocol: null, leaderId: '', coordinator: null, findIndex: 0,
    backoffUntil: 0, rejoinNeeded: true, rejoinReason: 'initial join', joinPrepared: false, pendingLeaderAssignment: null,
    pendingAssignment: null, lastAssignment: [], lastAssignmentGeneration: -1, assignedMetadata: null,
    lastHeartbeatSentMs: 0, lastHeartbeatReceivedMs: 0, heartbeatTimer: null,
  };
}

const strategy = (env: ConsumerEnv) => env.cfg['partition.assignment.strategy'] as AssignorName;
export const isCooperative = (env: ConsumerEnv) => rebalanceProtocolOf[strategy(env)] === 'cooperative';
const GROUP_APIS: InFlightRequest['api'][] = ['JoinGroup', 'SyncGroup', 'Heartbeat', 'LeaveGroup', 'OffsetCommit', 'OffsetFetch'];

// ---- coordinator discovery -------------------------------------------------------------

export function ensureCoordinator(env: ConsumerEnv): boolean {
  const g = env.m.group;
  if (g.coordinator !== null || inFlight(env, 'FindCoordinator') || env.ctx.now < g.backoffUntil) return false;
  send<Omit<FindCoordinatorRequest, 'api' | 'correlationId'>>(env, nextNode(env), 'FindCoordinator', { key: groupId(env), keyType: 'group' });
  return true;
}

export function onFindCoordinatorResponse(env: ConsumerEnv, response: FindCoordinatorResponse): void {
  const g = env.m.group;
  if (response.error === 'NONE' && response.coordinator) {
    g.coordinator = response.coordinator;
    // A fresh coordinator connection: the session clock restarts (Heartbeat.resetSessionTimeout).
    g.lastHeartbeatReceivedMs = env.ctx.now;
    return;
  }
  // Not every broker can name the coordinator: the next lookup asks the next broker.
  g.backoffUntil = env.ctx.now + env.cfg['retry.backoff.ms'];
}

export function onFindCoordinatorFailed(env: ConsumerEnv): void {
  env.m.group.backoffUntil = env.ctx.now + env.cfg['retry.backoff.ms'];
}

/** AbstractCoordinator.markCoordinatorUnknown: disconnect; in-flight group requests fail. */
export function markCoordinatorUnknown(env: ConsumerEnv, reason: string): void {
  void reason;
  const g = env.m.group;
  if (g.coordinator === null) return;
  const old = g.coordinator;
  g.coordinator = null;
  for (const request of dropRequestsTo(env, old, GROUP_APIS)) onGroupRequestFailed(env, request);
}

/** A group request failed without an answer (timeout or disconnect). */
export function onGroupRequestFailed(env: ConsumerEnv, request: InFlightRequest): void {
  const g = env.m.group;
  switch (request.api) {
    case 'JoinGroup':
    case 'SyncGroup':
      if (g.state === 'PREPARING_REBALANCE' || g.state === 'COMPLETING_REBALANCE') {
        g.state = 'UNJOINED';
        g.rejoinNeeded = true;
      }
      return;
    case 'OffsetCommit': {
      const commit = env.m.commits.find((c) => c.id === request.commitId);
      if (commit && commit.result === null) {
        if (commit.sync) commit.sent = false;
        else commit.result = 'failed';
      }
      return;
    }
    default:
      return;
  }
}

export const commitHooks: CommitHooks = {
  markCoordinatorUnknown: (env, reason) => markCoordinatorUnknown(env, reason),
  resetGeneration: (env, reason) => resetGeneration(env, reason),
  requestRejoin: (env, reason) => requestRejoin(env, reason),
};

// ---- generation bookkeeping --------------------------------------------------------------

export function requestRejoin(env: ConsumerEnv, reason: string): void {
  const g = env.m.group;
  if (!g.rejoinNeeded) g.rejoinReason = reason;
  g.rejoinNeeded = true;
}

/** resetStateAndGeneration: forget the member id; owned partitions are lost at the next poll. */
export function resetGeneration(env: ConsumerEnv, reason: string): void {
  const g = env.m.group;
  g.memberId = '';
  g.generation = -1;
  g.protocol = null;
  g.state = 'UNJOINED';
  g.pendingAssignment = null;
  g.pendingLeaderAssignment = null;
  stopHeartbeats(env);
  requestRejoin(env, reason);
}

function subscriptionMetadata(env: ConsumerEnv): SubscriptionMetadata {
  const g = env.m.group;
  const owned = env.m.assignment.map((p) => ({ topic: p.topic, partition: p.partition }));
  // The eager sticky assignor carries the previous assignment in its userData.
  if (strategy(env) === 'sticky') return { topics: [...env.topics], ownedPartitions: g.lastAssignment.map((tp) => ({ ...tp })), generation: g.lastAssignmentGeneration };
  return { topics: [...env.topics], ownedPartitions: owned, generation: isCooperative(env) ? g.generation : -1 };
}

// ---- joining -----------------------------------------------------------------------------

function needsJoin(env: ConsumerEnv): boolean {
  const g = env.m.group;
  return (g.state === 'UNJOINED' || g.rejoinNeeded) && g.state !== 'PREPARING_REBALANCE' && g.state !== 'COMPLETING_REBALANCE' && g.pendingAssignment === null;
}

/**
 * ConsumerCoordinator.poll, run from the application's poll(): coordinator lookup, rejoining,
 * applying a completed assignment, auto-commit. Returns true when it changed something.
 */
export function pollCoordinator(env: ConsumerEnv): boolean {
  const g = env.m.group;
  if (g.coordinator === null) return ensureCoordinator(env);
  let progress = false;
  if (g.pendingAssignment !== null) {
    onJoinComplete(env);
    progress = true;
  }
  if (needsJoin(env)) progress = joinGroupIfNeeded(env) || progress;
  progress = maybeAutoCommit(env) || progress;
  return progress;
}

function joinGroupIfNeeded(env: ConsumerEnv): boolean {
  const g = env.m.group;
  // onJoinPrepare's commitSync blocks the rejoin.
  if (pendingCommit(env, 'rebalance')) return false;
  if (!g.joinPrepared) {
    g.joinPrepared = true;
    onJoinPrepare(env);
    return true;
  }
  if (env.ctx.now < g.backoffUntil || g.coordinator === null) return false;
  sendJoinGroup(env);
  return true;
}

/** ConsumerCoordinator.onJoinPrepare. */
function onJoinPrepare(env: ConsumerEnv): void {
  const g = env.m.group;
  const all = env.m.assignment.map((p) => ({ topic: p.topic, partition: p.partition }));
  if (g.memberId === '' || g.generation < 0) {
    // The generation is gone (expired, fenced, left): the partitions are lost, nothing to commit.
    if (all.length > 0) onPartitionsRevoked(env, all, true);
    return;
  }
  // enable.auto.commit: commitSync of everything consumed before rebalancing (both protocols).
  const offsets = env.cfg['enable.auto.commit']
    ? allConsumed(env)
    : isCooperative(env) ? [] : revocationCommitOffsets(env, all);
  if (offsets.length > 0) startCommit(env, offsets, 'rebalance', true);
  // Eager: give everything up before rejoining. Cooperative keeps consuming its partitions.
  if (!isCooperative(env) && all.length > 0) onPartitionsRevoked(env, all, false);
}

function sendJoinGroup(env: ConsumerEnv): void {
  const g = env.m.group;
  g.state = 'PREPARING_REBALANCE';
  stopHeartbeats(env);
  const body: Omit<JoinGroupRequest, 'api' | 'correlationId'> = {
    groupId: groupId(env),
    memberId: g.memberId,
    groupInstanceId: null,
    sessionTimeoutMs: env.cfg['session.timeout.ms'],
    rebalanceTimeoutMs: env.cfg['max.poll.interval.ms'],
    protocolType: 'consumer',
    protocols: [{ name: strategy(env), metadata: subscriptionMetadata(env) }],
  };
  // JoinGroup waits in the coordinator up to the rebalance timeout (AbstractCoordinator.joinGroupTimeoutMs).
  send(env, g.coordinator!, 'JoinGroup', body, {}, Math.max(env.cfg['request.timeout.ms'], env.cfg['max.poll.interval.ms'] + 5000));
}

export function onJoinGroupResponse(env: ConsumerEnv, r: JoinGroupResponse): void {
  const g = env.m.group;
  if (g.state !== 'PREPARING_REBALANCE') return;
  switch (r.error) {
    case 'NONE':
      g.memberId = r.memberId;
      g.generation = r.generationId;
      g.protocol = r.protocolName;
      g.leaderId = r.leader;
      g.state = 'COMPLETING_REBALANCE';
      startHeartbeats(env);
      if (r.leader === r.memberId) {
        g.pendingLeaderAssignment = {
          members: r.members.map((m) => ({ memberId: m.memberId, topics: [...m.metadata.topics], ownedPartitions: m.metadata.ownedPartitions.map((tp) => ({ ...tp })), generation: m.metadata.generation })),
        };
        maybeAssignAsLeader(env);
      } else {
        sendSyncGroup(env, []);
      }
      return;
    case 'MEMBER_ID_REQUIRED':
      // KIP-394: come back with the id the coordinator chose.
      g.memberId = r.memberId;
      g.state = 'UNJOINED';
      return;
    case 'UNKNOWN_MEMBER_ID':
    case 'ILLEGAL_GENERATION':
      resetGeneration(env, `JoinGroup: ${r.error}`);
      return;
    case 'COORDINATOR_NOT_AVAILABLE':
    case 'NOT_COORDINATOR':
      g.state = 'UNJOINED';
      markCoordinatorUnknown(env, `JoinGroup: ${r.error}`);
      return;
    default:
      g.state = 'UNJOINED';
      g.backoffUntil = env.ctx.now + env.cfg['retry.backoff.ms'];
  }
}

/** The leader runs the assignor once it has metadata for every member's topics. */
export function maybeAssignAsLeader(env: ConsumerEnv): boolean {
  const g = env.m.group;
  const pending = g.pendingLeaderAssignment;
  if (!pending || g.state !== 'COMPLETING_REBALANCE') return false;
  const topics = [...new Set(pending.members.flatMap((m) => m.topics))].sort();
  wantTopics(env, topics);
  if (!hasMetadataFor(env, topics)) return false;
  g.pendingLeaderAssignment = null;
  const subscriptions: Record<string, MemberSubscription> = {};
  for (const m of pending.members) {
    subscriptions[m.memberId] = { topics: m.topics, ownedPartitions: m.ownedPartitions, ...(m.generation >= 0 ? { generation: m.generation } : {}) };
  }
  const counts = partitionCounts(env, topics);
  const assignor = assignorsByName[(g.protocol ?? strategy(env)) as AssignorName];
  const assignment = assignor(counts, subscriptions);
  g.assignedMetadata = counts;
  sendSyncGroup(env, Object.keys(assignment).sort().map((memberId) => ({ memberId, assignment: assignment[memberId] })));
  return true;
}

function sendSyncGroup(env: ConsumerEnv, assignments: { memberId: string; assignment: TopicPartition[] }[]): void {
  const g = env.m.group;
  send<Omit<SyncGroupRequest, 'api' | 'correlationId'>>(env, g.coordinator!, 'SyncGroup', {
    groupId: groupId(env), generationId: g.generation, memberId: g.memberId, assignments,
  });
}

export function onSyncGroupResponse(env: ConsumerEnv, r: SyncGroupResponse): void {
  const g = env.m.group;
  if (g.state !== 'COMPLETING_REBALANCE') return;
  switch (r.error) {
    case 'NONE':
      g.state = 'STABLE';
      g.rejoinNeeded = false;
      g.pendingAssignment = r.assignment.map((tp) => ({ topic: tp.topic, partition: tp.partition }));
      g.lastHeartbeatReceivedMs = env.ctx.now;
      env.m.counters.rebalances += 1;
      return;
    case 'UNKNOWN_MEMBER_ID':
    case 'ILLEGAL_GENERATION':
      resetGeneration(env, `SyncGroup: ${r.error}`);
      return;
    case 'COORDINATOR_NOT_AVAILABLE':
    case 'NOT_COORDINATOR':
      g.state = 'UNJOINED';
      requestRejoin(env, `SyncGroup: ${r.error}`);
      markCoordinatorUnknown(env, `SyncGroup: ${r.error}`);
      return;
    default:
      // REBALANCE_IN_PROGRESS: another round started before the assignment was stored.
      g.state = 'UNJOINED';
      requestRejoin(env, `SyncGroup: ${r.error}`);
  }
}

/** ConsumerCoordinator.onJoinComplete, run in the application's poll(). */
function onJoinComplete(env: ConsumerEnv): void {
  const g = env.m.group;
  const next = g.pendingAssignment!;
  g.pendingAssignment = null;
  g.joinPrepared = false;
  const key = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;
  const nextKeys = new Set(next.map(key));
  const ownedKeys = new Set(env.m.assignment.map(key));
  const revoked = env.m.assignment.filter((p) => !nextKeys.has(key(p))).map((p) => ({ topic: p.topic, partition: p.partition }));
  const added = next.filter((tp) => !ownedKeys.has(key(tp)));
  if (revoked.length > 0) {
    // Cooperative: give up only what moves, then rejoin so that its new owner gets it.
    const offsets = env.cfg['enable.auto.commit'] ? [] : revocationCommitOffsets(env, revoked);
    if (offsets.length > 0) startCommit(env, offsets, 'rebalance', true);
    onPartitionsRevoked(env, revoked, false);
    if (isCooperative(env)) requestRejoin(env, 'need to revoke partitions and re-join');
  }
  const fresh: PartitionState[] = added.map((tp) => ({ topic: tp.topic, partition: tp.partition, position: null, status: 'awaiting-committed' }));
  env.m.assignment = [...env.m.assignment.filter((p) => nextKeys.has(key(p))), ...fresh];
  g.lastAssignment = next.map((tp) => ({ ...tp }));
  g.lastAssignmentGeneration = g.generation;
  onPartitionsAssigned(env, added);
}

/** What comparing the two as JSON told (counts are array lengths), without writing them out each round. */
/**
 * Whether every topic of the last assignment still has the partition count it was assigned with.
 * The counts were taken by partitionCounts, in sorted order, from topics that all had metadata, so
 * counting again and comparing key by key (every round of the leader's settle did, five arrays
 * and an object each time) differs from this only when a topic lost its metadata or changed its count.
 */
function assignedCountsHold(env: ConsumerEnv, assigned: Record<string, number>): boolean {
  const topics = env.m.metadata.topics;
  for (const topic in assigned) {
    const partitions = topics[topic];
    if (!partitions || partitions.length !== assigned[topic]) return false;
  }
  return true;
}

/** The leader notices partition-count changes of subscribed topics and rebalances (ConsumerCoordinator.rejoinNeededOrPending). */
export function checkMetadataChange(env: ConsumerEnv): void {
  const g = env.m.group;
  if (g.state !== 'STABLE' || g.leaderId !== g.memberId || !g.assignedMetadata) return;
  if (!assignedCountsHold(env, g.assignedMetadata)) {
    g.assignedMetadata = null;
    requestRejoin(env, 'cached metadata has changed');
  }
}

// ---- auto-commit ---------------------------------------------------------------------------

function maybeAutoCommit(env: ConsumerEnv): boolean {
  if (!env.cfg['enable.auto.commit'] || env.ctx.now < env.m.autoCommitDeadline) return false;
  const g = env.m.group;
  if (g.coordinator === null || g.state !== 'STABLE') {
    // Kafka retries after retry.backoff.ms when the coordinator is unknown.
    env.m.autoCommitDeadline = env.ctx.now + env.cfg['retry.backoff.ms'];
    return false;
  }
  env.m.autoCommitDeadline = env.ctx.now + env.cfg['auto.commit.interval.ms'];
  const offsets = allConsumed(env);
  if (offsets.length > 0) startCommit(env, offsets, 'auto', false);
  return offsets.length > 0;
}

// ---- the heartbeat thread --------------------------------------------------------------------

export function startHeartbeats(env: ConsumerEnv): void {
  const g = env.m.group;
  g.lastHeartbeatReceivedMs = env.ctx.now;
  g.lastHeartbeatSentMs = env.ctx.now;
  if (g.heartbeatTimer === null) g.heartbeatTimer = env.ctx.setTimer(env.cfg['heartbeat.interval.ms'], HEARTBEAT_TIMER);
}

function stopHeartbeats(env: ConsumerEnv): void {
  const g = env.m.group;
  if (g.heartbeatTimer !== null) env.ctx.cancelTimer(g.heartbeatTimer);
  g.heartbeatTimer = null;
}

/** One wake-up of the HeartbeatThread. */
export function onHeartbeatTimer(env: ConsumerEnv, timerId: number): void {
  const g = env.m.group;
  if (g.heartbeatTimer !== timerId) return;
  g.heartbeatTimer = null;
  if (g.state !== 'STABLE' && g.state !== 'COMPLETING_REBALANCE') return;
  let next = env.cfg['heartbeat.interval.ms'];
  if (g.coordinator === null) {
    ensureCoordinator(env);
    next = env.cfg['retry.backoff.ms'];
  } else if (env.ctx.now - g.lastHeartbeatReceivedMs >= env.cfg['session.timeout.ms']) {
    markCoordinatorUnknown(env, 'session timed out without receiving a heartbeat response');
    next = env.cfg['retry.backoff.ms'];
  } else if (env.m.app.phase !== 'polling' && env.ctx.now - env.m.lastPollMs > env.cfg['max.poll.interval.ms']) {
    // The application stopped calling poll(): leave so that the group can move on without it.
    maybeLeaveGroup(env, 'consumer poll timeout has expired');
    return;
  } else if (!inFlight(env, 'Heartbeat')) {
    send<Omit<HeartbeatRequest, 'api' | 'correlationId'>>(env, g.coordinator, 'Heartbeat', {
      groupId: groupId(env), generationId: g.generation, memberId: g.memberId,
    });
    g.lastHeartbeatSentMs = env.ctx.now;
  }
  g.heartbeatTimer = env.ctx.setTimer(next, HEARTBEAT_TIMER);
}

export function onHeartbeatResponse(env: ConsumerEnv, r: HeartbeatResponse): void {
  const g = env.m.group;
  g.lastHeartbeatReceivedMs = env.ctx.now;
  switch (r.error) {
    case 'NONE':
      return;
    case 'REBALANCE_IN_PROGRESS':
      // During COMPLETING_REBALANCE this is the round we are in; only a stable member rejoins.
      if (g.state === 'STABLE') requestRejoin(env, 'group is already rebalancing');
      return;
    case 'ILLEGAL_GENERATION':
    case 'UNKNOWN_MEMBER_ID':
      if (g.state === 'STABLE' || g.state === 'COMPLETING_REBALANCE') resetGeneration(env, `Heartbeat: ${r.error}`);
      return;
    case 'COORDINATOR_NOT_AVAILABLE':
    case 'NOT_COORDINATOR':
      markCoordinatorUnknown(env, `Heartbeat: ${r.error}`);
      return;
    default:
      return;
  }
}

/** AbstractCoordinator.maybeLeaveGroup: LeaveGroup (not waited for) and a fresh identity. */
export function maybeLeaveGroup(env: ConsumerEnv, reason: string): void {
  const g = env.m.group;
  if (g.memberId !== '' && g.coordinator !== null) {
    send<Omit<LeaveGroupRequest, 'api' | 'correlationId'>>(env, g.coordinator, 'LeaveGroup', { groupId: groupId(env), memberId: g.memberId });
  }
  resetGeneration(env, reason);
}
