/**
 * ISR maintenance by the leader (Partition.maybeShrinkIsr / maybeExpandIsr) through the
 * controller (KIP-497 AlterPartition). The leader only proposes: until the controller answers,
 * the change is pending (a shrink does not take effect, an expansion already counts for the HW)
 * and the controller's answer is what gets applied.
 */
import type { NodeId } from '@kafkasim/engine';
import type { AlterPartitionRequest, AlterPartitionResponse } from '../protocol';
import { INTER_BROKER_TIMEOUT_MS, nextCorrelationId, type Broker } from './context';
import { afterLeaderProgress } from './hooks';
import { canJoinIsr, emitLeaderIsr, maybeIncrementLeaderHw, outOfSyncReplicas } from './partition';
import { tpKey, type PartitionReplica } from './types';

function sendAlterPartition(b: Broker, p: PartitionReplica): void {
  const pending = p.pendingIsr;
  if (!pending) return;
  // A re-send keeps the proposal's correlation id: the answer to an earlier send (slow, not lost)
  // must still be accepted, or the leader ignores the controller's decision and waits on.
  const correlationId = pending.correlationId >= 0 ? pending.correlationId : nextCorrelationId(b);
  pending.correlationId = correlationId;
  pending.sentAtMs = b.ctx.now;
  const controller = b.v.metadata.controllerId;
  if (controller !== null) {
    const request: AlterPartitionRequest = {
      api: 'AlterPartition', correlationId, brokerId: b.self, brokerEpoch: b.v.brokerEpoch,
      partitions: [{ topic: p.topic, partition: p.partition, leaderEpoch: p.leaderEpoch, newIsr: [...pending.newIsr], partitionEpoch: p.partitionEpoch }],
    };
    b.ctx.send(controller, request);
  }
  // No answer (controller unknown, dead or partitioned away): ask again.
  b.ctx.setTimer(INTER_BROKER_TIMEOUT_MS, 'broker:alter-partition-retry', { key: tpKey(p.topic, p.partition), correlationId });
}

function propose(b: Broker, p: PartitionReplica, newIsr: NodeId[], kind: 'shrink' | 'expand'): void {
  // From now on an expansion already counts for the HW (maximal ISR); a shrink does not yet.
  p.pendingIsr = { newIsr, kind, correlationId: -1, sentAtMs: b.ctx.now };
  sendAlterPartition(b, p);
}

/** Periodic check (every replica.lag.time.max.ms / 2, as Kafka's isr-expiration task). */
export function maybeShrinkIsr(b: Broker, p: PartitionReplica): void {
  if (p.role !== 'leader' || p.pendingIsr) return;
  const outOfSync = outOfSyncReplicas(b, p);
  if (outOfSync.length === 0) return;
  propose(b, p, p.isr.filter((r) => !outOfSync.includes(r)), 'shrink');
}

export function maybeExpandIsr(b: Broker, p: PartitionReplica, follower: NodeId): void {
  if (p.role !== 'leader' || p.pendingIsr || !canJoinIsr(b, p, follower)) return;
  // Keep the replica order of the assignment, as Kafka's ISR sets print.
  const next = p.replicas.filter((r) => p.isr.includes(r) || r === follower);
  propose(b, p, next, 'expand');
}

export function retryAlterPartition(b: Broker, key: string, correlationId: number): void {
  const p = b.v.partitions[key];
  if (!p || p.role !== 'leader' || !p.pendingIsr || p.pendingIsr.correlationId !== correlationId) return;
  sendAlterPartition(b, p);
}

export function handleAlterPartitionResponse(b: Broker, response: AlterPartitionResponse): void {
  for (const key of Object.keys(b.v.partitions).sort()) {
    const p = b.v.partitions[key];
    if (!p.pendingIsr || p.pendingIsr.correlationId !== response.correlationId) continue;
    // A top-level error (NOT_CONTROLLER, STALE_BROKER_EPOCH...) leaves the proposal pending: the retry timer resends it.
    if (response.error !== 'NONE') return;
    const answer = response.partitions.find((x) => x.topic === p.topic && x.partition === p.partition);
    p.pendingIsr = null;
    if (!answer || answer.error !== 'NONE') return; // fenced or stale: wait for LeaderAndIsr, re-check later
    if (answer.leaderEpoch !== p.leaderEpoch || answer.partitionEpoch < p.partitionEpoch) return;
    p.isr = [...answer.isr];
    p.partitionEpoch = answer.partitionEpoch;
    emitLeaderIsr(b, p);
    // A shrink may let the HW (and acks=all produces) move on.
    afterLeaderProgress(b, p, maybeIncrementLeaderHw(b, p));
  }
}

export function checkIsrs(b: Broker): void {
  for (const key of Object.keys(b.v.partitions).sort()) maybeShrinkIsr(b, b.v.partitions[key]);
}
