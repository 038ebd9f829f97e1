/**
 * KafkaController.doControlledShutdown: a broker about to stop asks the controller to move its
 * work away first. The broker joins shuttingDownBrokerIds (never elected again until it
 * re-registers); every replicated partition it leads gets a new leader from the rest of the ISR
 * (controlled-shutdown election); for every replicated partition it follows, it gets a
 * StopReplica (no delete) and leaves the ISR (OfflineReplica). The answer lists the partitions
 * it still leads (no other in-sync replica), and the broker retries while there are any.
 */
import type { NodeContext, NodeId } from '@kafkasim/engine';
import { emit } from '../events';
import { brokerIdOf, brokerNodeId, type ControlledShutdownRequest, type ControlledShutdownResponse, type ErrorCode } from '../protocol';
import { addStopReplica, flushBatch } from './channel';
import type { ControllerEnv } from './index';
import { finish, goto } from './jobCore';
import { planLeaderMoves } from './leaderMoves';
import { isQueuedForDeletion, planRemoveReplicaFromIsr } from './stateChanges';
import type { ControllerState, Job } from './state';
import { sortedPartitionKeys } from './state';
import { issueWrites } from './writes';

type ShutdownEvent = Extract<Job['event'], { type: 'ControlledShutdown' }>;

/** Replicated partitions with a leader on this broker, not being deleted (partitionsToActOn). */
function partitionsToActOn(cs: ControllerState, id: number): string[] {
  return sortedPartitionKeys(cs).filter((key) => {
    const p = cs.partitions[key];
    return p.replicas.includes(id) && p.replicas.length > 1 && p.leadership !== null && !isQueuedForDeletion(cs, p.topic);
  });
}

/** replicatedPartitionsBrokerLeads: what is left for the broker to hand over. */
function partitionsStillLed(cs: ControllerState, id: number): string[] {
  return sortedPartitionKeys(cs).filter((key) => {
    const p = cs.partitions[key];
    return p.leadership?.leader === id && p.replicas.length > 1;
  });
}

export function shutdownStart(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const { from, request } = job.event as ShutdownEvent;
  if (!cs.active) return respondShutdownError(cs, from, request, 'NOT_CONTROLLER', ctx);
  const id = brokerIdOf(request.brokerId);
  const registered = cs.liveBrokers.find((b) => b.id === id);
  if (!registered) return respondShutdownError(cs, from, request, 'BROKER_NOT_AVAILABLE', ctx);
  // Kafka checks only for an OLDER epoch (a request from a previous incarnation of the broker).
  if (request.brokerEpoch !== -1 && request.brokerEpoch < registered.epoch) return respondShutdownError(cs, from, request, 'STALE_BROKER_EPOCH', ctx);
  if (!cs.shuttingDown.includes(id)) cs.shuttingDown = [...cs.shuttingDown, id].sort((a, b) => a - b);
  const act = partitionsToActOn(cs, id);
  job.data.followed = act.filter((key) => cs.partitions[key].leadership!.leader !== id);
  const led = act.filter((key) => cs.partitions[key].leadership!.leader === id);
  const { writes } = planLeaderMoves(cs, led, 'controlled-shutdown', `${brokerNodeId(id)} shutting down`);
  if (writes.length === 0) return goto(job, 'shutdown.followers');
  issueWrites(cs, job, env, ctx, writes, 'shutdown.followers');
}

export function shutdownFollowers(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const id = brokerIdOf((job.event as ShutdownEvent).request.brokerId);
  flushBatch(cs, env, ctx);
  const followed = job.data.followed as string[];
  for (const key of followed) addStopReplica(cs, [id], key, false);
  flushBatch(cs, env, ctx);
  // OfflineReplica for the followed partitions: out of the ISR, the leader is told.
  const writes = planRemoveReplicaFromIsr(cs, id, followed).filter((w) => cs.partitions[w.key].leadership!.leader !== id);
  if (writes.length === 0) return goto(job, 'shutdown.respond');
  issueWrites(cs, job, env, ctx, writes, 'shutdown.respond');
}

export function shutdownRespond(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const { from, request } = job.event as ShutdownEvent;
  const id = brokerIdOf(request.brokerId);
  flushBatch(cs, env, ctx);
  const partitionsRemaining = partitionsStillLed(cs, id).map((key) => ({ topic: cs.partitions[key].topic, partition: cs.partitions[key].partition }));
  emit(ctx, { event: 'controlled-shutdown', broker: brokerNodeId(id), partitionsRemaining, controllerEpoch: cs.epoch });
  const response: ControlledShutdownResponse = { api: 'ControlledShutdownResponse', correlationId: request.correlationId, error: 'NONE', partitionsRemaining };
  ctx.send(from, response);
  finish(cs);
}

export function respondShutdownError(cs: ControllerState, to: NodeId, request: ControlledShutdownRequest, error: ErrorCode, ctx: NodeContext): void {
  const response: ControlledShutdownResponse = { api: 'ControlledShutdownResponse', correlationId: request.correlationId, error, partitionsRemaining: [] };
  ctx.send(to, response);
  if (cs.job?.event.type === 'ControlledShutdown' && cs.job.event.request === request) finish(cs);
}
