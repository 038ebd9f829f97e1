/** The entry points the broker calls (see index.ts for the hosting contract). */
import type { NodeContext, NodeEvent, NodeId } from '@kafkasim/engine';
import type { ZkClientOutput } from '../coordinator/api';
import { brokerIdOf } from '../protocol';
import { onBrokerResponse, onResendTimer, RESEND_TIMER } from './channel';
import type { ControllerEnv } from './index';
import { parseTag, TAG_PREFIX, type StepResult } from './jobCore';
import { resign, TOPIC_GRACE_TIMER } from './lifecycle';
import { respondError } from './alterPartition';
import { respondShutdownError } from './controlledShutdown';
import { AUTO_REBALANCE_TIMER } from './preferredElection';
import type { ControllerState } from './state';
import { drive } from './steps';
import {
  ADMIN_TOP_LEVEL_PATHS, BROKER_IDS_PATH, CONTROLLER_PATH, DELETE_TOPICS_PATH, PREFERRED_ELECTION_PATH, REASSIGN_PARTITIONS_PATH,
  TOP_LEVEL_PATHS, zkCreate, zkExists, zkSessionId,
} from './zk';

/** kafkasim: after a request was lost to a disconnection, try again this often while the client says it is connected. */
export const RETRY_MS = 200;
const RETRY_TIMER = 'ctl:retry';

export function controllerOnSession(
  cs: ControllerState, session: 'connected' | 'expired' | 'disconnected', env: ControllerEnv, ctx: NodeContext,
): void {
  if (session === 'disconnected') {
    cs.zkConnected = false;
    return;
  }
  if (session === 'expired') {
    cs.zkConnected = false;
    expire(cs, env, ctx);
    return;
  }
  cs.zkConnected = true;
  const sessionId = zkSessionId(env.zk);
  if (sessionId !== cs.sessionId || cs.sessionId === null) {
    const first = cs.sessionId === null;
    cs.sessionId = sessionId;
    for (const path of [...TOP_LEVEL_PATHS, ...(env.admin ? ADMIN_TOP_LEVEL_PATHS : [])]) zkCreate(env.zk, ctx, path, null, {}, `${TAG_PREFIX}paths:${path}`);
    // Startup, or after a new session Kafka's RegisterBrokerAndReelect (the broker registers itself).
    cs.queue.push({ type: first ? 'Startup' : 'Reelect' });
  }
  cs.suspended = false;
  drive(cs, env, ctx);
}

/**
 * Kafka's Expire event (clearAndPut: it empties the event queue): resign, and answer the
 * AlterPartitions that will not be processed.
 */
function expire(cs: ControllerState, env: ControllerEnv, ctx: NodeContext): void {
  const dropped = [...(cs.job ? [cs.job.event] : []), ...cs.queue];
  cs.job = null;
  cs.queue = [];
  cs.suspended = false;
  for (const event of dropped) {
    if (event.type === 'AlterPartition') respondError(cs, event.from, event.request, 'NOT_CONTROLLER', ctx);
    if (event.type === 'ControlledShutdown') respondShutdownError(cs, event.from, event.request, 'NOT_CONTROLLER', ctx);
  }
  cs.activeControllerId = -1;
  resign(cs, env, ctx);
}

export function controllerOnZk(cs: ControllerState, output: ZkClientOutput, env: ControllerEnv, ctx: NodeContext): boolean {
  if (output.type === 'session') return false;
  if (output.type === 'watch') {
    if (output.path === CONTROLLER_PATH) {
      // ControllerChangeHandler: deletion -> Reelect, creation/data change -> ControllerChange.
      cs.queue.push({ type: output.event === 'NodeDeleted' ? 'Reelect' : 'ControllerChange' });
    } else if (output.path === BROKER_IDS_PATH && output.event === 'NodeChildrenChanged') {
      if (cs.active) cs.queue.push({ type: 'BrokerChange' });
    } else if (output.path === PREFERRED_ELECTION_PATH) {
      if (cs.active && output.event === 'NodeCreated') cs.queue.push({ type: 'PreferredReplicaLeaderElection' });
    } else if (output.path === REASSIGN_PARTITIONS_PATH) {
      // PartitionReassignmentHandler reacts to a creation only; after our own rewrite or delete, watch again.
      if (cs.active && output.event === 'NodeCreated') cs.queue.push({ type: 'ZkPartitionReassignment' });
      else if (cs.active) zkExists(env.zk, ctx, REASSIGN_PARTITIONS_PATH, { watch: true }, `${TAG_PREFIX}rewatch`);
    } else if (output.path === DELETE_TOPICS_PATH && output.event === 'NodeChildrenChanged') {
      if (cs.active) cs.queue.push({ type: 'TopicDeletion' });
    } else {
      return false;
    }
    drive(cs, env, ctx);
    return true;
  }
  const tag = parseTag(output.tag);
  if (!tag) return output.tag.startsWith(TAG_PREFIX);
  const job = cs.job;
  if (!job || job.id !== tag.jobId) return true; // an answer for an abandoned job
  const r: StepResult = output.ok
    ? { ok: true, data: output.data, stat: output.stat ?? null, children: output.children }
    : { ok: false, error: output.error };
  (job.data.results as Record<string, StepResult>)[tag.label] = r;
  job.pending -= 1;
  if (!output.ok && (output.error === 'ConnectionLoss' || output.error === 'SessionExpired')) job.data.lost = true;
  if (job.pending > 0) return true;
  if (job.data.lost) {
    suspend(cs, ctx);
    return true;
  }
  drive(cs, env, ctx);
  return true;
}

/**
 * Kafka blocks on a lost connection and retries (retryRequestUntilConnected). kafkasim abandons
 * the job and, once connected again, re-reads what it may have half-changed: an active
 * controller resyncs from ZooKeeper, then retries the event if it is a request or topic creation.
 */
function suspend(cs: ControllerState, ctx: NodeContext): void {
  const event = cs.job!.event;
  cs.job = null;
  if (cs.active) {
    const retry = event.type === 'AlterPartition' || event.type === 'TopicCreation' ? [event] : [];
    cs.queue.unshift({ type: 'Resync' }, ...retry);
  } else {
    cs.queue.unshift(event);
  }
  cs.suspended = true;
  if (cs.zkConnected) ctx.setTimer(RETRY_MS, RETRY_TIMER);
}

export function controllerOnMessage(cs: ControllerState, from: NodeId, payload: any, env: ControllerEnv, ctx: NodeContext): boolean {
  switch (payload?.api) {
    case 'AlterPartition':
      cs.queue.push({ type: 'AlterPartition', from, request: payload });
      drive(cs, env, ctx);
      return true;
    case 'ControlledShutdown':
      cs.queue.push({ type: 'ControlledShutdown', from, request: payload });
      drive(cs, env, ctx);
      return true;
    case 'StopReplicaResponse':
      if (onBrokerResponse(cs, from, payload.correlationId, ctx) && payload.deletePartitions && cs.deletions.length > 0) {
        cs.queue.push({ type: 'TopicDeletionStopReplicaResponseReceived', broker: brokerIdOf(from), partitions: payload.partitions ?? [] });
        drive(cs, env, ctx);
      }
      return true;
    case 'LeaderAndIsrResponse':
    case 'UpdateMetadataResponse':
      onBrokerResponse(cs, from, payload.correlationId, ctx);
      return true;
    default:
      return false;
  }
}

export function controllerOnTimer(
  cs: ControllerState, event: Extract<NodeEvent, { type: 'timer' }>, env: ControllerEnv, ctx: NodeContext,
): boolean {
  if (!event.name.startsWith(TAG_PREFIX)) return false;
  if (event.name === RESEND_TIMER) onResendTimer(cs, event.data, ctx);
  else if (event.name === RETRY_TIMER) {
    if (cs.suspended && cs.zkConnected) {
      cs.suspended = false;
      drive(cs, env, ctx);
    }
  } else if (event.name === AUTO_REBALANCE_TIMER) {
    if (event.timerId === cs.autoRebalanceTimer) {
      cs.autoRebalanceTimer = null;
      cs.queue.push({ type: 'AutoPreferredReplicaLeaderElection' });
      drive(cs, env, ctx);
    }
  } else if (event.name === TOPIC_GRACE_TIMER) {
    if (event.timerId === cs.topicGraceTimer) {
      cs.topicGraceTimer = null;
      cs.topicGraceExpired = true;
      cs.queue.push({ type: 'TopicCreation' });
      drive(cs, env, ctx);
    }
  }
  return true;
}
