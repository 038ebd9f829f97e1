/**
 * Creating a log and the small queries everything else builds on
 * (Kafka's UnifiedLog/LocalLog accessors).
 */
import { endOffsetFor, latestEpochOf, type EpochEndOffset } from './epochCache';
import { floorIndex } from './search';
import { createSegment } from './segment';
import type { Log, LogConfig, Segment, StoredRecord } from './types';

function validateConfig(config: LogConfig): void {
  if (!(Number.isInteger(config.segmentBytes) && config.segmentBytes > 0)) {
    throw new Error(`segmentBytes must be a positive integer, got ${config.segmentBytes}`);
  }
  if (!(Number.isInteger(config.indexIntervalBytes) && config.indexIntervalBytes >= 0)) {
    throw new Error(`indexIntervalBytes must be a non-negative integer, got ${config.indexIntervalBytes}`);
  }
}

/** A new, empty replica log with one empty segment at offset 0. */
export function createLog(dir: string, config: LogConfig): Log {
  validateConfig(config);
  return {
    dir,
    config: { segmentBytes: config.segmentBytes, indexIntervalBytes: config.indexIntervalBytes },
    segments: [createSegment(0)],
    logStartOffset: 0,
    logEndOffset: 0,
    recoveryPoint: 0,
    epochCache: [],
    highWatermarkCheckpoint: 0,
  };
}

/** The segment being appended to: always the last one. */
export function activeSegment(log: Log): Segment {
  return log.segments[log.segments.length - 1];
}

/** LogSegments.floorSegment: slot of the segment with the largest baseOffset <= offset, or -1. */
export function floorSegmentIndex(log: Log, offset: number): number {
  // Most reads are at the log's end: the active segment is the floor without a search.
  const last = log.segments.length - 1;
  if (last >= 0 && log.segments[last].baseOffset <= offset) return last;
  return floorIndex(log.segments, offset, (s) => s.baseOffset);
}

/** Every record of the log in offset order: the log's own frozen records, as a read returns them. */
export function allRecords(log: Log): StoredRecord[] {
  const out: StoredRecord[] = [];
  for (const segment of log.segments) {
    for (const r of segment.records) out.push(r);
  }
  return out;
}

/**
 * A stored record with `r`'s fields at `offset` and `leaderEpoch`, keys always in this order (a
 * fetch's records are in the trace's payloads): what an append stores, and so what a read returns.
 */
export function storedRecordOf(r: Omit<StoredRecord, 'offset' | 'leaderEpoch'>, offset: number, leaderEpoch: number): StoredRecord {
  const copy: StoredRecord = { offset, key: r.key, value: r.value, timestamp: r.timestamp, leaderEpoch };
  if (r.producerId !== undefined) copy.producerId = r.producerId;
  if (r.producerEpoch !== undefined) copy.producerEpoch = r.producerEpoch;
  if (r.sequence !== undefined) copy.sequence = r.sequence;
  if (r.transactional !== undefined) copy.transactional = r.transactional;
  if (r.control !== undefined) copy.control = r.control;
  if (r.headers !== undefined) copy.headers = { ...r.headers };
  return copy;
}

/** Latest leader epoch with data in this log (UnifiedLog.latestEpoch), or undefined. */
export function latestEpoch(log: Log): number | undefined {
  return latestEpochOf(log.epochCache);
}

/** OffsetsForLeaderEpoch answer for this replica; see epochCache.endOffsetFor for the cases. */
export function endOffsetForEpoch(log: Log, requestedEpoch: number): EpochEndOffset {
  return endOffsetFor(log.epochCache, requestedEpoch, log.logEndOffset);
}

/**
 * Store the high watermark as replication-offset-checkpoint would. Clamped
 * to [logStartOffset, logEndOffset] like UnifiedLog.updateHighWatermark,
 * since a HW outside the local log is meaningless. Returns the stored value.
 */
export function checkpointHighWatermark(log: Log, highWatermark: number): number {
  const hw = Math.min(Math.max(highWatermark, log.logStartOffset), log.logEndOffset);
  log.highWatermarkCheckpoint = hw;
  return hw;
}
