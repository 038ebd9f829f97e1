/**
 * Appending on the leader (Partition.appendRecordsToLeader) and the flush Kafka does when a
 * segment rolls, which is what a power loss can rely on.
 */
import { emit } from '../events';
import type { RecordBatch } from '../protocol';
import { appendAsLeader, flush, type AppendInfo, type Log } from '../storage';
import type { Broker } from './context';
import { afterLeaderProgress } from './hooks';
import { logOf, maybeIncrementLeaderHw } from './partition';
import type { PartitionReplica } from './types';

/** Kafka flushes the previous segment when it rolls a new one (UnifiedLog.roll -> flush). */
export function flushRolledSegments(log: Log, segmentsBefore: number): void {
  if (log.segments.length > segmentsBefore) flush(log, log.segments[log.segments.length - 1].baseOffset);
}

export function appendToLeaderLog(b: Broker, p: PartitionReplica, records: RecordBatch['records']): AppendInfo {
  const log = logOf(b, p.topic, p.partition);
  const before = log.segments.length;
  const info = appendAsLeader(log, records, p.leaderEpoch);
  flushRolledSegments(log, before);
  emit(b.ctx, {
    event: 'append', topic: p.topic, partition: p.partition, broker: b.self, role: 'leader',
    leaderEpoch: p.leaderEpoch, firstOffset: info.firstOffset, lastOffset: info.lastOffset,
    ids: records.map((r) => r.value),
    // Transactional data (not markers): whose transaction, so checkers can tell aborted records apart.
    ...(records[0]?.transactional && !records[0].control && records[0].producerId !== undefined ? { producerId: records[0].producerId } : {}),
  });
  const hwAdvanced = maybeIncrementLeaderHw(b, p);
  afterLeaderProgress(b, p, hwAdvanced);
  return info;
}
