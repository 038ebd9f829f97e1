/**
 * Controller -> broker requests. Kafka's ControllerBrokerRequestBatch collects the LeaderAndIsr and
 * UpdateMetadata of one state change and sends them together (LeaderAndIsr first); its
 * ControllerChannelManager keeps one queue per live broker and a RequestSendThread that sends
 * one request at a time and retries until it is answered. Every request carries the
 * controller's epoch, which is how brokers ignore a deposed controller.
 */
import type { NodeContext } from '@kafkasim/engine';
import { brokerIdOf, brokerNodeId, type PartitionState } from '../protocol';
import type { ControllerEnv } from './index';
import type { BrokerChannel, ControllerState } from './state';
import { emptyBatch, sortedPartitionKeys } from './state';

/** kafkasim: an unanswered request is sent again after this long (TCP retransmission and reconnects, in Kafka). */
export const RESEND_MS = 1000;
export const RESEND_TIMER = 'ctl:resend';

export const liveIds = (cs: ControllerState): number[] => cs.liveBrokers.map((b) => b.id);

export function partitionStateOf(cs: ControllerState, key: string): PartitionState {
  const p = cs.partitions[key];
  const l = p.leadership;
  return {
    topic: p.topic,
    partition: p.partition,
    leader: l && l.leader >= 0 ? brokerNodeId(l.leader) : null,
    leaderEpoch: l ? l.leaderEpoch : -1,
    isr: l ? l.isr.map(brokerNodeId) : [],
    replicas: p.replicas.map(brokerNodeId),
    partitionEpoch: l ? l.zkVersion : -1,
  };
}

/** LeaderAndIsr for `key` to these brokers; like Kafka, it also puts the partition in an UpdateMetadata for every live broker. */
export function addLeaderAndIsr(cs: ControllerState, brokerIds: readonly number[], key: string): void {
  for (const id of brokerIds) {
    const keys = (cs.batch.leaderAndIsr[id] ??= []);
    if (!keys.includes(key)) keys.push(key);
  }
  addUpdateMetadata(cs, liveIds(cs), [key]);
}

/** UpdateMetadata for these brokers with these partitions ('all': every partition with a leader and ISR; []: live brokers only). */
export function addUpdateMetadata(cs: ControllerState, brokerIds: readonly number[], keys: readonly string[] | 'all'): void {
  for (const id of brokerIds) {
    const current = cs.batch.updateMetadata[id];
    if (current === 'all') continue;
    if (keys === 'all') {
      cs.batch.updateMetadata[id] = 'all';
      continue;
    }
    const merged = current ?? [];
    for (const key of keys) if (!merged.includes(key)) merged.push(key);
    cs.batch.updateMetadata[id] = merged;
  }
}

/** StopReplica for `key` to these brokers (Kafka's addStopReplicaRequestForBrokers), with or without deleting the log. */
export function addStopReplica(cs: ControllerState, brokerIds: readonly number[], key: string, deletePartitions: boolean): void {
  const p = cs.partitions[key];
  for (const id of brokerIds) {
    const requests = (cs.batch.stopReplica[id] ??= []);
    let request = requests.find((r) => r.deletePartitions === deletePartitions);
    if (!request) requests.push((request = { keys: [], deletePartitions }));
    if (!request.keys.some((k) => k.topic === p.topic && k.partition === p.partition)) request.keys.push({ topic: p.topic, partition: p.partition });
  }
}

/** Kafka's sendRequestsToBrokers: to live brokers only, LeaderAndIsr, then UpdateMetadata, then StopReplica. */
export function flushBatch(cs: ControllerState, env: ControllerEnv, ctx: NodeContext): void {
  const batch = cs.batch;
  cs.batch = emptyBatch();
  const live = liveIds(cs);
  const liveNodes = live.map(brokerNodeId);
  const order = (keys: string[]) => {
    const all = sortedPartitionKeys(cs);
    return all.filter((k) => keys.includes(k) && cs.partitions[k].leadership);
  };
  for (const id of live) {
    const lair = batch.leaderAndIsr[id];
    if (lair && lair.length > 0) {
      enqueueRequest(cs, id, {
        api: 'LeaderAndIsr',
        controllerId: env.brokerNode,
        controllerEpoch: cs.epoch,
        partitions: order(lair).map((k) => partitionStateOf(cs, k)),
      }, ctx);
    }
  }
  // Partitions of a topic whose deletion started go out as deleted (Kafka's LeaderDuringDelete).
  const deleting = (k: string) => cs.deletions.some((d) => d.started && d.topic === cs.partitions[k].topic);
  for (const id of live) {
    const um = batch.updateMetadata[id];
    if (um === undefined) continue;
    const keys = um === 'all' ? sortedPartitionKeys(cs).filter((k) => cs.partitions[k].leadership) : order(um);
    const deleted = keys.filter(deleting);
    enqueueRequest(cs, id, {
      api: 'UpdateMetadata',
      controllerId: env.brokerNode,
      controllerEpoch: cs.epoch,
      liveBrokers: liveNodes,
      partitions: keys.filter((k) => !deleting(k)).map((k) => partitionStateOf(cs, k)),
      ...(deleted.length > 0 ? { deletedPartitions: deleted.map((k) => ({ topic: cs.partitions[k].topic, partition: cs.partitions[k].partition })) } : {}),
    }, ctx);
  }
  for (const id of live) {
    for (const request of batch.stopReplica[id] ?? []) {
      enqueueRequest(cs, id, {
        api: 'StopReplica',
        controllerId: env.brokerNode,
        controllerEpoch: cs.epoch,
        partitions: request.keys,
        ...(request.deletePartitions ? { deletePartitions: true } : {}),
      }, ctx);
    }
  }
}

function enqueueRequest(cs: ControllerState, brokerId: number, body: Record<string, unknown>, ctx: NodeContext): void {
  const channel: BrokerChannel = (cs.channels[brokerId] ??= { queue: [], timerId: null });
  const correlationId = cs.nextCorrelationId++;
  channel.queue.push({ correlationId, payload: { ...body, correlationId } });
  if (channel.queue.length === 1) transmitHead(cs, brokerId, ctx);
}

function transmitHead(cs: ControllerState, brokerId: number, ctx: NodeContext): void {
  const channel = cs.channels[brokerId];
  const head = channel?.queue[0];
  if (!head) return;
  ctx.send(brokerNodeId(brokerId), head.payload);
  channel.timerId = ctx.setTimer(RESEND_MS, RESEND_TIMER, { broker: brokerId, correlationId: head.correlationId });
}

/** A LeaderAndIsr/UpdateMetadata/StopReplica response: the head request is done, send the next. False: not the awaited one (a duplicate). */
export function onBrokerResponse(cs: ControllerState, from: string, correlationId: number, ctx: NodeContext): boolean {
  const brokerId = brokerIdOf(from);
  const channel = cs.channels[brokerId];
  if (!channel || channel.queue[0]?.correlationId !== correlationId) return false;
  if (channel.timerId !== null) ctx.cancelTimer(channel.timerId);
  channel.timerId = null;
  channel.queue.shift();
  transmitHead(cs, brokerId, ctx);
  return true;
}

export function onResendTimer(cs: ControllerState, data: { broker: number; correlationId: number }, ctx: NodeContext): void {
  const channel = cs.channels[data.broker];
  if (!channel || channel.queue[0]?.correlationId !== data.correlationId) return;
  transmitHead(cs, data.broker, ctx);
}

/** Kafka's ControllerChannelManager.removeBroker: a dead (or bounced) broker's queue is dropped. */
export function removeChannel(cs: ControllerState, brokerId: number, ctx: NodeContext): void {
  const channel = cs.channels[brokerId];
  if (!channel) return;
  if (channel.timerId !== null) ctx.cancelTimer(channel.timerId);
  delete cs.channels[brokerId];
}

export function removeAllChannels(cs: ControllerState, ctx: NodeContext): void {
  for (const id of Object.keys(cs.channels).map(Number).sort((a, b) => a - b)) removeChannel(cs, id, ctx);
  cs.batch = emptyBatch();
}
