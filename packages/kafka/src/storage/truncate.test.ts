import { describe, expect, it } from 'vitest';
import { appendAsFollower, appendAsLeader } from './append';
import { assignEpoch } from './epochCache';
import { checkLogInvariants } from './invariants';
import { allRecords, checkpointHighWatermark, createLog } from './log';
import { deleteSegmentsBefore } from './retention';
import { fixedInputs } from './testRecords';
import { truncateFullyAndStartAt, truncateTo } from './truncate';

/** Segments 0, 10, 20 (25 records): epoch 0 for offsets 0-11, epoch 2 for 12-24. */
function sampleLog() {
  const log = createLog('orders-0', { segmentBytes: 1_000, indexIntervalBytes: 250 });
  appendAsLeader(log, fixedInputs(0, 12), 0);
  appendAsLeader(log, fixedInputs(12, 13), 2);
  return log;
}

const offsets = (log: ReturnType<typeof sampleLog>) => allRecords(log).map((r) => r.offset);

describe('truncateTo', () => {
  it('cuts inside a segment, deleting later segments and trimming the index', () => {
    const log = sampleLog();
    const removed = truncateTo(log, 15);
    expect(removed.map((r) => r.offset)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect(removed[0]).toEqual({ ...fixedInputs(15, 1)[0], offset: 15, leaderEpoch: 2 });
    expect(log.segments.map((s) => s.fileName)).toEqual(['00000000000000000000.log', '00000000000000000010.log']);
    expect(offsets(log)).toEqual([...Array(15).keys()]);
    expect(log.segments[1].index).toEqual([{ relativeOffset: 3, position: 300 }]);
    expect(log.segments[1].sizeBytes).toBe(500);
    expect(log.logEndOffset).toBe(15);
    expect(log.epochCache).toEqual([{ epoch: 0, startOffset: 0 }, { epoch: 2, startOffset: 12 }]);
    expect(checkLogInvariants(log)).toEqual([]);
  });

  it('at a segment boundary keeps that segment, empty, as the active one', () => {
    const log = sampleLog();
    truncateTo(log, 10);
    expect(log.segments.map((s) => [s.baseOffset, s.records.length])).toEqual([[0, 10], [10, 0]]);
    expect(log.epochCache).toEqual([{ epoch: 0, startOffset: 0 }]);
    appendAsLeader(log, fixedInputs(10, 2), 3);
    expect(log.segments.map((s) => [s.baseOffset, s.records.length])).toEqual([[0, 10], [10, 2]]);
    expect(log.epochCache).toEqual([{ epoch: 0, startOffset: 0 }, { epoch: 3, startOffset: 10 }]);
    expect(checkLogInvariants(log)).toEqual([]);
  });

  it('drops epochs that start at or after the truncation offset (truncateFromEnd)', () => {
    const log = sampleLog();
    truncateTo(log, 12);
    expect(log.epochCache).toEqual([{ epoch: 0, startOffset: 0 }]);
  });

  it('at or beyond the LEO removes no record and leaves a log without a trailing empty epoch as it was', () => {
    const log = sampleLog();
    const before = structuredClone(log);
    expect(truncateTo(log, 25)).toEqual([]);
    expect(truncateTo(log, 99)).toEqual([]);
    expect(log).toEqual(before);
  });

  // UnifiedLogTest#testTruncateToEndOffsetClearsEpochCache: became leader (epoch entry at the
  // LEO, nothing written), then follower truncating to the LEO or past it.
  it.each([
    [20, 0],
    [24, 1],
  ])('at or beyond the LEO still drops the epoch %i entry that starts at the LEO (target LEO+%i)', (epoch, past) => {
    const log = createLog('orders-0', { segmentBytes: 1_000, indexIntervalBytes: 250 });
    truncateFullyAndStartAt(log, 27);
    appendAsFollower(log, fixedInputs(0, 2).map((r, i) => ({ ...r, offset: 27 + i, leaderEpoch: 19 })));
    expect(log.epochCache).toEqual([{ epoch: 19, startOffset: 27 }]);
    assignEpoch(log.epochCache, epoch, log.logEndOffset);
    expect(log.epochCache.at(-1)).toEqual({ epoch, startOffset: 29 });
    expect(truncateTo(log, log.logEndOffset + past)).toEqual([]);
    expect(log.epochCache).toEqual([{ epoch: 19, startOffset: 27 }]);
    expect(log.logEndOffset).toBe(29);
  });

  it('pulls back the recovery point and high watermark checkpoint', () => {
    const log = sampleLog();
    log.recoveryPoint = 20;
    checkpointHighWatermark(log, 22);
    truncateTo(log, 18);
    expect(log.recoveryPoint).toBe(18);
    expect(log.highWatermarkCheckpoint).toBe(18);
  });

  it('to 0 leaves one empty segment', () => {
    const log = sampleLog();
    truncateTo(log, 0);
    expect(log.segments).toHaveLength(1);
    expect(log.segments[0].records).toEqual([]);
    expect(log.epochCache).toEqual([]);
    expect(checkLogInvariants(log)).toEqual([]);
  });

  it('below the first local segment falls back to truncateFullyAndStartAt', () => {
    const log = sampleLog();
    deleteSegmentsBefore(log, 10);
    expect(truncateTo(log, 5)).toHaveLength(15);
    expect(log.segments.map((s) => s.fileName)).toEqual(['00000000000000000005.log']);
    expect([log.logStartOffset, log.logEndOffset]).toEqual([5, 5]);
  });
});

describe('truncateFullyAndStartAt', () => {
  it('discards everything and restarts at the given offset', () => {
    const log = sampleLog();
    expect(truncateFullyAndStartAt(log, 100).map((r) => r.offset)).toEqual([...Array(25).keys()]);
    expect(log.segments.map((s) => s.fileName)).toEqual(['00000000000000000100.log']);
    expect([log.logStartOffset, log.logEndOffset, log.recoveryPoint, log.highWatermarkCheckpoint]).toEqual([
      100, 100, 100, 100,
    ]);
    expect(log.epochCache).toEqual([]);
    expect(appendAsLeader(log, fixedInputs(0, 1), 4)).toEqual({ firstOffset: 100, lastOffset: 100 });
    expect(log.epochCache).toEqual([{ epoch: 4, startOffset: 100 }]);
    expect(checkLogInvariants(log)).toEqual([]);
  });
});
