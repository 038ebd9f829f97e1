/**
 * One log segment: a `.log` file of records plus its sparse `.index` file
 * (Kafka's LogSegment + OffsetIndex), as plain data and pure functions.
 *
 * Indexing granularity: Kafka adds index entries per record *batch*
 * (batch last offset -> batch start position). The simulator stores each
 * record as a batch of one (see recordSize.ts), so an entry maps a record's
 * offset to that record's position.
 */
import { floorIndex } from './search';
import type { IndexEntry, Segment, StoredRecord } from './types';

/** Kafka's file naming: base offset zero-padded to 20 digits (LogFileUtils.filenamePrefixFromOffset). */
export function segmentFileStem(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

export function createSegment(baseOffset: number): Segment {
  const stem = segmentFileStem(baseOffset);
  return {
    baseOffset,
    fileName: `${stem}.log`,
    indexFileName: `${stem}.index`,
    records: [],
    positions: [],
    sizeBytes: 0,
    index: [],
    bytesSinceLastIndexEntry: 0,
  };
}

/**
 * A rolled segment never changes again (LogSegment.onBecomeInactiveSegment): frozen with its
 * record, position and index arrays, so checkpoints share it whole instead of copying the
 * records of every old segment. Only a truncation reaching back into it reopens it (reopenSegment).
 */
export function sealSegment(segment: Segment): void {
  Object.freeze(segment.records);
  Object.freeze(segment.positions);
  Object.freeze(segment.index);
  Object.freeze(segment);
}

/** The segment itself if it is open, else a mutable copy of the sealed one (same records, shared). */
export function reopenSegment(segment: Segment): Segment {
  if (!Object.isFrozen(segment)) return segment;
  return Object.assign({}, segment, { records: segment.records.slice(), positions: segment.positions.slice(), index: segment.index.slice() });
}

/** Offset the next record appended to this segment would get (its own "LEO"). */
export function segmentNextOffset(segment: Segment): number {
  const last = segment.records[segment.records.length - 1];
  return last === undefined ? segment.baseOffset : last.offset + 1;
}

/** Bytes of the i-th record, derived from positions so sizes are stored only once. */
export function recordSizeAt(segment: Segment, i: number): number {
  const positions = segment.positions;
  const end = i + 1 < positions.length ? positions[i + 1] : segment.sizeBytes;
  return end - positions[i];
}

/** Whether `r` is frozen with its headers, as every record a segment holds is (reads hand them out). */
export function isFrozenRecord(r: StoredRecord): boolean {
  return Object.isFrozen(r) && (r.headers === undefined || Object.isFrozen(r.headers));
}

/**
 * Append one record (LogSegment.append). The index entry check happens
 * BEFORE counting the new record's bytes, exactly like Kafka: an entry is
 * written for a record once strictly more than indexIntervalBytes were
 * appended since the previous entry, and it points at this record's start.
 * Consequence: the first record of a segment is never indexed — a lookup
 * that finds no entry starts scanning at position 0, which is equivalent.
 *
 * `record` goes in as it is and reads hand it out as it is: the caller builds it frozen, with
 * the keys a read returns (storedRecordOf), and no object of its caller's in it.
 */
export function appendSegmentRecord(segment: Segment, record: StoredRecord, sizeBytes: number, indexIntervalBytes: number): void {
  if (!isFrozenRecord(record)) throw new Error(`record at offset ${record.offset} is not frozen with its headers: reads hand it out, so nobody may change it`);
  const position = segment.sizeBytes;
  if (segment.bytesSinceLastIndexEntry > indexIntervalBytes) {
    // Frozen like the records: an index entry never changes, so checkpoints share it.
    segment.index.push(Object.freeze({ relativeOffset: record.offset - segment.baseOffset, position }));
    segment.bytesSinceLastIndexEntry = 0;
  }
  segment.records.push(record);
  segment.positions.push(position);
  segment.sizeBytes += sizeBytes;
  segment.bytesSinceLastIndexEntry += sizeBytes;
}

/** What the two-step sparse-index search did, for tests and the visualizer. */
export interface PositionLookup {
  targetOffset: number;
  /** Index entry used (largest relativeOffset <= target), or null: start of file. */
  indexEntry: IndexEntry | null;
  /** Slot of that entry in segment.index, -1 if none. */
  indexSlot: number;
  /** Byte position the scan started from. */
  startPosition: number;
  /** Records read during the forward scan, including the one found. */
  recordsScanned: number;
  /** Slot in segment.records of the first record with offset >= target, -1 if none. */
  recordIndex: number;
  /** That record (offset === target unless the target is past this segment); at positions[recordIndex]. */
  record: StoredRecord | null;
}

/** floorIndex(index, relative, (e) => e.relativeOffset) without a key function per probe (every read does it). */
function floorIndexEntry(index: readonly IndexEntry[], relative: number): number {
  let lo = 0;
  let hi = index.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (index[mid].relativeOffset <= relative) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * The slot of the record at the index entry's position, where the forward scan starts (0
 * without an entry). Our records live in an array, not a byte file: finding the record that
 * starts at the entry's position is a seek, not part of the scan being counted. Record i of a
 * segment has offset baseOffset + i (checkLogInvariants) and positions only grow, so the entry's
 * record is at its relative offset: checked and taken from there, searched for only when the
 * check fails.
 */
function scanStartSlot(segment: Segment, indexEntry: IndexEntry | null): number {
  if (indexEntry === null) return 0;
  const positions = segment.positions;
  const i = indexEntry.relativeOffset;
  if (i < positions.length && positions[i] === indexEntry.position) return i;
  const found = floorIndex(positions, indexEntry.position, (position) => position);
  return found === -1 ? 0 : found;
}

/**
 * OffsetIndex.lookup + FileRecords.searchForOffsetFromPosition: binary-search
 * the sparse index for the largest entry <= target, then scan forward from
 * its position to the first record whose offset >= target.
 */
export function lookupPosition(segment: Segment, offset: number): PositionLookup {
  const relative = offset - segment.baseOffset;
  const indexSlot = floorIndexEntry(segment.index, relative);
  const indexEntry = indexSlot === -1 ? null : segment.index[indexSlot];
  const startPosition = indexEntry === null ? 0 : indexEntry.position;
  const records = segment.records;
  let i = scanStartSlot(segment, indexEntry);
  if (relative >= i && relative < records.length && records[relative].offset === offset) {
    // Offsets only grow: the records from i up to `relative` are the ones the scan would read.
    return { targetOffset: offset, indexEntry, indexSlot, startPosition, recordsScanned: relative - i + 1, recordIndex: relative, record: records[relative] };
  }

  let recordsScanned = 0;
  for (; i < records.length; i++) {
    recordsScanned++;
    const r = records[i];
    if (r.offset >= offset) {
      return { targetOffset: offset, indexEntry, indexSlot, startPosition, recordsScanned, recordIndex: i, record: r };
    }
  }
  return { targetOffset: offset, indexEntry, indexSlot, startPosition, recordsScanned, recordIndex: -1, record: null };
}

/**
 * lookupPosition(segment, offset).recordIndex without building the lookup: every fetch that
 * reads looks up its offset, and only the slot is needed to read from it.
 */
export function recordIndexAt(segment: Segment, offset: number): number {
  const relative = offset - segment.baseOffset;
  const indexSlot = floorIndexEntry(segment.index, relative);
  const records = segment.records;
  let i = scanStartSlot(segment, indexSlot === -1 ? null : segment.index[indexSlot]);
  if (relative >= i && relative < records.length && records[relative].offset === offset) return relative;
  for (; i < records.length; i++) if (records[i].offset >= offset) return i;
  return -1;
}

/**
 * LogSegment.truncateTo: drop records with offset >= `offset` and index
 * entries pointing at them. Returns the number of bytes removed. Like Kafka,
 * bytesSinceLastIndexEntry restarts from 0, so the next entry comes a full
 * interval after the truncation point.
 */
export function truncateSegment(segment: Segment, offset: number): number {
  const keep = floorIndex(segment.records, offset - 1, (r) => r.offset) + 1;
  const oldSize = segment.sizeBytes;
  if (keep < segment.records.length) {
    segment.sizeBytes = segment.positions[keep];
    segment.records.length = keep;
    segment.positions.length = keep;
  }
  const relative = offset - segment.baseOffset;
  const keepEntries = floorIndex(segment.index, relative - 1, (e) => e.relativeOffset) + 1;
  segment.index.length = keepEntries;
  segment.bytesSinceLastIndexEntry = 0;
  return oldSize - segment.sizeBytes;
}
