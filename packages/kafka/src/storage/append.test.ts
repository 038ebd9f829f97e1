import { describe, expect, it } from 'vitest';
import { appendAsFollower, appendAsLeader } from './append';
import { checkLogInvariants } from './invariants';
import { allRecords, createLog, endOffsetForEpoch, latestEpoch } from './log';
import { read } from './read';
import { fixedInput, fixedInputs } from './testRecords';
import { truncateTo } from './truncate';
import type { Log, StoredRecord } from './types';

const config = { segmentBytes: 1_000, indexIntervalBytes: 250 };

describe('createLog', () => {
  it('starts empty with one segment at offset 0', () => {
    const log = createLog('orders-0', config);
    expect(log.segments.map((s) => s.fileName)).toEqual(['00000000000000000000.log']);
    expect([log.logStartOffset, log.logEndOffset, log.recoveryPoint, log.highWatermarkCheckpoint]).toEqual([0, 0, 0, 0]);
    expect(log.epochCache).toEqual([]);
    expect(latestEpoch(log)).toBeUndefined();
  });

  it('rejects nonsensical configs', () => {
    expect(() => createLog('x-0', { segmentBytes: 0, indexIntervalBytes: 10 })).toThrow(/segmentBytes/);
    expect(() => createLog('x-0', { segmentBytes: 10, indexIntervalBytes: -1 })).toThrow(/indexIntervalBytes/);
  });
});

describe('appendAsLeader', () => {
  it('assigns contiguous offsets from the LEO and stamps the leader epoch', () => {
    const log = createLog('orders-0', config);
    expect(appendAsLeader(log, fixedInputs(0, 3), 5)).toEqual({ firstOffset: 0, lastOffset: 2 });
    expect(appendAsLeader(log, fixedInputs(3, 2), 5)).toEqual({ firstOffset: 3, lastOffset: 4 });
    expect(log.logEndOffset).toBe(5);
    expect(allRecords(log).map((r) => [r.offset, r.leaderEpoch])).toEqual([
      [0, 5], [1, 5], [2, 5], [3, 5], [4, 5],
    ]);
  });

  it('keeps optional producer / transaction fields and copies inputs', () => {
    const log = createLog('orders-0', config);
    const input = {
      key: 'k', value: 'v', timestamp: 7, producerId: 3, producerEpoch: 1, sequence: 0,
      transactional: true, headers: { h: 'x' },
    };
    appendAsLeader(log, [input, { key: null, value: '', timestamp: 8, control: 'COMMIT' as const }], 0);
    input.headers.h = 'mutated';
    expect(allRecords(log)).toEqual([
      { offset: 0, key: 'k', value: 'v', timestamp: 7, leaderEpoch: 0, producerId: 3, producerEpoch: 1,
        sequence: 0, transactional: true, headers: { h: 'x' } },
      { offset: 1, key: null, value: '', timestamp: 8, leaderEpoch: 0, control: 'COMMIT' },
    ]);
  });

  it('appending nothing changes nothing', () => {
    const log = createLog('orders-0', config);
    appendAsLeader(log, fixedInputs(0, 2), 0);
    const before = structuredClone(log);
    expect(appendAsLeader(log, [], 1)).toEqual({ firstOffset: 2, lastOffset: 1 });
    expect(log).toEqual(before);
  });

  it('rejects a negative epoch without touching the log', () => {
    const log = createLog('orders-0', config);
    expect(() => appendAsLeader(log, fixedInputs(0, 1), -1)).toThrow(/leader epoch/);
    expect(log.logEndOffset).toBe(0);
  });

  it('records the first offset of each new epoch in the epoch cache', () => {
    const log = createLog('orders-0', config);
    appendAsLeader(log, fixedInputs(0, 3), 0);
    appendAsLeader(log, fixedInputs(3, 2), 0);
    appendAsLeader(log, fixedInputs(5, 1), 2);
    appendAsLeader(log, fixedInputs(6, 4), 3);
    expect(log.epochCache).toEqual([
      { epoch: 0, startOffset: 0 },
      { epoch: 2, startOffset: 5 },
      { epoch: 3, startOffset: 6 },
    ]);
    expect(latestEpoch(log)).toBe(3);
    expect(endOffsetForEpoch(log, 3)).toEqual({ epoch: 3, endOffset: 10 });
    expect(endOffsetForEpoch(log, 1)).toEqual({ epoch: 0, endOffset: 5 });
    expect(endOffsetForEpoch(log, 4)).toEqual({ epoch: -1, endOffset: -1 });
  });
});

describe('segment roll', () => {
  it('rolls when the next record would overflow segmentBytes, naming files by base offset', () => {
    const log = createLog('orders-0', config);
    appendAsLeader(log, fixedInputs(0, 25), 0); // 100-byte records, 10 per 1000-byte segment
    expect(log.segments.map((s) => s.fileName)).toEqual([
      '00000000000000000000.log',
      '00000000000000000010.log',
      '00000000000000000020.log',
    ]);
    expect(log.segments.map((s) => s.indexFileName)).toEqual([
      '00000000000000000000.index',
      '00000000000000000010.index',
      '00000000000000000020.index',
    ]);
    expect(log.segments.map((s) => s.sizeBytes)).toEqual([1_000, 1_000, 500]);
    expect(log.segments[1].records[0]).toMatchObject({ offset: 10 });
    expect(log.segments[1].positions.slice(0, 2)).toEqual([0, 100]);
    expect(checkLogInvariants(log)).toEqual([]);
  });

  it('does not depend on how records are grouped into append calls', () => {
    const oneByOne = createLog('a-0', config);
    for (let i = 0; i < 25; i++) appendAsLeader(oneByOne, [fixedInput(i)], 0);
    const batched = createLog('a-0', config);
    appendAsLeader(batched, fixedInputs(0, 25), 0);
    expect(oneByOne).toEqual(batched);
  });

  it('puts a record larger than segmentBytes alone in its own segment', () => {
    const log = createLog('big-0', { segmentBytes: 150, indexIntervalBytes: 4096 });
    appendAsLeader(log, [fixedInput(0), { key: null, value: 'x'.repeat(500), timestamp: 0 }, fixedInput(2)], 0);
    expect(log.segments.map((s) => s.records.map((r) => r.offset))).toEqual([[0], [1], [2]]);
    expect(log.segments[1].sizeBytes).toBeGreaterThan(150);
  });
});

function fetchAll(leader: Log, follower: Log, maxBytes: number): void {
  for (;;) {
    const records = read(leader, follower.logEndOffset, { maxBytes });
    if (records.length === 0) return;
    appendAsFollower(follower, records);
  }
}

describe('appendAsFollower', () => {
  it('keeps the leader offsets and epochs and ends up byte-identical', () => {
    const leader = createLog('orders-0', config);
    appendAsLeader(leader, fixedInputs(0, 7), 0);
    appendAsLeader(leader, fixedInputs(7, 14), 1);
    const follower = createLog('orders-0', config);
    fetchAll(leader, follower, 350);
    expect(follower.segments).toEqual(leader.segments);
    expect(follower.epochCache).toEqual(leader.epochCache);
    expect(follower.logEndOffset).toBe(21);
  });

  it('throws a clear error, leaving the log untouched, when the first offset is not the LEO', () => {
    const leader = createLog('orders-0', config);
    appendAsLeader(leader, fixedInputs(0, 5), 0);
    const follower = createLog('orders-0', config);
    appendAsFollower(follower, read(leader, 0, { maxBytes: 200 }));
    const before = structuredClone(follower);
    expect(() => appendAsFollower(follower, read(leader, 3, { maxBytes: 200 }))).toThrow(
      /first offset 3 does not equal log end offset 2/,
    );
    expect(() => appendAsFollower(follower, read(leader, 0, { maxBytes: 200 }))).toThrow(/log end offset 2/);
    expect(follower).toEqual(before);
  });

  it('rejects gaps inside the records without appending any of them', () => {
    const follower = createLog('orders-0', config);
    const rec = (offset: number): StoredRecord => ({ ...fixedInput(offset), offset, leaderEpoch: 0 });
    expect(() => appendAsFollower(follower, [rec(0), rec(1), rec(3)])).toThrow(/expected 2 but got 3/);
    expect(follower.logEndOffset).toBe(0);
  });

  it('rejects a record without a valid leader epoch, naming its offset, without appending any', () => {
    const follower = createLog('orders-0', config);
    const rec = (offset: number, leaderEpoch: number): StoredRecord => ({ ...fixedInput(offset), offset, leaderEpoch });
    expect(() => appendAsFollower(follower, [rec(0, 0), rec(1, -1)])).toThrow(/orders-0 at offset 1: leader epoch must be a non-negative integer, got -1/);
    expect(() => appendAsFollower(follower, [rec(0, 0.5)])).toThrow(/at offset 0: leader epoch .* got 0.5/);
    expect(follower.logEndOffset).toBe(0);
  });

  it('does not alias the records it was given', () => {
    const given: StoredRecord[] = [{ offset: 0, leaderEpoch: 0, key: 'k', value: 'v', timestamp: 0, headers: { a: '1' } }];
    const follower = createLog('orders-0', config);
    appendAsFollower(follower, given);
    given[0].value = 'changed';
    given[0].headers!.a = 'changed';
    expect(allRecords(follower)[0]).toMatchObject({ value: 'v', headers: { a: '1' } });
    expect(Object.keys(allRecords(follower)[0])).toEqual(['offset', 'key', 'value', 'timestamp', 'leaderEpoch', 'headers']);
  });

  it('a leader\'s records read for a follower cannot be changed, so neither log can', () => {
    const leader = createLog('orders-0', config);
    appendAsLeader(leader, [{ key: 'k', value: 'v', timestamp: 0, headers: { a: '1' } }], 0);
    const fetched = read(leader, 0, { maxBytes: 1_000 });
    const follower = createLog('orders-0', config);
    appendAsFollower(follower, fetched);
    expect(() => { fetched[0].value = 'changed'; }).toThrow(TypeError);
    expect(() => { fetched[0].headers!.a = 'changed'; }).toThrow(TypeError);
    expect(allRecords(follower)[0]).toMatchObject({ value: 'v', headers: { a: '1' } });
    expect(allRecords(leader)[0]).toMatchObject({ value: 'v', headers: { a: '1' } });
    expect(checkLogInvariants(follower)).toEqual([]);
  });

  it('stores a read\'s records as they are (the leader\'s own, frozen) and copies any other', () => {
    const leader = createLog('orders-0', config);
    appendAsLeader(leader, fixedInputs(0, 2), 0);
    const follower = createLog('orders-0', config);
    appendAsFollower(follower, read(leader, 0, { maxBytes: 1_000 }));
    expect(follower.segments[0].records[0]).toBe(leader.segments[0].records[0]);
    // Frozen, but with headers that are not: not a log's record, so copied and frozen whole.
    const outside = Object.freeze({ offset: 2, leaderEpoch: 0, key: null, value: 'x', timestamp: 0, headers: { a: '1' } });
    appendAsFollower(follower, [outside]);
    expect(follower.segments[0].records[2]).not.toBe(outside);
    expect(Object.isFrozen(follower.segments[0].records[2].headers)).toBe(true);
    expect(checkLogInvariants(follower)).toEqual([]);
  });

  it('KIP-101: a follower truncates to the leader end offset of its latest epoch, then catches up', () => {
    // Old leader wrote 0-4 in epoch 0, then 5-6 in epoch 1 that were never replicated.
    const follower = createLog('orders-0', config);
    appendAsLeader(follower, fixedInputs(0, 5), 0);
    appendAsLeader(follower, fixedInputs(100, 2), 1);
    // New leader has 0-4 from epoch 0 and wrote 5-7 in epoch 2.
    const leader = createLog('orders-0', config);
    appendAsLeader(leader, fixedInputs(0, 5), 0);
    appendAsLeader(leader, fixedInputs(200, 3), 2);

    const answer = endOffsetForEpoch(leader, latestEpoch(follower)!);
    expect(answer).toEqual({ epoch: 0, endOffset: 5 });
    truncateTo(follower, Math.min(answer.endOffset, follower.logEndOffset));
    expect(follower.epochCache).toEqual([{ epoch: 0, startOffset: 0 }]);
    fetchAll(leader, follower, 1_000);
    expect(allRecords(follower)).toEqual(allRecords(leader));
    expect(follower.epochCache).toEqual(leader.epochCache);
  });
});
