/**
 * KafkaController.processBrokerChange: the children of /brokers/ids changed. New brokers go
 * through onBrokerStartup, vanished ones through onBrokerFailure, and "bounced" ones (same id, a
 * newer registration: a higher czxid) through both.
 */
import type { NodeContext } from '@kafkasim/engine';
import { brokerNodeId } from '../protocol';
import { addUpdateMetadata, flushBatch, liveIds, removeChannel } from './channel';
import type { ControllerEnv } from './index';
import { call, finish, goto, result } from './jobCore';
import { brokersFromResults, numericChildren, readBrokers } from './lifecycle';
import { addOnlineReplicas, planOnlinePartitionStateChange } from './stateChanges';
import type { ControllerState, Job } from './state';
import { sortedPartitionKeys } from './state';
import { issueWrites } from './writes';
import { BROKER_IDS_PATH, zkGetChildren } from './zk';

type BrokerOp = { op: 'startup' | 'failure'; brokers: { id: number; epoch: number }[] };

export function brokerChangeStart(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  if (!cs.active) return finish(cs);
  goto(job, 'broker.read');
  call(cs, 'ids', (tag) => zkGetChildren(env.zk, ctx, BROKER_IDS_PATH, { watch: true }, tag));
}

export function brokerChangeRead(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const ids = numericChildren(result(job, 'ids').children);
  job.data.ids = ids;
  goto(job, 'broker.diff');
  readBrokers(cs, env, ctx, ids);
}

export function brokerChangeDiff(cs: ControllerState, job: Job, _env: ControllerEnv, ctx: NodeContext): void {
  const current = brokersFromResults(job, job.data.ids);
  const known = cs.liveBrokers;
  const added = current.filter((b) => !known.some((k) => k.id === b.id));
  const gone = known.filter((k) => !current.some((b) => b.id === k.id));
  const bounced = current.filter((b) => known.some((k) => k.id === b.id && b.epoch > k.epoch));
  for (const b of [...bounced, ...gone]) removeChannel(cs, b.id, ctx);
  const plan: BrokerOp[] = [];
  if (added.length > 0) plan.push({ op: 'startup', brokers: added });
  if (bounced.length > 0) plan.push({ op: 'failure', brokers: bounced }, { op: 'startup', brokers: bounced });
  if (gone.length > 0) plan.push({ op: 'failure', brokers: gone });
  job.data.plan = plan;
  job.data.startedAny = added.length + bounced.length > 0;
  goto(job, 'broker.next');
}

export function brokerChangeNext(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const op = (job.data.plan as BrokerOp[]).shift();
  if (!op) {
    if (job.data.startedAny) cs.queue.unshift({ type: 'TopicCreation' });
    // onBrokerStartup: replicas of topics being deleted on a returning broker are retried.
    if (job.data.startedAny && cs.deletions.length > 0) cs.queue.unshift({ type: 'TopicDeletion' });
    return finish(cs);
  }
  const ids = op.brokers.map((b) => b.id);
  const names = ids.map(brokerNodeId).join(',');
  if (op.op === 'startup') {
    cs.liveBrokers = [...cs.liveBrokers.filter((b) => !ids.includes(b.id)), ...op.brokers].sort((a, b) => a.id - b.id);
    // onBrokerStartup: the others hear of the new brokers; the new ones get every partition.
    addUpdateMetadata(cs, liveIds(cs).filter((id) => !ids.includes(id)), []);
    addUpdateMetadata(cs, ids, 'all');
    flushBatch(cs, env, ctx);
    addOnlineReplicas(cs, ids);
    flushBatch(cs, env, ctx);
    const writes = planOnlinePartitionStateChange(cs, env, ctx, `${names} started`);
    if (writes.length === 0) return goto(job, 'broker.flush');
    return issueWrites(cs, job, env, ctx, writes, 'broker.flush');
  }
  // onBrokerFailure -> onReplicasBecomeOffline; a broker that was shutting down is done with it.
  cs.liveBrokers = cs.liveBrokers.filter((b) => !ids.includes(b.id));
  cs.shuttingDown = cs.shuttingDown.filter((id) => !ids.includes(id));
  // Their StopReplicas died with them: they are sent again when the broker returns.
  for (const d of cs.deletions) d.requested = d.requested.filter((r) => !ids.includes(r.broker));
  job.data.hadOfflineLeader = sortedPartitionKeys(cs).some((k) => {
    const l = cs.partitions[k].leadership;
    return l !== null && ids.includes(l.leader);
  });
  job.data.deadQueue = [...ids];
  job.data.afterOffline = 'broker.failure.done';
  const writes = planOnlinePartitionStateChange(cs, env, ctx, `${names} failed`);
  if (writes.length === 0) return goto(job, 'broker.failure.replicas');
  issueWrites(cs, job, env, ctx, writes, 'broker.failure.replicas');
}

/** The partition state machine's batch goes out before the replica state machine runs. */
export function brokerFailureReplicas(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  flushBatch(cs, env, ctx);
  goto(job, 'replicas.offline');
}

export function brokerFailureDone(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  // Nobody was re-elected: still tell the brokers which brokers are alive.
  if (!job.data.hadOfflineLeader) {
    addUpdateMetadata(cs, liveIds(cs), []);
    flushBatch(cs, env, ctx);
  }
  goto(job, 'broker.next');
}

export function brokerFlush(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  flushBatch(cs, env, ctx);
  goto(job, 'broker.next');
}
