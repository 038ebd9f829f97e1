/**
 * KIP-320 on the consumer (Kafka 2.1+, SubscriptionState.maybeValidatePositionForCurrentLeader
 * and Fetcher.validatePositionsIfNeeded): when metadata shows a new leader epoch for a partition
 * the consumer has a position in, it stops fetching it and asks the leader, with
 * OffsetsForLeaderEpoch, where the epoch of its last consumed record ends. An end below the
 * position means the log it read from was truncated (an unclean election, an older truncation
 * rule): it seeks back to that end, the first offset known to diverge, and reads the new
 * leader's records from there instead of silently skipping them (or, with
 * auto.offset.reset=none, stops as Kafka's LogTruncationException does).
 *
 * Against brokers older than 2.1 (kafkasim.truncation below kip-320) Metadata carries no leader
 * epoch, so there is nothing to compare: no validation, as in Kafka.
 */
import type { NodeId } from '@kafkasim/engine';
import type { OffsetsForLeaderEpochRequest, OffsetsForLeaderEpochResponse } from '../../protocol';
import { assigned, tpKey, type ConsumerEnv } from './env';
import { leaderOf, requestMetadataUpdate } from './metadata';
import { inFlight, send, unreachable } from './network';
import type { InFlightRequest, PartitionState } from './types';

const UNDEFINED_EPOCH = -1;

export function leaderEpochOf(env: ConsumerEnv, topic: string, partition: number): number {
  // Asked for every fetching partition in every round (checkLeaderEpochs): as leaderOf, the slot
  // first (brokers list a topic's partitions in order), then a loop instead of a find closure.
  const partitions = env.m.metadata.topics[topic];
  if (partitions === undefined) return UNDEFINED_EPOCH;
  const slot = partitions[partition];
  if (slot !== undefined && slot.partition === partition) return slot.leaderEpoch ?? UNDEFINED_EPOCH;
  for (let i = 0; i < partitions.length; i++) if (partitions[i].partition === partition) return partitions[i].leaderEpoch ?? UNDEFINED_EPOCH;
  return UNDEFINED_EPOCH;
}

/** A position was just set (committed offset, reset, seek): it is good under the epoch known now. */
export function positionSet(env: ConsumerEnv, p: PartitionState, offsetEpoch: number | undefined): void {
  if (offsetEpoch === undefined || offsetEpoch < 0) delete p.offsetEpoch;
  else p.offsetEpoch = offsetEpoch;
  const epoch = leaderEpochOf(env, p.topic, p.partition);
  if (epoch >= 0) p.validatedLeaderEpoch = epoch;
  else delete p.validatedLeaderEpoch;
}

/** maybeValidatePositionForCurrentLeader for every fetching partition. */
export function checkLeaderEpochs(env: ConsumerEnv): void {
  for (const p of env.m.assignment) {
    if (p.status !== 'fetching' || p.position === null) continue;
    const epoch = leaderEpochOf(env, p.topic, p.partition);
    if (epoch < 0 || epoch === p.validatedLeaderEpoch) continue;
    // Nothing to validate against (no epoch for the position, or none known before): take the epoch as is.
    if (p.offsetEpoch === undefined || p.validatedLeaderEpoch === undefined || epoch < p.validatedLeaderEpoch) {
      p.validatedLeaderEpoch = epoch;
      continue;
    }
    p.status = 'awaiting-validation';
    // Records fetched under the old epoch may be the ones that were truncated away.
    env.m.buffer = env.m.buffer.filter((b) => b.topic !== p.topic || b.partition !== p.partition);
  }
}

/** Fetcher.validatePositionsIfNeeded: one OffsetsForLeaderEpoch per leader. */
export function maybeValidatePositions(env: ConsumerEnv): boolean {
  // Runs on every consumer event and nearly always finds nothing to validate: the map is made
  // only for the first partition that awaits validation.
  let byLeader: Map<NodeId, PartitionState[]> | null = null;
  for (const p of env.m.assignment) {
    if (p.status !== 'awaiting-validation') continue;
    const leader = leaderOf(env, p.topic, p.partition);
    if (leader === null) {
      requestMetadataUpdate(env);
      continue;
    }
    if (inFlight(env, 'OffsetsForLeaderEpoch', leader) || env.ctx.now < (env.m.nodeBackoff[leader] ?? 0) || unreachable(env, leader)) continue;
    if (byLeader === null) byLeader = new Map();
    if (!byLeader.has(leader)) byLeader.set(leader, []);
    byLeader.get(leader)!.push(p);
  }
  if (byLeader === null) return false;
  for (const leader of [...byLeader.keys()].sort()) {
    const parts = byLeader.get(leader)!;
    send<Omit<OffsetsForLeaderEpochRequest, 'api' | 'correlationId'>>(env, leader, 'OffsetsForLeaderEpoch', {
      replicaId: null,
      partitions: parts.map((p) => ({
        topic: p.topic, partition: p.partition, currentLeaderEpoch: leaderEpochOf(env, p.topic, p.partition), leaderEpoch: p.offsetEpoch!,
      })),
    }, { fetchOffsets: Object.fromEntries(parts.map((p) => [tpKey(p.topic, p.partition), p.position!])) });
  }
  return byLeader.size > 0;
}

/** SubscriptionState.maybeCompleteValidation. */
export function onOffsetsForLeaderEpochResponse(env: ConsumerEnv, request: InFlightRequest, r: OffsetsForLeaderEpochResponse): void {
  for (const answer of r.partitions) {
    const p = assigned(env, answer.topic, answer.partition);
    // The position moved (a seek, a new assignment) since the request left: its answer is stale.
    if (!p || p.status !== 'awaiting-validation' || p.position !== request.fetchOffsets?.[tpKey(p.topic, p.partition)]) continue;
    if (answer.error !== 'NONE') {
      // FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH / NOT_LEADER_OR_FOLLOWER: metadata is stale on one side.
      requestMetadataUpdate(env);
      env.m.nodeBackoff[request.node] = env.ctx.now + env.cfg['retry.backoff.ms'];
      continue;
    }
    const resetPolicy = env.cfg['auto.offset.reset'] !== 'none';
    if (answer.endOffset < 0 || answer.leaderEpoch < 0) {
      // The leader knows nothing of our epoch: all we read may be gone; auto.offset.reset decides.
      p.position = null;
      p.status = resetPolicy ? 'awaiting-reset' : 'no-offset';
      continue;
    }
    if (answer.endOffset < p.position!) {
      if (!resetPolicy) {
        p.status = 'no-offset';
        continue;
      }
      p.position = answer.endOffset;
      p.status = 'fetching';
      positionSet(env, p, answer.leaderEpoch);
      continue;
    }
    p.status = 'fetching';
    p.validatedLeaderEpoch = leaderEpochOf(env, p.topic, p.partition);
  }
}

export function onValidationFailed(env: ConsumerEnv, request: InFlightRequest): void {
  requestMetadataUpdate(env);
  env.m.nodeBackoff[request.node] = env.ctx.now + env.cfg['retry.backoff.ms'];
}
