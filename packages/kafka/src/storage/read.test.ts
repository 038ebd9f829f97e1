import { describe, expect, it } from 'vitest';
import { appendAsLeader } from './append';
import { allRecords, createLog } from './log';
import { OffsetOutOfRangeError, read, tryRead } from './read';
import { deleteSegmentsBefore } from './retention';
import { fixedInputs } from './testRecords';
import { truncateTo } from './truncate';

/** 4 segments of 10 100-byte records (the last holding 5), index entries every 3 records. */
function sampleLog() {
  const log = createLog('orders-0', { segmentBytes: 1_000, indexIntervalBytes: 250 });
  appendAsLeader(log, fixedInputs(0, 12), 0);
  appendAsLeader(log, fixedInputs(12, 23), 1);
  return log;
}

describe('read', () => {
  it('finds the right record for EVERY offset, matching a linear scan', () => {
    const log = sampleLog();
    const linear = allRecords(log);
    expect(log.segments.length).toBe(4);
    for (let offset = 0; offset < log.logEndOffset; offset++) {
      const expected = linear.find((r) => r.offset === offset);
      expect(read(log, offset, { maxBytes: 1 })).toEqual([expected]);
    }
  });

  it('uses the segment floor and the sparse index (visible through tryRead)', () => {
    const log = sampleLog();
    const result = tryRead(log, 25, { maxBytes: 100 });
    if (result.kind !== 'records') throw new Error('expected records');
    expect(result.segmentBaseOffset).toBe(20);
    expect(result.lookup?.indexEntry).toEqual({ relativeOffset: 3, position: 300 });
    expect(result.lookup?.recordsScanned).toBe(3);
  });

  it('returns whole records within maxBytes', () => {
    const log = sampleLog();
    expect(read(log, 2, { maxBytes: 250 }).map((r) => r.offset)).toEqual([2, 3]);
    expect(read(log, 2, { maxBytes: 300 }).map((r) => r.offset)).toEqual([2, 3, 4]);
  });

  it('returns the first record even if it exceeds maxBytes (KIP-74), unless minOneMessage is false', () => {
    const log = sampleLog();
    expect(read(log, 4, { maxBytes: 10 }).map((r) => r.offset)).toEqual([4]);
    expect(read(log, 4, { maxBytes: 10, minOneMessage: false })).toEqual([]);
  });

  it('stops before maxOffset (exclusive, e.g. the high watermark)', () => {
    const log = sampleLog();
    expect(read(log, 3, { maxBytes: 10_000, maxOffset: 6 }).map((r) => r.offset)).toEqual([3, 4, 5]);
    expect(read(log, 6, { maxBytes: 10_000, maxOffset: 6 })).toEqual([]);
    expect(read(log, 8, { maxBytes: 10_000, maxOffset: 6 })).toEqual([]);
  });

  it('reads from one segment per call, like LocalLog.read', () => {
    const log = sampleLog();
    expect(read(log, 7, { maxBytes: 1_000_000 }).map((r) => r.offset)).toEqual([7, 8, 9]);
    expect(read(log, 10, { maxBytes: 1_000_000 }).map((r) => r.offset)).toEqual([
      10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ]);
  });

  it('reading at the LEO is a valid empty read, beyond it is OffsetOutOfRange', () => {
    const log = sampleLog();
    expect(read(log, 35, { maxBytes: 100 })).toEqual([]);
    expect(tryRead(log, 36, { maxBytes: 100 })).toEqual({
      kind: 'offsetOutOfRange', requestedOffset: 36, logStartOffset: 0, logEndOffset: 35,
    });
    expect(() => read(log, 36, { maxBytes: 100 })).toThrow(OffsetOutOfRangeError);
  });

  it('below the log start offset is OffsetOutOfRange', () => {
    const log = sampleLog();
    deleteSegmentsBefore(log, 10);
    expect(log.logStartOffset).toBe(10);
    try {
      read(log, 9, { maxBytes: 100 });
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(OffsetOutOfRangeError);
      expect(e).toMatchObject({ requestedOffset: 9, logStartOffset: 10, logEndOffset: 35 });
    }
    expect(read(log, 10, { maxBytes: 1 }).map((r) => r.offset)).toEqual([10]);
  });

  it('moves past an empty active segment at the LEO', () => {
    const log = sampleLog();
    truncateTo(log, 20); // segment 20 stays, empty
    expect(log.segments.at(-1)?.records).toEqual([]);
    expect(read(log, 20, { maxBytes: 100 })).toEqual([]);
    expect(read(log, 19, { maxBytes: 1_000 }).map((r) => r.offset)).toEqual([19]);
  });

  it('hands out the log\'s own records, frozen and without segment positions, in an array of its own', () => {
    const log = sampleLog();
    const records = read(log, 0, { maxBytes: 200 });
    const [r] = records;
    expect(r).toBe(log.segments[0].records[0]);
    expect(r).not.toHaveProperty('position');
    expect(Object.isFrozen(r)).toBe(true);
    expect(() => { r.value = 'changed'; }).toThrow(TypeError);
    expect(allRecords(log)[0].value).toBe(fixedInputs(0, 1)[0].value);
    records.pop();
    expect(log.segments[0].records).toHaveLength(10);
  });
});
