import { describe, expect, it } from 'vitest';
import { appendAsLeader } from './append';
import { describeLog } from './describe';
import { flush, loseUnflushed } from './durability';
import { checkLogInvariants } from './invariants';
import { allRecords, checkpointHighWatermark, createLog } from './log';
import { deleteSegmentsBefore } from './retention';
import { fixedInputs } from './testRecords';
import { truncateTo } from './truncate';

const config = { segmentBytes: 1_000, indexIntervalBytes: 250 };

describe('flush', () => {
  it('moves the recovery point forward to the LEO by default, never past it, never back', () => {
    const log = createLog('orders-0', config);
    appendAsLeader(log, fixedInputs(0, 8), 0);
    expect(flush(log, 5)).toBe(5);
    expect(flush(log, 3)).toBe(5);
    expect(flush(log, 100)).toBe(8);
    appendAsLeader(log, fixedInputs(8, 2), 0);
    expect(log.recoveryPoint).toBe(8);
    expect(flush(log)).toBe(10);
  });
});

describe('loseUnflushed (power loss)', () => {
  it('keeps only what was flushed, including segments, epochs and the HW checkpoint', () => {
    const log = createLog('orders-0', config);
    appendAsLeader(log, fixedInputs(0, 8), 0);
    flush(log);
    appendAsLeader(log, fixedInputs(8, 7), 1); // rolls a segment at 10, epoch 1 starts at 8
    checkpointHighWatermark(log, 14);
    expect(log.segments).toHaveLength(2);

    const { lostFrom, lostTo, lost } = loseUnflushed(log);
    expect([lostFrom, lostTo]).toEqual([8, 15]);
    expect(lost.map((r) => [r.offset, r.leaderEpoch])).toEqual([[8, 1], [9, 1], [10, 1], [11, 1], [12, 1], [13, 1], [14, 1]]);
    expect(allRecords(log).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(log.segments.map((s) => s.fileName)).toEqual(['00000000000000000000.log']);
    expect(log.epochCache).toEqual([{ epoch: 0, startOffset: 0 }]);
    expect(log.highWatermarkCheckpoint).toBe(8);
    expect(log.recoveryPoint).toBe(8);
    expect(checkLogInvariants(log)).toEqual([]);
  });

  it('loses nothing when everything was flushed (a process crash never calls it at all)', () => {
    const log = createLog('orders-0', config);
    appendAsLeader(log, fixedInputs(0, 12), 0);
    flush(log);
    const before = structuredClone(log);
    expect(loseUnflushed(log)).toEqual({ lostFrom: 12, lostTo: 12, lost: [] });
    expect(log).toEqual(before);
  });
});

describe('deleteSegmentsBefore (retention)', () => {
  it('deletes whole segments below the offset and moves the log start to a segment boundary', () => {
    const log = createLog('orders-0', config);
    appendAsLeader(log, fixedInputs(0, 5), 0);
    appendAsLeader(log, fixedInputs(5, 20), 1);
    expect(deleteSegmentsBefore(log, 15)).toEqual(['00000000000000000000.log']);
    expect(log.logStartOffset).toBe(10);
    // truncateFromStart: epoch 0 is gone, epoch 1 now starts at the new log start.
    expect(log.epochCache).toEqual([{ epoch: 1, startOffset: 10 }]);
    expect(log.recoveryPoint).toBe(10);
    expect(log.highWatermarkCheckpoint).toBe(10);
    expect(checkLogInvariants(log)).toEqual([]);
  });

  it('keeps a segment that still holds the offset, and never deletes the active segment', () => {
    const log = createLog('orders-0', config);
    appendAsLeader(log, fixedInputs(0, 25), 0);
    expect(deleteSegmentsBefore(log, 9)).toEqual([]);
    expect(deleteSegmentsBefore(log, 1_000)).toEqual(['00000000000000000000.log', '00000000000000000010.log']);
    expect(log.segments.map((s) => s.baseOffset)).toEqual([20]);
    expect(log.logStartOffset).toBe(20);
  });
});

describe('describeLog', () => {
  it('summarises segments, offsets and the epoch cache', () => {
    const log = createLog('orders-0', config);
    appendAsLeader(log, fixedInputs(0, 12), 0);
    appendAsLeader(log, fixedInputs(12, 3), 2);
    flush(log, 11);
    checkpointHighWatermark(log, 13);
    expect(describeLog(log)).toEqual({
      dir: 'orders-0',
      logStartOffset: 0,
      logEndOffset: 15,
      recoveryPoint: 11,
      highWatermarkCheckpoint: 13,
      sizeBytes: 1_500,
      recordCount: 15,
      segments: [
        { fileName: '00000000000000000000.log', indexFileName: '00000000000000000000.index', baseOffset: 0,
          nextOffset: 10, recordCount: 10, sizeBytes: 1_000, indexEntries: 3, active: false },
        { fileName: '00000000000000000010.log', indexFileName: '00000000000000000010.index', baseOffset: 10,
          nextOffset: 15, recordCount: 5, sizeBytes: 500, indexEntries: 1, active: true },
      ],
      epochCache: [{ epoch: 0, startOffset: 0 }, { epoch: 2, startOffset: 12 }],
    });
  });
});

describe('plain data', () => {
  it('structuredClone deep-equals the log, and the clone evolves identically', () => {
    const log = createLog('orders-0', config);
    appendAsLeader(log, fixedInputs(0, 14), 0);
    appendAsLeader(log, [{ key: 'k', value: 'v', timestamp: 1, producerId: 7, headers: { a: 'b' } }], 1);
    truncateTo(log, 13);
    flush(log);
    const clone = structuredClone(log);
    expect(clone).toEqual(log);
    expect(JSON.parse(JSON.stringify(log))).toEqual(log);

    appendAsLeader(log, fixedInputs(20, 9), 2);
    appendAsLeader(clone, fixedInputs(20, 9), 2);
    expect(clone).toEqual(log);
  });
});
