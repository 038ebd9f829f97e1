/**
 * Preferred-replica leader election: giving the leadership back to the first replica of the
 * assignment once it is in the ISR again. Two triggers, as Kafka's KafkaController:
 * - auto.leader.rebalance.enable: every leader.imbalance.check.interval.seconds the controller
 *   counts, per preferred broker, the partitions it should lead but does not; when that share is
 *   above leader.imbalance.per.broker.percentage it elects the preferred replica of those
 *   partitions (checkAndTriggerAutoLeaderRebalance; the first check runs 5 s after failover).
 * - on demand: an admin writes /admin/preferred_replica_election (kafka-preferred-replica-election.sh,
 *   kafka-leader-election.sh); the controller elects, then deletes the znode and watches again.
 * The preferred replica is elected only if it is live, not shutting down and in the ISR; the ISR
 * itself does not change.
 */
import type { NodeContext } from '@kafkasim/engine';
import { emit } from '../events';
import { brokerNodeId } from '../protocol';
import { flushBatch } from './channel';
import { electableIds } from './describe';
import type { ControllerEnv } from './index';
import { call, finish, goto, result } from './jobCore';
import { planLeaderMoves } from './leaderMoves';
import { isQueuedForDeletion } from './stateChanges';
import type { ControllerState, Job } from './state';
import { partitionKey, sortedPartitionKeys } from './state';
import { issueWrites } from './writes';
import { epochCheck, parseAdminPartitions, PREFERRED_ELECTION_PATH, zkExists, zkGetData, zkMulti } from './zk';

export const AUTO_REBALANCE_TIMER = 'ctl:auto-rebalance';
/** KafkaController.onControllerFailover: scheduleAutoLeaderRebalanceTask(delay = 5, SECONDS). */
export const FIRST_AUTO_REBALANCE_DELAY_MS = 5000;

export function scheduleAutoRebalance(cs: ControllerState, env: ControllerEnv, ctx: NodeContext, delayMs: number): void {
  if (!env.config['auto.leader.rebalance.enable']) return;
  if (cs.autoRebalanceTimer !== null) ctx.cancelTimer(cs.autoRebalanceTimer);
  cs.autoRebalanceTimer = ctx.setTimer(delayMs, AUTO_REBALANCE_TIMER);
}

/** Partitions whose preferred replica does not lead, but could (canPreferredReplicaBeLeader). */
function notLedByPreferred(cs: ControllerState, key: string): boolean {
  const p = cs.partitions[key];
  const l = p.leadership;
  return l !== null && l.leader !== p.replicas[0] && p.adding.length + p.removing.length === 0 && !isQueuedForDeletion(cs, p.topic);
}

export function autoRebalanceStart(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  if (!cs.active) return finish(cs);
  scheduleAutoRebalance(cs, env, ctx, env.config['leader.imbalance.check.interval.seconds'] * 1000);
  const byPreferred = new Map<number, string[]>();
  for (const key of sortedPartitionKeys(cs)) {
    const p = cs.partitions[key];
    if (isQueuedForDeletion(cs, p.topic) || p.replicas.length === 0) continue;
    byPreferred.set(p.replicas[0], [...(byPreferred.get(p.replicas[0]) ?? []), key]);
  }
  const threshold = env.config['leader.imbalance.per.broker.percentage'] / 100;
  const electable = electableIds(cs);
  const candidates: string[] = [];
  for (const broker of [...byPreferred.keys()].sort((a, b) => a - b)) {
    const keys = byPreferred.get(broker)!;
    const notPreferred = keys.filter((key) => {
      const l = cs.partitions[key].leadership;
      return l !== null && l.leader !== broker;
    });
    const ratio = notPreferred.length / keys.length;
    if (ratio <= threshold) continue;
    const electableHere = notPreferred.filter((key) => notLedByPreferred(cs, key) && electable.includes(broker) && cs.partitions[key].leadership!.isr.includes(broker));
    if (electableHere.length === 0) continue;
    emit(ctx, {
      event: 'leader-imbalance', broker: brokerNodeId(broker), ratio,
      partitions: electableHere.map((key) => ({ topic: cs.partitions[key].topic, partition: cs.partitions[key].partition })),
      controllerEpoch: cs.epoch,
    });
    candidates.push(...electableHere);
  }
  const { writes } = planLeaderMoves(cs, candidates, 'preferred', 'preferred replica election (auto.leader.rebalance.enable)');
  if (writes.length === 0) return finish(cs);
  issueWrites(cs, job, env, ctx, writes, 'preferred.flush');
}

/** The admin's request: read it, and watch for the next one only once this one is deleted. */
export function preferredStart(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  if (!cs.active) return finish(cs);
  goto(job, 'preferred.read');
  call(cs, 'request', (tag) => zkGetData(env.zk, ctx, PREFERRED_ELECTION_PATH, { watch: false }, tag));
}

export function preferredRead(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const r = result(job, 'request');
  if (!r.ok) return watchAgain(cs, job, env, ctx);
  const keys = parseAdminPartitions(r.data)
    .map((tp) => partitionKey(tp.topic, tp.partition))
    .filter((key, i, all) => all.indexOf(key) === i && cs.partitions[key] !== undefined && notLedByPreferred(cs, key));
  const { writes } = planLeaderMoves(cs, keys, 'preferred', 'preferred replica election (/admin/preferred_replica_election)');
  job.data.deleteRequest = true;
  if (writes.length === 0) return goto(job, 'preferred.flush');
  issueWrites(cs, job, env, ctx, writes, 'preferred.flush');
}

export function preferredFlush(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  flushBatch(cs, env, ctx);
  if (!job.data.deleteRequest) return finish(cs);
  // zkClient.deletePreferredReplicaElection(controllerEpochZkVersion): fenced like every controller write.
  goto(job, 'preferred.deleted');
  call(cs, 'delete', (tag) => zkMulti(env.zk, ctx, [epochCheck(cs.epochZkVersion), { op: 'delete', path: PREFERRED_ELECTION_PATH, version: -1 }], tag));
}

export function preferredDeleted(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  // Not deleted (another controller fenced us): leave the request to that controller.
  if (!result(job, 'delete').ok) return finish(cs);
  watchAgain(cs, job, env, ctx);
}

/** registerZNodeChangeHandlerAndCheckExistence: an exists watch; a request already there is handled now. */
function watchAgain(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  goto(job, 'preferred.watched');
  call(cs, 'exists', (tag) => zkExists(env.zk, ctx, PREFERRED_ELECTION_PATH, { watch: true }, tag));
}

export function preferredWatched(cs: ControllerState, job: Job): void {
  const r = result(job, 'exists');
  finish(cs);
  // Created again between our delete and the new watch (or there at failover): the watch will not fire for it.
  if (r.ok && r.stat) cs.queue.unshift({ type: 'PreferredReplicaLeaderElection' });
}
