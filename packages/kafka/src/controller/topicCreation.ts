/**
 * The scenario's startup topics and __consumer_offsets. In Kafka an admin (or the group
 * coordinator's auto-creation) writes /brokers/topics/<topic> and the controller's TopicChange
 * handler runs onNewPartitionCreation; kafkasim lets the active controller do both, once the
 * whole cluster is registered (or after a grace period, with the brokers that are up).
 */
import type { NodeContext } from '@kafkasim/engine';
import type { TopicConfig } from '../config';
import { OFFSETS_TOPIC } from '../group/host';
import { TXN_TOPIC } from '../txn/host';
import { assignReplicasToBrokers } from './assignment';
import { flushBatch, liveIds } from './channel';
import type { ControllerEnv } from './index';
import { call, finish, goto, result } from './jobCore';
import { planOnlinePartitionStateChange } from './stateChanges';
import type { ControllerState, Job } from './state';
import { partitionKey } from './state';
import { issueWrites } from './writes';
import { epochCheck, topicPath, topicZnodeData, zkMulti } from './zk';

/** The topics the cluster should have: the scenario's, plus the offsets topic. */
export function desiredTopics(env: ControllerEnv, liveCount: number): TopicConfig[] {
  const topics = [...env.topics];
  if (!topics.some((t) => t.name === OFFSETS_TOPIC)) {
    topics.push({
      name: OFFSETS_TOPIC,
      partitions: env.config['offsets.topic.num.partitions'],
      replicationFactor: Math.min(env.config['offsets.topic.replication.factor'], liveCount),
    });
  }
  if (env.transactions && !topics.some((t) => t.name === TXN_TOPIC)) {
    topics.push({
      name: TXN_TOPIC,
      partitions: env.config['transaction.state.log.num.partitions'],
      // Kafka's transaction.state.log.replication.factor defaults to 3 like the offsets topic's.
      replicationFactor: Math.min(env.config['offsets.topic.replication.factor'], liveCount),
    });
  }
  return topics;
}

/** Kafka's AdminZkClient.createTopic placement: sorted live brokers, random start and shift (rand.nextInt(n)). */
export function assignmentFor(topic: TopicConfig, live: readonly number[], ctx: NodeContext): number[][] | null {
  if (topic.assignment) return topic.assignment.map((replicas) => [...replicas]);
  if (topic.replicationFactor < 1 || topic.replicationFactor > live.length) return null;
  const brokers = [...live].sort((a, b) => a - b);
  const startIndex = ctx.rng.int(0, brokers.length - 1);
  const nextReplicaShift = ctx.rng.int(0, brokers.length - 1);
  return assignReplicasToBrokers(brokers, topic.partitions, topic.replicationFactor, startIndex, nextReplicaShift);
}

export function topicsStart(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  if (!cs.active || cs.topicsCreated) return finish(cs);
  const live = liveIds(cs);
  const wholeCluster = env.allBrokerIds.every((id) => live.includes(id));
  if (live.length === 0 || (!wholeCluster && !cs.topicGraceExpired)) return finish(cs);
  const missing = desiredTopics(env, live.length).filter((t) => !cs.topics.includes(t.name) && !cs.deletedTopics.includes(t.name));
  if (missing.length === 0) {
    cs.topicsCreated = true;
    return finish(cs);
  }
  const creations: { name: string; assignment: number[][] }[] = [];
  for (const topic of missing) {
    // Too few brokers for the replication factor: Kafka refuses (InvalidReplicationFactorException); retried when brokers join.
    const assignment = assignmentFor(topic, live, ctx);
    if (assignment) creations.push({ name: topic.name, assignment });
  }
  if (creations.length === 0) return finish(cs);
  job.data.creations = creations;
  goto(job, 'topics.created');
  for (const c of creations) {
    call(cs, `c:${c.name}`, (tag) => zkMulti(env.zk, ctx, [
      epochCheck(cs.epochZkVersion),
      { op: 'create', path: topicPath(c.name), data: topicZnodeData(c.assignment) },
    ], tag));
  }
}

export function topicsCreated(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const keys: string[] = [];
  for (const c of job.data.creations as { name: string; assignment: number[][] }[]) {
    if (!result(job, `c:${c.name}`).ok) continue;
    cs.topics = [...cs.topics, c.name].sort();
    c.assignment.forEach((replicas, partition) => {
      const key = partitionKey(c.name, partition);
      cs.partitions[key] = { topic: c.name, partition, replicas: [...replicas], leadership: null, reportedOffline: false, adding: [], removing: [] };
      keys.push(key);
    });
  }
  const live = liveIds(cs);
  cs.topicsCreated = desiredTopics(env, live.length).every((t) => cs.topics.includes(t.name) || cs.deletedTopics.includes(t.name));
  // onNewPartitionCreation: NewPartition -> OnlinePartition.
  const writes = planOnlinePartitionStateChange(cs, env, ctx, 'new partition', keys);
  if (writes.length === 0) return goto(job, 'topics.done');
  issueWrites(cs, job, env, ctx, writes, 'topics.done');
}

export function topicsDone(cs: ControllerState, _job: Job, env: ControllerEnv, ctx: NodeContext): void {
  flushBatch(cs, env, ctx);
  finish(cs);
}
