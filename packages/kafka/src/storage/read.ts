/**
 * Reading from a replica log (UnifiedLog.read -> LocalLog.read -> LogSegment.read):
 * 1. find the segment by base offset (binary search, LogSegments.floorSegment),
 * 2. find the nearest sparse index entry <= the offset (binary search),
 * 3. scan forward from that byte position to the offset,
 * 4. return whole records up to maxBytes, stopping before maxOffset.
 *
 * Like Kafka, one read returns data from ONE segment only: a fetch that
 * reaches the end of a segment stops there and the next fetch continues in
 * the next segment. Use allRecords() to see the whole log.
 *
 * A read returns the log's own records, not copies: they are frozen (appendSegmentRecord), so
 * the followers, consumers and checkpoints that get them share them.
 */
import { floorSegmentIndex } from './log';
import { lookupPosition, recordSizeAt, type PositionLookup } from './segment';
import type { Log, StoredRecord } from './types';

export interface ReadOptions {
  /** Byte budget for the returned records (fetch.max.bytes / max.partition.fetch.bytes). */
  maxBytes: number;
  /** Exclusive upper bound, e.g. the high watermark for consumers. Defaults to the LEO. */
  maxOffset?: number;
  /**
   * KIP-74: return the first record even if it alone exceeds maxBytes, so a
   * consumer can never get stuck behind a big record. Default true.
   */
  minOneMessage?: boolean;
}

export type ReadResult =
  | {
      kind: 'records';
      /** The log's own (frozen) records, in a new array the caller may keep or change. */
      records: StoredRecord[];
      /** Their bytes in the segment (recordSizeBytes of each), so callers need not size them again. */
      bytes: number;
      /** Segment the records came from, null if nothing was read. */
      segmentBaseOffset: number | null;
      /** The sparse index search that located fromOffset, null if no segment was searched. */
      lookup: PositionLookup | null;
    }
  | { kind: 'offsetOutOfRange'; requestedOffset: number; logStartOffset: number; logEndOffset: number };

/** Thrown by read(); tryRead() returns the same information as a value instead. */
export class OffsetOutOfRangeError extends Error {
  readonly requestedOffset: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  constructor(dir: string, requestedOffset: number, logStartOffset: number, logEndOffset: number) {
    super(
      `OffsetOutOfRange: offset ${requestedOffset} for ${dir} is outside [logStartOffset=${logStartOffset}, logEndOffset=${logEndOffset}]`,
    );
    this.name = 'OffsetOutOfRangeError';
    this.requestedOffset = requestedOffset;
    this.logStartOffset = logStartOffset;
    this.logEndOffset = logEndOffset;
  }
}

function empty(lookup: PositionLookup | null = null, segmentBaseOffset: number | null = null): ReadResult {
  return { kind: 'records', records: [], bytes: 0, segmentBaseOffset, lookup };
}

/**
 * Read without throwing. Out of range means fromOffset < logStartOffset or
 * > LEO; reading exactly at the LEO (or at/after maxOffset) is a valid,
 * empty read — that is what a caught-up fetcher does all the time.
 */
export function tryRead(log: Log, fromOffset: number, options: ReadOptions): ReadResult {
  const { logStartOffset, logEndOffset } = log;
  if (fromOffset < logStartOffset || fromOffset > logEndOffset) {
    return { kind: 'offsetOutOfRange', requestedOffset: fromOffset, logStartOffset, logEndOffset };
  }
  const maxOffset = Math.min(options.maxOffset ?? logEndOffset, logEndOffset);
  if (fromOffset >= maxOffset) return empty();

  let slot = floorSegmentIndex(log, fromOffset);
  if (slot === -1) {
    return { kind: 'offsetOutOfRange', requestedOffset: fromOffset, logStartOffset, logEndOffset };
  }
  const minOne = options.minOneMessage ?? true;
  // If the floor segment holds nothing >= fromOffset (e.g. it is empty), move
  // on to the next one, as LocalLog.read does with higherSegment.
  for (; slot < log.segments.length; slot++) {
    const segment = log.segments[slot];
    const lookup = lookupPosition(segment, fromOffset);
    if (lookup.recordIndex === -1) continue;

    const firstSize = recordSizeAt(segment, lookup.recordIndex);
    const budget = minOne ? Math.max(options.maxBytes, firstSize) : options.maxBytes;
    const stored = segment.records;
    let end = lookup.recordIndex;
    let bytes = 0;
    for (; end < stored.length; end++) {
      const size = recordSizeAt(segment, end);
      // Kafka slices `budget` bytes and the client drops a trailing partial
      // record; returning only whole records is the same thing.
      if (stored[end].offset >= maxOffset || bytes + size > budget) break;
      bytes += size;
    }
    // One array of the records' own objects, made at its length (no copy of a record).
    const records = stored.slice(lookup.recordIndex, end);
    return { kind: 'records', records, bytes, segmentBaseOffset: segment.baseOffset, lookup };
  }
  return empty();
}

/** Read, throwing OffsetOutOfRangeError when fromOffset is outside [logStartOffset, LEO]. */
export function read(log: Log, fromOffset: number, options: ReadOptions): StoredRecord[] {
  const result = tryRead(log, fromOffset, options);
  if (result.kind === 'offsetOutOfRange') {
    throw new OffsetOutOfRangeError(log.dir, fromOffset, result.logStartOffset, result.logEndOffset);
  }
  return result.records;
}
