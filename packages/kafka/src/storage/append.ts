/**
 * Appending to a replica log: the leader assigns offsets, a follower copies
 * the leader's offsets verbatim (UnifiedLog.appendAsLeader / appendAsFollower).
 *
 * Both validate everything before touching the log, so a rejected append
 * leaves the state exactly as it was (a simulator step must be atomic).
 */
import { assignEpoch } from './epochCache';
import { activeSegment, storedRecordOf } from './log';
import { recordSizeBytes } from './recordSize';
import { appendSegmentRecord, createSegment, isFrozenRecord, sealSegment } from './segment';
import type { Log, RecordInput, StoredRecord } from './types';

export interface AppendInfo {
  /** Offset of the first appended record (= LEO before the append). */
  firstOffset: number;
  /** Offset of the last appended record; firstOffset - 1 when nothing was appended. */
  lastOffset: number;
}

const isEpoch = (epoch: number): boolean => Number.isInteger(epoch) && epoch >= 0;

function epochError(what: string, epoch: number): Error {
  return new Error(`${what}: leader epoch must be a non-negative integer, got ${epoch}`);
}

/**
 * Copy only the fields of the record model, so no caller object is aliased into the log, frozen
 * with its headers: every read hands this object out as it is (to followers, consumers and the
 * trace), so nobody may change it.
 */
function makeStoredRecord(input: RecordInput, offset: number, leaderEpoch: number): StoredRecord {
  const r = storedRecordOf(input, offset, leaderEpoch);
  if (r.headers !== undefined) Object.freeze(r.headers);
  return Object.freeze(r);
}

/**
 * Append one record at the LEO, rolling first if it would not fit.
 *
 * Roll rule (LogSegment.shouldRoll, size part): roll when the active segment
 * is non-empty and size + recordSize > segmentBytes. The new segment's base
 * offset is the record's offset (= LEO). Deviation: Kafka decides per append
 * call and never splits a batch across segments; here every record is its
 * own batch, so leader and follower replicas roll at the same offsets.
 * A record bigger than segmentBytes still goes in (alone in its segment)
 * instead of failing with RecordBatchTooLargeException.
 */
function appendOne(log: Log, record: StoredRecord): void {
  const { offset, leaderEpoch } = record;
  const size = recordSizeBytes(record);
  let segment = activeSegment(log);
  if (segment.records.length > 0 && segment.sizeBytes + size > log.config.segmentBytes) {
    sealSegment(segment);
    segment = createSegment(offset);
    log.segments.push(segment);
  }
  appendSegmentRecord(segment, record, size, log.config.indexIntervalBytes);
  // UnifiedLog.maybeAssignEpochStartOffset: a no-op unless this epoch is new here.
  assignEpoch(log.epochCache, leaderEpoch, offset);
  log.logEndOffset = offset + 1;
}

/**
 * Leader path: offsets are assigned from the LEO, every record is stamped
 * with `leaderEpoch`, and the first record of a new epoch is recorded in the
 * epoch cache. An empty input appends nothing and returns lastOffset = LEO - 1.
 */
export function appendAsLeader(log: Log, inputs: RecordInput[], leaderEpoch: number): AppendInfo {
  if (!isEpoch(leaderEpoch)) throw epochError(`appendAsLeader on ${log.dir}`, leaderEpoch);
  const firstOffset = log.logEndOffset;
  // A loop, not forEach with a closure: every produced batch comes here.
  for (let i = 0; i < inputs.length; i++) appendOne(log, makeStoredRecord(inputs[i], firstOffset + i, leaderEpoch));
  return { firstOffset, lastOffset: firstOffset + inputs.length - 1 };
}

/**
 * Follower path: the records keep the offsets and epochs the leader gave
 * them. The first offset must equal our LEO and offsets must be contiguous;
 * otherwise the follower skipped or duplicated data, which in the simulator
 * is a protocol bug, so we throw rather than corrupt the log. The records are only read; a
 * fetch's records are the leader's own, frozen, and the follower's log holds those very objects
 * (a record never changes, so replicas share it as checkpoints do), any other is copied.
 */
export function appendAsFollower(log: Log, records: StoredRecord[]): AppendInfo {
  const firstOffset = log.logEndOffset;
  // The error messages are built only when thrown: this runs for every replicated record.
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const expected = firstOffset + i;
    if (r.offset !== expected) {
      throw new Error(
        i === 0
          ? `appendAsFollower on ${log.dir}: first offset ${r.offset} does not equal log end offset ${firstOffset}`
          : `appendAsFollower on ${log.dir}: offsets not contiguous, expected ${expected} but got ${r.offset}`,
      );
    }
    if (!isEpoch(r.leaderEpoch)) throw epochError(`appendAsFollower on ${log.dir} at offset ${r.offset}`, r.leaderEpoch);
  }
  // Only the storage freezes stored records, so a frozen one is a log's own (a read's records are
  // the leader's, keys in order) and is stored as it is; any other is copied, aliasing no caller object.
  for (const r of records) appendOne(log, isFrozenRecord(r) ? r : makeStoredRecord(r, r.offset, r.leaderEpoch));
  return { firstOffset, lastOffset: firstOffset + records.length - 1 };
}
