/**
 * Read-only requests: Metadata (from the cache the controller's UpdateMetadata fills),
 * ListOffsets and OffsetsForLeaderEpoch (answered by the partition leader from its log).
 */
import type { NodeId } from '@kafkasim/engine';
import type {
  ErrorCode, ListOffsetsRequest, ListOffsetsResponse, MetadataRequest, MetadataResponse, OffsetsForLeaderEpochRequest,
  OffsetsForLeaderEpochResponse, PartitionMetadata,
} from '../protocol';
import { truncationHas } from '../config';
import { endOffsetForEpoch, epochForOffset, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET, type Log } from '../storage';
import type { Broker } from './context';
import { leaderEpochError } from './fetchRead';
import { logOf } from './partition';
import { tpKey } from './types';

export function handleMetadata(b: Broker, from: NodeId, req: MetadataRequest): void {
  const cache = b.v.metadata;
  const fencing = truncationHas(b.env.config, 'kip-320');
  const byTopic: Record<string, PartitionMetadata[]> = {};
  for (const key of Object.keys(cache.partitions).sort()) {
    const s = cache.partitions[key];
    (byTopic[s.topic] ??= []).push({
      // Metadata v7 (KIP-320, Kafka 2.1) added the leader epoch; older brokers answer none.
      partition: s.partition, leader: s.leader, leaderEpoch: fencing ? s.leaderEpoch : -1, replicas: [...s.replicas], isr: [...s.isr],
      error: s.leader === null ? 'LEADER_NOT_AVAILABLE' : 'NONE',
    });
  }
  const names = req.topics ?? Object.keys(byTopic).sort();
  const response: MetadataResponse = {
    api: 'MetadataResponse', correlationId: req.correlationId,
    brokers: [...cache.liveBrokers], controller: cache.controllerId,
    topics: names.map((name) => {
      const partitions = (byTopic[name] ?? []).sort((x, y) => x.partition - y.partition);
      return { name, error: partitions.length ? 'NONE' : 'UNKNOWN_TOPIC_OR_PARTITION', partitions };
    }),
  };
  b.ctx.send(from, response);
}

export function handleListOffsets(b: Broker, from: NodeId, req: ListOffsetsRequest): void {
  const fromReplica = req.replicaId !== undefined && req.replicaId !== null;
  const response: ListOffsetsResponse = {
    api: 'ListOffsetsResponse', correlationId: req.correlationId,
    partitions: req.partitions.map((lp) => {
      const p = b.v.partitions[tpKey(lp.topic, lp.partition)];
      const error = leaderEpochError(b, lp.topic, lp.partition, -1);
      if (error) return { topic: lp.topic, partition: lp.partition, error, offset: -1, leaderEpoch: -1 };
      const log = logOf(b, lp.topic, lp.partition);
      // Latest: a follower gets the LEO; a consumer the HW (= last stable offset, no open transactions here).
      const latest = fromReplica ? log.logEndOffset : p.highWatermark;
      const offset = lp.timestamp === -2 ? log.logStartOffset : latest;
      const leaderEpoch = offset > log.logStartOffset ? epochForOffset(log.epochCache, offset - 1) ?? p.leaderEpoch : p.leaderEpoch;
      return { topic: lp.topic, partition: lp.partition, error: 'NONE' as ErrorCode, offset, leaderEpoch };
    }),
  };
  b.ctx.send(from, response);
}

export function handleOffsetsForLeaderEpoch(b: Broker, from: NodeId, req: OffsetsForLeaderEpochRequest): void {
  const response: OffsetsForLeaderEpochResponse = {
    api: 'OffsetsForLeaderEpochResponse', correlationId: req.correlationId,
    partitions: req.partitions.map((ep) => {
      const error = leaderEpochError(b, ep.topic, ep.partition, ep.currentLeaderEpoch);
      if (error) return { topic: ep.topic, partition: ep.partition, error, leaderEpoch: -1, endOffset: -1 };
      const log = logOf(b, ep.topic, ep.partition);
      const answer = truncationHas(b.env.config, 'kip-279') ? endOffsetForEpoch(log, ep.leaderEpoch) : kip101EndOffsetFor(log, ep.leaderEpoch);
      return { topic: ep.topic, partition: ep.partition, error: 'NONE' as ErrorCode, leaderEpoch: answer.epoch, endOffset: answer.endOffset };
    }),
  };
  b.ctx.send(from, response);
}

/**
 * LeaderEpochFileCache.endOffsetFor before KIP-279 (Kafka 0.11-1.1): the LEO for the latest
 * epoch, else the start of the first epoch after the requested one; unknown when the requested
 * epoch predates the cache or nothing follows it. v0 of the response carries no epoch.
 */
function kip101EndOffsetFor(log: Log, requestedEpoch: number): { epoch: number; endOffset: number } {
  const cache = log.epochCache;
  const unknown = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
  if (requestedEpoch === UNDEFINED_EPOCH || cache.length === 0) return unknown;
  if (cache[cache.length - 1].epoch === requestedEpoch) return { epoch: UNDEFINED_EPOCH, endOffset: log.logEndOffset };
  const next = cache.find((e) => e.epoch > requestedEpoch);
  if (!next || requestedEpoch < cache[0].epoch) return unknown;
  return { epoch: UNDEFINED_EPOCH, endOffset: next.startOffset };
}
