/**
 * Becoming and ceasing to be the controller: KafkaController.elect / maybeResign /
 * onControllerFailover / onControllerResignation, with ZooKeeper's /controller (ephemeral) and
 * /controller_epoch (persistent) znodes.
 */
import type { NodeContext } from '@kafkasim/engine';
import { emit } from '../events';
import { brokerNodeId } from '../protocol';
import { addUpdateMetadata, flushBatch, liveIds, removeAllChannels } from './channel';
import type { ControllerEnv } from './index';
import { call, finish, goto, result } from './jobCore';
import { addOnlineReplicas, planOnlinePartitionStateChange, planRemoveReplicaFromIsr } from './stateChanges';
import type { ControllerState, Job } from './state';
import { partitionKey, sortedPartitionKeys } from './state';
import { issueWrites } from './writes';
import { FIRST_AUTO_REBALANCE_DELAY_MS, scheduleAutoRebalance } from './preferredElection';
import { resumeReassignments } from './reassignment';
import {
  BROKER_IDS_PATH, CONTROLLER_EPOCH_PATH, CONTROLLER_PATH, INITIAL_CONTROLLER_EPOCH_DATA, TOPICS_PATH,
  DELETED_TOPICS_PATH, brokerPath, controllerZnodeData, parseControllerId, parseEpoch, parseState, parseTopicAssignment, statePath, topicPath,
  zkCreate, zkExists, zkGetChildren, zkGetData, zkMulti,
} from './zk';

export const TOPIC_GRACE_TIMER = 'ctl:topic-grace';

// ---- election (Startup, Reelect, ControllerChange) -----------------------------------------

/** Watch /controller (exists, so that a creation is seen too) and read who holds it. */
export function electStart(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  goto(job, 'elect.read');
  call(cs, 'exists', (tag) => zkExists(env.zk, ctx, CONTROLLER_PATH, { watch: true }, tag));
  call(cs, 'ctrl', (tag) => zkGetData(env.zk, ctx, CONTROLLER_PATH, { watch: false }, tag));
}

export function electRead(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const r = result(job, 'ctrl');
  const holder = r.ok ? parseControllerId(r.data) : -1;
  // maybeResign: a controller that sees another one (or none) steps down first.
  const wasActive = cs.active;
  cs.activeControllerId = holder;
  if (wasActive && holder !== env.brokerId) resign(cs, env, ctx);
  if (holder === env.brokerId) {
    if (cs.active) return finish(cs);
    // Our own /controller (it is ephemeral, so it belongs to this session) whose registration
    // answer was lost: the multi that created it also set the epoch, so adopt that epoch
    // (Kafka's checkControllerAndEpoch).
    goto(job, 'elect.adopt');
    call(cs, 'epoch', (tag) => zkGetData(env.zk, ctx, CONTROLLER_EPOCH_PATH, { watch: false }, tag));
    return;
  }
  if (holder !== -1 || job.event.type === 'ControllerChange' || job.data.attempted) return finish(cs);
  goto(job, 'elect.epoch');
  call(cs, 'epoch', (tag) => zkGetData(env.zk, ctx, CONTROLLER_EPOCH_PATH, { watch: false }, tag));
}

/** Read /controller_epoch (creating it with 0 if absent), then register and bump it atomically. */
export function electEpoch(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const r = result(job, 'epoch');
  if (!r.ok || !r.stat) {
    if (r.error !== 'NoNode' || job.data.createdEpoch) return finish(cs);
    job.data.createdEpoch = true;
    call(cs, 'create-epoch', (tag) => zkCreate(env.zk, ctx, CONTROLLER_EPOCH_PATH, INITIAL_CONTROLLER_EPOCH_DATA, {}, tag));
    call(cs, 'epoch', (tag) => zkGetData(env.zk, ctx, CONTROLLER_EPOCH_PATH, { watch: false }, tag));
    return;
  }
  const newEpoch = parseEpoch(r.data) + 1;
  const expectedVersion = r.stat.version;
  job.data.newEpoch = newEpoch;
  job.data.expectedVersion = expectedVersion;
  goto(job, 'elect.register');
  // KafkaZkClient.registerControllerAndIncrementControllerEpoch: one transaction, so that the
  // holder of /controller is always the one that wrote the current epoch.
  call(cs, 'register', (tag) => zkMulti(env.zk, ctx, [
    { op: 'create', path: CONTROLLER_PATH, data: controllerZnodeData(env.brokerId, ctx.now), ephemeral: true },
    { op: 'setData', path: CONTROLLER_EPOCH_PATH, data: newEpoch, version: expectedVersion },
  ], tag));
}

export function electRegister(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const r = result(job, 'register');
  if (r.ok) return becomeActive(cs, job, env, ctx, job.data.newEpoch, job.data.expectedVersion + 1);
  // NodeExists / BadVersion: someone else won. Look again, without trying a second time.
  job.data.attempted = true;
  goto(job, 'elect.start');
}

export function electAdopt(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const r = result(job, 'epoch');
  if (!r.ok || !r.stat) return finish(cs);
  becomeActive(cs, job, env, ctx, parseEpoch(r.data), r.stat.version);
}

function becomeActive(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext, epoch: number, epochZkVersion: number): void {
  cs.active = true;
  cs.activeControllerId = env.brokerId;
  cs.epoch = epoch;
  cs.epochZkVersion = epochZkVersion;
  cs.topicsCreated = false;
  cs.topicGraceExpired = false;
  emit(ctx, { event: 'controller-elected', controller: env.brokerNode, controllerEpoch: epoch });
  if (cs.topicGraceTimer !== null) ctx.cancelTimer(cs.topicGraceTimer);
  // Startup topics wait for the whole cluster, or for this long (then they use the brokers that are up).
  cs.topicGraceTimer = ctx.setTimer(env.config['zookeeper.session.timeout.ms'], TOPIC_GRACE_TIMER, { epoch });
  scheduleAutoRebalance(cs, env, ctx, FIRST_AUTO_REBALANCE_DELAY_MS);
  goto(job, 'failover.start');
}

/** onControllerResignation: drop the context, the request queues and the timers. */
export function resign(cs: ControllerState, env: ControllerEnv, ctx: NodeContext): void {
  if (!cs.active) return;
  cs.active = false;
  emit(ctx, { event: 'controller-resigned', controller: env.brokerNode, controllerEpoch: cs.epoch });
  cs.liveBrokers = [];
  cs.topics = [];
  cs.partitions = {};
  removeAllChannels(cs, ctx);
  if (cs.topicGraceTimer !== null) ctx.cancelTimer(cs.topicGraceTimer);
  cs.topicGraceTimer = null;
  if (cs.autoRebalanceTimer !== null) ctx.cancelTimer(cs.autoRebalanceTimer);
  cs.autoRebalanceTimer = null;
  cs.shuttingDown = [];
  cs.deletions = [];
  cs.deletedTopics = [];
}

// ---- failover: initializeControllerContext, then the state machines' startup ----------------

export function resyncStart(cs: ControllerState, job: Job): void {
  if (!cs.active) return finish(cs);
  goto(job, 'failover.start');
}

export function failoverStart(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  cs.liveBrokers = [];
  cs.topics = [];
  cs.partitions = {};
  goto(job, 'failover.brokers');
  call(cs, 'ids', (tag) => zkGetChildren(env.zk, ctx, BROKER_IDS_PATH, { watch: true }, tag));
  call(cs, 'topics', (tag) => zkGetChildren(env.zk, ctx, TOPICS_PATH, { watch: false }, tag));
  if (env.admin) call(cs, 'deleted', (tag) => zkGetChildren(env.zk, ctx, DELETED_TOPICS_PATH, { watch: false }, tag));
}

export const numericChildren = (children: string[] | undefined): number[] =>
  (children ?? []).map(Number).filter(Number.isInteger).sort((a, b) => a - b);

/** Broker epochs are the czxid of /brokers/ids/<id> (KafkaZkClient.getAllBrokerAndEpochsInCluster). */
export function readBrokers(cs: ControllerState, env: ControllerEnv, ctx: NodeContext, ids: number[]): void {
  for (const id of ids) call(cs, `b:${id}`, (tag) => zkGetData(env.zk, ctx, brokerPath(id), { watch: false }, tag));
}

export function brokersFromResults(job: Job, ids: number[]): { id: number; epoch: number }[] {
  return ids.flatMap((id) => {
    const r = result(job, `b:${id}`);
    return r.ok && r.stat ? [{ id, epoch: r.stat.czxid }] : [];
  });
}

export function failoverBrokers(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const ids = numericChildren(result(job, 'ids').children);
  const topics = [...(result(job, 'topics').children ?? [])].sort();
  job.data.ids = ids;
  job.data.topics = topics;
  if (env.admin) cs.deletedTopics = [...(result(job, 'deleted').children ?? [])].sort();
  goto(job, 'failover.states');
  readBrokers(cs, env, ctx, ids);
  for (const topic of topics) call(cs, `t:${topic}`, (tag) => zkGetData(env.zk, ctx, topicPath(topic), { watch: false }, tag));
}

export function failoverStates(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  cs.liveBrokers = brokersFromResults(job, job.data.ids);
  for (const topic of job.data.topics as string[]) {
    const r = result(job, `t:${topic}`);
    if (!r.ok) continue;
    cs.topics.push(topic);
    for (const { partition, replicas, adding, removing } of parseTopicAssignment(r.data)) {
      cs.partitions[partitionKey(topic, partition)] = { topic, partition, replicas, leadership: null, reportedOffline: false, adding, removing };
    }
  }
  goto(job, 'failover.ready');
  for (const key of sortedPartitionKeys(cs)) {
    const p = cs.partitions[key];
    call(cs, `s:${key}`, (tag) => zkGetData(env.zk, ctx, statePath(p.topic, p.partition), { watch: false }, tag));
  }
}

export function failoverReady(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  for (const key of sortedPartitionKeys(cs)) {
    const r = result(job, `s:${key}`);
    if (r.ok && r.stat) cs.partitions[key].leadership = parseState(r.data, r.stat.version);
  }
  recordLoadedStates(cs, job, env, ctx);
  const live = liveIds(cs);
  // Brokers learn the live brokers before any LeaderAndIsr (onControllerFailover's first UpdateMetadata).
  addUpdateMetadata(cs, live, []);
  flushBatch(cs, env, ctx);
  // ReplicaStateMachine.startup: live replicas -> OnlineReplica, the others -> OfflineReplica.
  addOnlineReplicas(cs, live);
  const dead = new Set<number>();
  for (const key of sortedPartitionKeys(cs)) for (const id of cs.partitions[key].replicas) if (!live.includes(id)) dead.add(id);
  job.data.deadQueue = [...dead].sort((a, b) => a - b);
  job.data.afterOffline = 'failover.partitions';
  goto(job, 'replicas.offline');
}

/**
 * What updateLeaderAndIsrCache put in the context, as facts. A controller cannot know which of
 * the previous controller's writes were recorded (one that crashed between ZooKeeper's commit
 * and its answer recorded nothing), so every partition's state is, not only the differences.
 */
function recordLoadedStates(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const reason = job.event.type === 'Resync' ? 'resync' : 'failover';
  for (const key of sortedPartitionKeys(cs)) {
    const p = cs.partitions[key];
    const l = p.leadership;
    if (!l) continue;
    emit(ctx, {
      event: 'partition-state-loaded', topic: p.topic, partition: p.partition, controller: env.brokerNode, reason,
      leader: l.leader >= 0 ? brokerNodeId(l.leader) : null, leaderEpoch: l.leaderEpoch, isr: l.isr.map(brokerNodeId),
      partitionEpoch: l.zkVersion, writtenByControllerEpoch: l.controllerEpoch, controllerEpoch: cs.epoch,
      replicas: p.replicas.map(brokerNodeId), adding: p.adding.map(brokerNodeId), removing: p.removing.map(brokerNodeId),
    });
  }
}

/** PartitionStateMachine.startup: elect leaders for new and offline partitions. */
export function failoverPartitions(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const writes = planOnlinePartitionStateChange(cs, env, ctx, 'controller failover');
  if (writes.length === 0) return goto(job, 'failover.done');
  issueWrites(cs, job, env, ctx, writes, 'failover.done');
}

export function failoverDone(cs: ControllerState, _job: Job, env: ControllerEnv, ctx: NodeContext): void {
  flushBatch(cs, env, ctx);
  // onControllerFailover: resume reassignments, then look at what the admin paths hold (and watch them).
  const admin = env.admin
    ? [{ type: 'ZkPartitionReassignment' } as const, { type: 'TopicDeletion' } as const, { type: 'PreferredReplicaLeaderElection' } as const]
    : [];
  cs.queue.unshift({ type: 'TopicCreation' }, ...resumeReassignments(cs), ...admin);
  finish(cs);
}

/** OfflineReplica for each broker of job.data.deadQueue in turn, then job.data.afterOffline. */
export function replicasOffline(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const queue = job.data.deadQueue as number[];
  while (queue.length > 0) {
    const writes = planRemoveReplicaFromIsr(cs, queue.shift()!);
    if (writes.length > 0) return issueWrites(cs, job, env, ctx, writes, 'replicas.offline');
  }
  flushBatch(cs, env, ctx);
  goto(job, job.data.afterOffline);
}
