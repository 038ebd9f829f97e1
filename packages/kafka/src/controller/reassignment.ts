/**
 * Partition reassignment, as KafkaController.onPartitionReassignment (Kafka 2.4+, KIP-455, in
 * ZooKeeper mode). Names: ORS the original replicas, TRS the target, RS = ORS + TRS the full set
 * while moving, AR = TRS - ORS being added, RR = ORS - TRS being removed.
 *
 * Trigger: an admin writes /admin/reassign_partitions {partitions: [{topic, partition, replicas}]}
 * (kafka-reassign-partitions.sh --execute); the controller's exists watch fires
 * (processZkPartitionReassignment) and it starts one reassignment per partition:
 *   U   write RS, AR, RR into /brokers/topics/<topic> (so a new controller resumes it).
 *   A   bump the leader epoch and send LeaderAndIsr to RS: the AR brokers become followers and
 *       start copying the log (replica.fetch...). Throttled by the topic's
 *       *.replication.throttled.replicas where set.
 *   B   once every TRS replica is in the ISR (the leader's AlterPartition says so):
 *       B2 RS = TRS in memory; B3 if the leader is not in TRS (or not live), elect the first live
 *       in-sync TRS replica (reassignPartitionLeaderElection), else bump the epoch; B4 RR leave the
 *       ISR and get StopReplica; B5 StopReplica with delete removes their logs; B6 write RS = TRS;
 *       B7 drop the partition from /admin/reassign_partitions (delete it when empty); B8
 *       UpdateMetadata to every broker.
 */
import type { NodeContext } from '@kafkasim/engine';
import { emit, type ModelFact } from '../events';
import { brokerNodeId } from '../protocol';
import { addStopReplica, addUpdateMetadata, flushBatch, liveIds } from './channel';
import { electableIds } from './describe';
import type { ControllerEnv } from './index';
import { call, finish, goto, result } from './jobCore';
import { planLeaderEpochBump, planLeaderMoves, targetReplicas } from './leaderMoves';
import { isQueuedForDeletion } from './stateChanges';
import type { ControllerState, Job, PartitionContext } from './state';
import { partitionKey, sortedPartitionKeys } from './state';
import { issueWrites } from './writes';
import {
  epochCheck, parseAdminPartitions, REASSIGN_PARTITIONS_PATH, reassigningTopicZnodeData, topicPath, zkExists, zkGetData, zkMulti,
} from './zk';

type MoveEvent = Extract<Job['event'], { type: 'ReassignPartition' }>;

export const isBeingReassigned = (p: PartitionContext): boolean => p.adding.length + p.removing.length > 0;
const originReplicas = (p: PartitionContext): number[] => p.replicas.filter((id) => !p.adding.includes(id));

/** ReplicaAssignment.reassignTo: RS = (TRS ++ ORS).distinct, AR = RS - ORS, RR = RS - TRS. */
export function reassignTo(p: PartitionContext, target: readonly number[]): { replicas: number[]; adding: number[]; removing: number[] } {
  const origin = originReplicas(p);
  const replicas = [...target, ...origin].filter((id, i, all) => all.indexOf(id) === i);
  return {
    replicas,
    adding: replicas.filter((id) => !origin.includes(id)),
    removing: replicas.filter((id) => !target.includes(id)),
  };
}

function phaseFact(cs: ControllerState, p: PartitionContext, phase: Extract<ModelFact, { event: 'reassignment' }>['phase'], removing = p.removing): ModelFact {
  return {
    event: 'reassignment', topic: p.topic, partition: p.partition, phase, replicas: p.replicas.map(brokerNodeId),
    adding: p.adding.map(brokerNodeId), removing: removing.map(brokerNodeId), controllerEpoch: cs.epoch,
  };
}

/** /brokers/topics/<topic> with this partition's assignment replaced (setTopicAssignment, fenced). */
function writeTopicAssignment(cs: ControllerState, env: ControllerEnv, ctx: NodeContext, topic: string, key: string, next: { replicas: number[]; adding: number[]; removing: number[] }, label: string): void {
  const partitions = sortedPartitionKeys(cs)
    .map((k) => cs.partitions[k])
    .filter((q) => q.topic === topic)
    .map((q) => (partitionKey(q.topic, q.partition) === key ? { partition: q.partition, ...next } : q));
  const data = reassigningTopicZnodeData(partitions);
  call(cs, label, (tag) => zkMulti(env.zk, ctx, [epochCheck(cs.epochZkVersion), { op: 'setData', path: topicPath(topic), data, version: -1 }], tag));
}

// ---- /admin/reassign_partitions -----------------------------------------------------------

export function zkReassignStart(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  if (!cs.active) return finish(cs);
  goto(job, 'reassign.read');
  // registerZNodeChangeHandlerAndCheckExistence: the watch is set whether or not the znode exists.
  call(cs, 'exists', (tag) => zkExists(env.zk, ctx, REASSIGN_PARTITIONS_PATH, { watch: true }, tag));
  call(cs, 'request', (tag) => zkGetData(env.zk, ctx, REASSIGN_PARTITIONS_PATH, { watch: false }, tag));
}

export function zkReassignRead(cs: ControllerState, job: Job): void {
  const r = result(job, 'request');
  finish(cs);
  if (!r.ok) return;
  const moves: MoveEvent[] = [];
  for (const entry of parseAdminPartitions(r.data)) {
    const key = partitionKey(entry.topic, entry.partition);
    const p = cs.partitions[key];
    // maybeTriggerPartitionReassignment refuses unknown partitions and topics being deleted.
    if (!p || !entry.replicas || entry.replicas.length === 0 || isQueuedForDeletion(cs, p.topic)) continue;
    moves.push({ type: 'ReassignPartition', key, target: entry.replicas, fromIsrChange: false });
  }
  cs.queue.unshift(...moves);
}

// ---- one partition: KafkaController.onPartitionReassignment ------------------------------

export function moveStart(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const event = job.event as MoveEvent;
  const p = cs.partitions[event.key];
  if (!cs.active || !p || !p.leadership) return finish(cs);
  if (event.target === null) {
    // An ISR change or a resumed reassignment: nothing to do unless one is in progress.
    if (!isBeingReassigned(p)) return finish(cs);
    return goto(job, 'move.check');
  }
  const next = reassignTo(p, event.target);
  const same = next.replicas.join() === p.replicas.join() && next.adding.join() === p.adding.join() && next.removing.join() === p.removing.join();
  if (same) return goto(job, 'move.check');
  // updateCurrentReassignment: a replica added by a reassignment this one replaces is stopped again.
  job.data.unneeded = p.replicas.filter((id) => !next.replicas.includes(id));
  job.data.next = next;
  job.data.announce = true;
  goto(job, 'move.assigned');
  writeTopicAssignment(cs, env, ctx, p.topic, event.key, next, 'assign');
}

export function moveAssigned(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const event = job.event as MoveEvent;
  if (!result(job, 'assign').ok) return finish(cs);
  const p = cs.partitions[event.key];
  const next = job.data.next as { replicas: number[]; adding: number[]; removing: number[] };
  p.replicas = next.replicas;
  p.adding = next.adding;
  p.removing = next.removing;
  for (const id of job.data.unneeded as number[]) addStopReplica(cs, [id], event.key, true);
  flushBatch(cs, env, ctx);
  goto(job, 'move.check');
}

/** isReassignmentComplete: every target replica is in the ISR. */
export function moveCheck(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const event = job.event as MoveEvent;
  const p = cs.partitions[event.key];
  const isr = p.leadership!.isr;
  if (targetReplicas(p).every((id) => isr.includes(id))) return goto(job, 'move.complete');
  if (event.fromIsrChange) return finish(cs);
  // A1: the new replica set to every live replica of RS, under a new leader epoch (A2: AR start as followers).
  const write = planLeaderEpochBump(cs, event.key, p.replicas.filter((id) => liveIds(cs).includes(id)));
  if (!write) return finish(cs);
  issueWrites(cs, job, env, ctx, [write], 'move.started');
}

export function moveStarted(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const p = cs.partitions[(job.event as MoveEvent).key];
  flushBatch(cs, env, ctx);
  if (job.data.announce) emit(ctx, phaseFact(cs, p, 'started'));
  finish(cs);
}

/** Phase B: B2 RS = TRS in memory, B3 move the leader if it is not a target (or not live). */
export function moveComplete(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const key = (job.event as MoveEvent).key;
  const p = cs.partitions[key];
  emit(ctx, phaseFact(cs, p, 'caught-up'));
  const removed = [...p.removing];
  job.data.removed = removed;
  p.replicas = targetReplicas(p);
  p.adding = [];
  p.removing = [];
  const leader = p.leadership!.leader;
  const live = liveIds(cs);
  if (!p.replicas.includes(leader) || !electableIds(cs).includes(leader)) {
    const { writes } = planLeaderMoves(cs, [key], 'reassign', `reassignment of ${p.topic}-${p.partition}`);
    job.data.leaderMoved = writes.length > 0;
    if (writes.length > 0) return issueWrites(cs, job, env, ctx, writes, 'move.shrink');
  }
  const bump = planLeaderEpochBump(cs, key, p.replicas.filter((id) => live.includes(id)))!;
  issueWrites(cs, job, env, ctx, [bump], 'move.shrink');
}

/** B4: the removed replicas leave the ISR (one write; Kafka's OfflineReplica does it replica by replica). */
export function moveShrink(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const key = (job.event as MoveEvent).key;
  const p = cs.partitions[key];
  flushBatch(cs, env, ctx);
  if (job.data.leaderMoved) emit(ctx, phaseFact(cs, p, 'leader-moved', job.data.removed));
  const removed = job.data.removed as number[];
  const current = p.leadership!;
  const isr = current.isr.filter((id) => !removed.includes(id));
  if (isr.length === current.isr.length || isr.length === 0) return goto(job, 'move.stop');
  const live = liveIds(cs);
  issueWrites(cs, job, env, ctx, [{
    key,
    leadership: { ...current, isr, leaderEpoch: current.leaderEpoch + 1, controllerEpoch: cs.epoch, zkVersion: current.zkVersion + 1 },
    create: false, expectedVersion: current.zkVersion,
    facts: [{ event: 'isr-changed', topic: p.topic, partition: p.partition, isr: isr.map(brokerNodeId), leaderEpoch: current.leaderEpoch + 1, partitionEpoch: current.zkVersion + 1 }],
    leaderAndIsrTo: p.replicas.filter((id) => live.includes(id)),
  }], 'move.stop');
}

/** B4/B5: StopReplica, then StopReplica with delete, to the removed replicas; B6: write RS = TRS. */
export function moveStop(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const key = (job.event as MoveEvent).key;
  const p = cs.partitions[key];
  flushBatch(cs, env, ctx);
  const removed = job.data.removed as number[];
  for (const id of removed) addStopReplica(cs, [id], key, false);
  flushBatch(cs, env, ctx);
  for (const id of removed) addStopReplica(cs, [id], key, true);
  flushBatch(cs, env, ctx);
  emit(ctx, phaseFact(cs, p, 'replicas-removed', removed));
  goto(job, 'move.written');
  writeTopicAssignment(cs, env, ctx, p.topic, key, { replicas: p.replicas, adding: [], removing: [] }, 'final');
}

/** B7: the partition leaves /admin/reassign_partitions (read, then rewrite or delete it). */
export function moveWritten(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const p = cs.partitions[(job.event as MoveEvent).key];
  emit(ctx, phaseFact(cs, p, 'completed', []));
  goto(job, 'move.unlist');
  call(cs, 'request', (tag) => zkGetData(env.zk, ctx, REASSIGN_PARTITIONS_PATH, { watch: false }, tag));
}

export function moveUnlist(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const key = (job.event as MoveEvent).key;
  const r = result(job, 'request');
  goto(job, 'move.done');
  if (!r.ok || !r.stat) return;
  const rest = parseAdminPartitions(r.data).filter((e) => partitionKey(e.topic, e.partition) !== key);
  const op = rest.length === 0
    ? { op: 'delete' as const, path: REASSIGN_PARTITIONS_PATH, version: r.stat.version }
    : { op: 'setData' as const, path: REASSIGN_PARTITIONS_PATH, data: { version: 1, partitions: rest }, version: r.stat.version };
  call(cs, 'unlist', (tag) => zkMulti(env.zk, ctx, [epochCheck(cs.epochZkVersion), op], tag));
}

/** B8: every broker learns the new replica set. The exists watch is set again: the delete above consumed nothing, but a rewrite did. */
export function moveDone(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const key = (job.event as MoveEvent).key;
  addUpdateMetadata(cs, liveIds(cs), [key]);
  flushBatch(cs, env, ctx);
  finish(cs);
}

/** After a failover: resume every reassignment the topic znodes record (maybeResumeReassignments). */
export function resumeReassignments(cs: ControllerState): MoveEvent[] {
  return sortedPartitionKeys(cs)
    .filter((key) => isBeingReassigned(cs.partitions[key]))
    .map((key) => ({ type: 'ReassignPartition', key, target: null, fromIsrChange: false }));
}
