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
import { lookupPosition, recordIndexAt, recordSizeAt, type PositionLookup } from './segment';
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

/** What readSlice found: the records it read, their bytes and the segment they came from. */
export interface ReadSlice {
  /** The log's own (frozen) records, in a new array the caller may keep; a shared frozen one when empty. */
  readonly records: StoredRecord[];
  /** Their bytes in the segment (recordSizeBytes of each), so callers need not size them again. */
  readonly bytes: number;
  /** Slot in log.segments of the segment read, -1 if none was read. */
  readonly segmentSlot: number;
}

/** No records, one frozen list for every reader: most reads of a caught-up log find none, and readers never change the list. */
export const NO_RECORDS: StoredRecord[] = Object.freeze([]) as unknown as StoredRecord[];
/** Nothing to read (at or past maxOffset, or no record left): one shared answer. */
const NOTHING_READ: ReadSlice = Object.freeze({ records: NO_RECORDS, bytes: 0, segmentSlot: -1 });

/**
 * tryRead with its options as arguments and without the index lookup in the result: what a
 * Fetch reads, in every partition of every fetch answered, with nothing made but the slice and
 * its records. null: fromOffset is out of range. `maxOffset` is capped at the LEO.
 */
export function readSlice(log: Log, fromOffset: number, maxBytes: number, maxOffset: number, minOneMessage: boolean): ReadSlice | null {
  const { logStartOffset, logEndOffset } = log;
  if (fromOffset < logStartOffset || fromOffset > logEndOffset) return null;
  const upTo = Math.min(maxOffset, logEndOffset);
  if (fromOffset >= upTo) return NOTHING_READ;

  let slot = floorSegmentIndex(log, fromOffset);
  if (slot === -1) return null;
  // If the floor segment holds nothing >= fromOffset (e.g. it is empty), move
  // on to the next one, as LocalLog.read does with higherSegment.
  for (; slot < log.segments.length; slot++) {
    const segment = log.segments[slot];
    const first = recordIndexAt(segment, fromOffset);
    if (first === -1) continue;

    const firstSize = recordSizeAt(segment, first);
    const budget = minOneMessage ? Math.max(maxBytes, firstSize) : maxBytes;
    const stored = segment.records;
    let end = first;
    let bytes = 0;
    for (; end < stored.length; end++) {
      const size = recordSizeAt(segment, end);
      // Kafka slices `budget` bytes and the client drops a trailing partial
      // record; returning only whole records is the same thing.
      if (stored[end].offset >= upTo || bytes + size > budget) break;
      bytes += size;
    }
    // One array of the records' own objects, made at its length (no copy of a record).
    return { records: stored.slice(first, end), bytes, segmentSlot: slot };
  }
  return NOTHING_READ;
}

/**
 * Read without throwing. Out of range means fromOffset < logStartOffset or
 * > LEO; reading exactly at the LEO (or at/after maxOffset) is a valid,
 * empty read — that is what a caught-up fetcher does all the time.
 */
export function tryRead(log: Log, fromOffset: number, options: ReadOptions): ReadResult {
  const { logStartOffset, logEndOffset } = log;
  const slice = readSlice(log, fromOffset, options.maxBytes, options.maxOffset ?? logEndOffset, options.minOneMessage ?? true);
  if (slice === null) return { kind: 'offsetOutOfRange', requestedOffset: fromOffset, logStartOffset, logEndOffset };
  if (slice.segmentSlot === -1) return { kind: 'records', records: [], bytes: 0, segmentBaseOffset: null, lookup: null };
  const segment = log.segments[slice.segmentSlot];
  return { kind: 'records', records: slice.records, bytes: slice.bytes, segmentBaseOffset: segment.baseOffset, lookup: lookupPosition(segment, fromOffset) };
}

/** Read, throwing OffsetOutOfRangeError when fromOffset is outside [logStartOffset, LEO]. */
export function read(log: Log, fromOffset: number, options: ReadOptions): StoredRecord[] {
  const result = tryRead(log, fromOffset, options);
  if (result.kind === 'offsetOutOfRange') {
    throw new OffsetOutOfRangeError(log.dir, fromOffset, result.logStartOffset, result.logEndOffset);
  }
  return result.records;
}
