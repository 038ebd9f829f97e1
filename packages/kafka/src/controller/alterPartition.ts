/**
 * KIP-497 AlterPartition (AlterIsr in Kafka 2.7-3.1): a partition leader asks the controller to
 * change the ISR. As KafkaController.processAlterPartition (ZooKeeper mode):
 * - not the controller: NOT_CONTROLLER; unknown broker or other broker epoch: STALE_BROKER_EPOCH
 *   (kafkasim: brokerEpoch -1 skips that check);
 * - per partition: unknown: UNKNOWN_TOPIC_OR_PARTITION; a leader or partition epoch NEWER than the
 *   controller's: NOT_CONTROLLER (this controller is likely stale); an older leader epoch:
 *   FENCED_LEADER_EPOCH; a sender that is not the leader: NOT_LEADER_OR_FOLLOWER (ZooKeeper mode
 *   trusts the epochs here, KRaft's controller checks it; kafkasim checks, so a broker bug cannot
 *   make a follower the leader); the state already as asked: success with the current state;
 * - otherwise a conditional write on the partition's zkVersion (plus the controller-epoch check).
 *   A version conflict is Kafka's INVALID_UPDATE_VERSION, which protocol.ts lacks: kafkasim
 *   answers FENCED_LEADER_EPOCH, to which a leader reacts the same way (wait for LeaderAndIsr).
 * Then UpdateMetadata for the partitions to every live broker, no LeaderAndIsr.
 */
import type { NodeContext } from '@kafkasim/engine';
import {
  brokerIdOf, brokerNodeId, type AlterPartitionRequest, type AlterPartitionResponse, type ErrorCode, type PartitionState,
} from '../protocol';
import { addUpdateMetadata, flushBatch, liveIds, partitionStateOf } from './channel';
import type { ControllerEnv } from './index';
import { finish, goto } from './jobCore';
import type { ControllerState, Job, Leadership } from './state';
import { partitionKey } from './state';
import { issueWrites, type PlannedWrite } from './writes';
import { isBeingReassigned } from './reassignment';

interface Entry {
  key: string;
  request: AlterPartitionRequest['partitions'][number];
  error: ErrorCode | null;
  write: number | null;
}

export function alterStart(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const event = job.event as Extract<Job['event'], { type: 'AlterPartition' }>;
  const request = event.request;
  if (!cs.active) return respondError(cs, event.from, request, 'NOT_CONTROLLER', ctx);
  const brokerId = brokerIdOf(request.brokerId);
  const registered = cs.liveBrokers.find((b) => b.id === brokerId);
  if (!registered || (request.brokerEpoch !== -1 && request.brokerEpoch !== registered.epoch)) {
    return respondError(cs, event.from, request, 'STALE_BROKER_EPOCH', ctx);
  }
  const entries: Entry[] = [];
  const writes: PlannedWrite[] = [];
  for (const req of request.partitions) {
    const key = partitionKey(req.topic, req.partition);
    const current = cs.partitions[key]?.leadership ?? null;
    const entry: Entry = { key, request: req, error: null, write: null };
    entries.push(entry);
    if (!current) entry.error = 'UNKNOWN_TOPIC_OR_PARTITION';
    else if (req.leaderEpoch > current.leaderEpoch || req.partitionEpoch > current.zkVersion) entry.error = 'NOT_CONTROLLER';
    else if (req.leaderEpoch < current.leaderEpoch) entry.error = 'FENCED_LEADER_EPOCH';
    else if (current.leader !== brokerId) entry.error = 'NOT_LEADER_OR_FOLLOWER';
    else {
      const newIsr = req.newIsr.map(brokerIdOf);
      if (sameMembers(current.isr, newIsr)) continue;
      const leadership: Leadership = {
        leader: brokerId, leaderEpoch: req.leaderEpoch, isr: newIsr, controllerEpoch: cs.epoch, zkVersion: req.partitionEpoch + 1,
      };
      entry.write = writes.length;
      writes.push({
        key, leadership, create: false, expectedVersion: req.partitionEpoch, leaderAndIsrTo: [],
        facts: sameMembers(current.isr, newIsr) ? [] : [{
          event: 'isr-changed', topic: req.topic, partition: req.partition, isr: newIsr.map(brokerNodeId),
          leaderEpoch: leadership.leaderEpoch, partitionEpoch: leadership.zkVersion,
        }],
      });
    }
  }
  job.data.entries = entries;
  if (writes.length === 0) return goto(job, 'alter.respond');
  issueWrites(cs, job, env, ctx, writes, 'alter.respond');
}

export function alterRespond(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const event = job.event as Extract<Job['event'], { type: 'AlterPartition' }>;
  const writes = (job.data.writes ?? []) as PlannedWrite[];
  const entries = job.data.entries as Entry[];
  const partitions: AlterPartitionResponse['partitions'] = entries.map((e) => {
    let error: ErrorCode = e.error ?? 'NONE';
    if (e.write !== null && writes[e.write].outcome !== 'ok') error = 'FENCED_LEADER_EPOCH';
    const state: PartitionState = cs.partitions[e.key]
      ? partitionStateOf(cs, e.key)
      : { topic: e.request.topic, partition: e.request.partition, leader: null, leaderEpoch: -1, isr: [], replicas: [], partitionEpoch: -1 };
    return { ...state, error };
  });
  addUpdateMetadata(cs, liveIds(cs), entries.filter((e) => cs.partitions[e.key]).map((e) => e.key));
  flushBatch(cs, env, ctx);
  // A reassignment completes when its target replicas are in the ISR (PartitionReassignmentIsrChange).
  for (const e of entries) {
    const p = cs.partitions[e.key];
    if (e.write !== null && writes[e.write].outcome === 'ok' && p && isBeingReassigned(p)) {
      cs.queue.push({ type: 'ReassignPartition', key: e.key, target: null, fromIsrChange: true });
    }
  }
  const response: AlterPartitionResponse = { api: 'AlterPartitionResponse', correlationId: event.request.correlationId, error: 'NONE', partitions };
  ctx.send(event.from, response);
  finish(cs);
}

export function respondError(cs: ControllerState, to: string, request: AlterPartitionRequest, error: ErrorCode, ctx: NodeContext): void {
  const response: AlterPartitionResponse = { api: 'AlterPartitionResponse', correlationId: request.correlationId, error, partitions: [] };
  ctx.send(to, response);
  if (cs.job?.event.type === 'AlterPartition' && cs.job.event.request === request) finish(cs);
}

function sameMembers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}
