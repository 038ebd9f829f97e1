import { describe, expect, it } from 'vitest';
import { appendAsLeader } from './append';
import { createLog } from './log';
import { createSegment, lookupPosition, segmentFileStem, truncateSegment } from './segment';
import { FIXED_RECORD_BYTES, fixedInputs } from './testRecords';

describe('segment files', () => {
  it('names files with the 20-digit zero-padded base offset', () => {
    expect(segmentFileStem(0)).toBe('00000000000000000000');
    expect(segmentFileStem(12345)).toBe('00000000000000012345');
    const s = createSegment(42);
    expect(s.fileName).toBe('00000000000000000042.log');
    expect(s.indexFileName).toBe('00000000000000000042.index');
  });
});

describe('sparse offset index', () => {
  it('the test records are 100 bytes each', () => {
    expect(FIXED_RECORD_BYTES).toBe(100);
  });

  it('adds an entry only once MORE than indexIntervalBytes were appended since the last one', () => {
    const log = createLog('t-0', { segmentBytes: 10_000, indexIntervalBytes: 250 });
    appendAsLeader(log, fixedInputs(0, 10), 0);
    const seg = log.segments[0];
    // 100-byte records: 300 bytes (> 250) have accumulated before offsets 3, 6 and 9.
    expect(seg.index).toEqual([
      { relativeOffset: 3, position: 300 },
      { relativeOffset: 6, position: 600 },
      { relativeOffset: 9, position: 900 },
    ]);
    expect(seg.index.length).toBeLessThan(seg.records.length);
  });

  it('uses a strict comparison like LogSegment.append: exactly the interval is not enough', () => {
    const log = createLog('t-0', { segmentBytes: 10_000, indexIntervalBytes: 200 });
    appendAsLeader(log, fixedInputs(0, 7), 0);
    expect(log.segments[0].index.map((e) => e.relativeOffset)).toEqual([3, 6]);
  });

  it('indexes every record but the first when the interval is 0', () => {
    const log = createLog('t-0', { segmentBytes: 10_000, indexIntervalBytes: 0 });
    appendAsLeader(log, fixedInputs(0, 4), 0);
    expect(log.segments[0].index.map((e) => e.relativeOffset)).toEqual([1, 2, 3]);
  });

  it('stores offsets relative to the segment base offset', () => {
    const log = createLog('t-0', { segmentBytes: 1_000, indexIntervalBytes: 250 });
    appendAsLeader(log, fixedInputs(0, 20), 0);
    const second = log.segments[1];
    expect(second.baseOffset).toBe(10);
    expect(second.index[0]).toEqual({ relativeOffset: 3, position: 300 });
    expect(second.records[3].offset).toBe(13);
  });
});

describe('lookupPosition', () => {
  const log = createLog('t-0', { segmentBytes: 10_000, indexIntervalBytes: 250 });
  appendAsLeader(log, fixedInputs(0, 10), 0);
  const seg = log.segments[0];

  it('scans from the start of the file when no entry is <= the target', () => {
    const l = lookupPosition(seg, 2);
    expect(l.indexEntry).toBeNull();
    expect(l.indexSlot).toBe(-1);
    expect(l.startPosition).toBe(0);
    expect(l.recordsScanned).toBe(3);
    expect(l.record?.offset).toBe(2);
  });

  it('uses the largest entry <= target, then scans forward', () => {
    const l = lookupPosition(seg, 5);
    expect(l.indexEntry).toEqual({ relativeOffset: 3, position: 300 });
    expect(l.indexSlot).toBe(0);
    expect(l.startPosition).toBe(300);
    expect(l.recordsScanned).toBe(3); // offsets 3, 4, 5
    expect(l.record?.offset).toBe(5);
    expect(seg.positions[l.recordIndex]).toBe(500);
  });

  it('hits an indexed offset directly', () => {
    const l = lookupPosition(seg, 9);
    expect(l.indexEntry).toEqual({ relativeOffset: 9, position: 900 });
    expect(l.recordsScanned).toBe(1);
  });

  it('never scans more records than lie between two entries', () => {
    for (let o = 0; o < 10; o++) expect(lookupPosition(seg, o).recordsScanned).toBeLessThanOrEqual(3);
  });

  it('reports not found past the end of the segment', () => {
    const l = lookupPosition(seg, 10);
    expect(l.recordIndex).toBe(-1);
    expect(l.record).toBeNull();
  });
});

describe('truncateSegment', () => {
  it('drops records and index entries at or after the offset and restarts index accounting', () => {
    const log = createLog('t-0', { segmentBytes: 10_000, indexIntervalBytes: 250 });
    appendAsLeader(log, fixedInputs(0, 10), 0);
    const seg = log.segments[0];
    expect(truncateSegment(seg, 6)).toBe(400);
    expect(seg.records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(seg.sizeBytes).toBe(600);
    expect(seg.index).toEqual([{ relativeOffset: 3, position: 300 }]);
    expect(seg.bytesSinceLastIndexEntry).toBe(0);
  });
});
