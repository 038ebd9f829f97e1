/**
 * Topic deletion, as Kafka's TopicDeletionManager (ZooKeeper mode). An admin creates
 * /admin/delete_topics/<topic> (kafka-topics.sh --delete); the controller's child watch fires:
 * - delete.topic.enable=false: the request znode is removed and nothing else happens;
 *   so is a request for a topic that does not exist.
 * - otherwise the topic is queued. It is ineligible while one of its partitions is being
 *   reassigned, and its replicas on dead brokers wait until those brokers come back
 *   (ReplicaDeletionIneligible, retried at broker startup).
 * - onTopicDeletion: UpdateMetadata tells every broker the partitions are gone (Kafka's
 *   LeaderDuringDelete), every live replica gets StopReplica, then StopReplica with delete
 *   (the broker deletes the log and answers); once every replica answered, completeDeleteTopic
 *   deletes /brokers/topics/<topic> with its partition state znodes, and /admin/delete_topics/<topic>.
 * kafkasim leaves out the ISR writes of the replicas' OfflineReplica step: the state znodes they
 * would update are deleted at the end anyway, and no broker is told of them (as in Kafka).
 */
import type { NodeContext } from '@kafkasim/engine';
import { emit } from '../events';
import { addStopReplica, addUpdateMetadata, flushBatch, liveIds } from './channel';
import type { ControllerEnv } from './index';
import { call, finish, goto, result } from './jobCore';
import { isBeingReassigned } from './reassignment';
import type { ControllerState, Job } from './state';
import { partitionKey, sortedPartitionKeys } from './state';
import {
  DELETE_TOPICS_PATH, deletedTopicPath, deleteTopicPath, epochCheck, partitionPath, partitionsPath, statePath, topicPath, zkGetChildren, zkMulti,
} from './zk';

const keysOf = (cs: ControllerState, topic: string): string[] => sortedPartitionKeys(cs).filter((k) => cs.partitions[k].topic === topic);

function deleteZnodes(cs: ControllerState, env: ControllerEnv, ctx: NodeContext, paths: string[], label: string): void {
  // One fenced delete per znode, deepest first; a session applies them in order. NoNode is fine.
  paths.forEach((path, i) => call(cs, `${label}:${i}`, (tag) => zkMulti(env.zk, ctx, [epochCheck(cs.epochZkVersion), { op: 'delete', path, version: -1 }], tag)));
}

export function deletionStart(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  if (!cs.active) return finish(cs);
  goto(job, 'delete.read');
  call(cs, 'children', (tag) => zkGetChildren(env.zk, ctx, DELETE_TOPICS_PATH, { watch: true }, tag));
}

export function deletionRead(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const r = result(job, 'children');
  const requested = [...(r.ok ? r.children ?? [] : [])].sort();
  const refused: string[] = [];
  for (const topic of requested) {
    if (cs.deletions.some((d) => d.topic === topic)) continue;
    const reason = !env.config['delete.topic.enable'] ? 'delete.topic.enable=false' : !cs.topics.includes(topic) ? 'no such topic' : null;
    if (reason) {
      emit(ctx, { event: 'topic-deletion', topic, phase: 'refused', reason, controllerEpoch: cs.epoch });
      refused.push(topic);
      continue;
    }
    const awaiting = keysOf(cs, topic).flatMap((key) => cs.partitions[key].replicas.map((broker) => ({ key, broker })));
    cs.deletions = [...cs.deletions, { topic, awaiting, requested: [], waitingOn: [], started: false }].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
  }
  goto(job, 'delete.resume');
  if (refused.length > 0) deleteZnodes(cs, env, ctx, refused.map(deleteTopicPath), 'refused');
}

/** resumeDeletions: start (or retry) every eligible topic; complete those whose replicas are all deleted. */
export function deletionResume(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  if (!cs.active) return finish(cs);
  const live = liveIds(cs);
  for (const d of cs.deletions) {
    if (d.awaiting.length === 0) {
      job.data.complete = d.topic;
      return goto(job, 'delete.complete');
    }
    const keys = keysOf(cs, d.topic);
    if (keys.some((key) => isBeingReassigned(cs.partitions[key]))) {
      emit(ctx, { event: 'topic-deletion', topic: d.topic, phase: 'waiting', reason: 'a partition is being reassigned', controllerEpoch: cs.epoch });
      continue;
    }
    if (!d.started) {
      d.started = true;
      emit(ctx, { event: 'topic-deletion', topic: d.topic, phase: 'started', reason: '/admin/delete_topics', controllerEpoch: cs.epoch });
      // Brokers stop serving the topic (their metadata caches drop it).
      addUpdateMetadata(cs, live, keys);
    }
    const dead = [...new Set(d.awaiting.filter((r) => !live.includes(r.broker)).map((r) => r.broker))].sort((a, b) => a - b);
    if (dead.some((id) => !d.waitingOn.includes(id))) {
      const names = dead.map((id) => `broker-${id}`).join(', ');
      emit(ctx, { event: 'topic-deletion', topic: d.topic, phase: 'waiting', reason: `replicas on ${names}, which ${dead.length > 1 ? 'are' : 'is'} down`, controllerEpoch: cs.epoch });
    }
    d.waitingOn = dead;
    const toSend = d.awaiting.filter((r) => live.includes(r.broker) && !d.requested.some((q) => q.key === r.key && q.broker === r.broker));
    d.requested = [...d.requested, ...toSend];
    for (const r of toSend) addStopReplica(cs, [r.broker], r.key, false);
    flushBatch(cs, env, ctx);
    for (const r of toSend) addStopReplica(cs, [r.broker], r.key, true);
  }
  flushBatch(cs, env, ctx);
  finish(cs);
}

/** TopicDeletionStopReplicaResponseReceived: those replicas are gone (ReplicaDeletionSuccessful). */
export function deletionResponse(cs: ControllerState, job: Job): void {
  const event = job.event as Extract<Job['event'], { type: 'TopicDeletionStopReplicaResponseReceived' }>;
  const done = event.partitions.map((tp) => partitionKey(tp.topic, tp.partition));
  for (const d of cs.deletions) d.awaiting = d.awaiting.filter((r) => !(r.broker === event.broker && done.includes(r.key)));
  goto(job, 'delete.resume');
}

/** completeDeleteTopic: the topic's znodes, then the request znode; the controller forgets the topic. */
export function deletionComplete(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const topic = job.data.complete as string;
  const keys = keysOf(cs, topic);
  const paths = [
    ...keys.flatMap((key) => [statePath(topic, cs.partitions[key].partition), partitionPath(topic, cs.partitions[key].partition)]),
    partitionsPath(topic), topicPath(topic), deleteTopicPath(topic),
  ];
  goto(job, 'delete.completed');
  deleteZnodes(cs, env, ctx, paths, 'znode');
  call(cs, 'remember', (tag) => zkMulti(env.zk, ctx, [epochCheck(cs.epochZkVersion), { op: 'create', path: deletedTopicPath(topic), data: null }], tag));
}

export function deletionCompleted(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const topic = job.data.complete as string;
  if (!result(job, `znode:${keysOf(cs, topic).length * 2 + 1}`).ok) {
    // The topic znode stayed (fenced: another controller carries on): leave the queue to it.
    return finish(cs);
  }
  for (const key of keysOf(cs, topic)) delete cs.partitions[key];
  cs.topics = cs.topics.filter((t) => t !== topic);
  cs.deletions = cs.deletions.filter((d) => d.topic !== topic);
  cs.deletedTopics = [...cs.deletedTopics, topic].sort();
  emit(ctx, { event: 'topic-deletion', topic, phase: 'completed', reason: 'every replica deleted its log', controllerEpoch: cs.epoch });
  job.data.complete = undefined;
  goto(job, 'delete.resume');
}
