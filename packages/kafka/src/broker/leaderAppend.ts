/**
 * Appending on the leader (Partition.appendRecordsToLeader) and the flush Kafka does when a
 * segment rolls, which is what a power loss can rely on.
 */
import { emit, type ModelFact } from '../events';
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

/** The records' values (an append fact's ids), in a loop: no closure per append. */
export function recordValues(records: readonly { value: string }[]): string[] {
  const ids: string[] = new Array(records.length);
  for (let i = 0; i < records.length; i++) ids[i] = records[i].value;
  return ids;
}

/** `ids`: the records' values when the caller has them already (the append fact keeps that array). */
export function appendToLeaderLog(b: Broker, p: PartitionReplica, records: RecordBatch['records'], ids?: string[]): AppendInfo {
  const log = logOf(b, p.topic, p.partition);
  const before = log.segments.length;
  const info = appendAsLeader(log, records, p.leaderEpoch);
  flushRolledSegments(log, before);
  const fact: ModelFact & { event: 'append' } = {
    event: 'append', topic: p.topic, partition: p.partition, broker: b.self, role: 'leader',
    leaderEpoch: p.leaderEpoch, firstOffset: info.firstOffset, lastOffset: info.lastOffset,
    ids: ids ?? recordValues(records),
  };
  // Transactional data (not markers): whose transaction, so checkers can tell aborted records apart.
  // Set as the last key, as the spread of an object with it was (without making either object).
  const first = records[0];
  if (first?.transactional && !first.control && first.producerId !== undefined) fact.producerId = first.producerId;
  emit(b.ctx, fact);
  const hwAdvanced = maybeIncrementLeaderHw(b, p, log);
  afterLeaderProgress(b, p, hwAdvanced);
  return info;
}
