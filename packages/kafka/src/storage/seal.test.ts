import { describe, expect, it } from 'vitest';
import { appendAsLeader } from './append';
import { checkLogInvariants } from './invariants';
import { allRecords, createLog } from './log';
import { fixedInputs } from './testRecords';
import { truncateTo } from './truncate';
import type { Segment } from './types';

/** Rolled segments are sealed (frozen) so checkpoints share them; a truncation reopens one. */
describe('sealed segments', () => {
  const sampleLog = () => {
    const log = createLog('orders-0', { segmentBytes: 1_000, indexIntervalBytes: 250 });
    appendAsLeader(log, fixedInputs(0, 25), 0);
    return log;
  };

  it('freezes a segment, its records, positions and index when the next one is rolled', () => {
    const log = sampleLog();
    const sealed = (s: Segment) => Object.isFrozen(s) && Object.isFrozen(s.records) && Object.isFrozen(s.positions) && Object.isFrozen(s.index);
    expect(log.segments.map(sealed)).toEqual([true, true, false]);
    expect(Object.isFrozen(log.segments[2].records)).toBe(false);
    expect(Object.isFrozen(log.segments[2].positions)).toBe(false);
  });

  it('a truncation into a sealed segment reopens a copy, and appends continue there', () => {
    const log = sampleLog();
    const sealed = log.segments[1];
    truncateTo(log, 15);
    expect(log.segments[1]).not.toBe(sealed);
    expect(Object.isFrozen(log.segments[1])).toBe(false);
    expect(sealed.records.length).toBe(10);
    appendAsLeader(log, fixedInputs(15, 3), 1);
    expect(allRecords(log).map((r) => r.offset)).toEqual([...Array(18).keys()]);
    expect(checkLogInvariants(log)).toEqual([]);
  });

  it('a stored record is frozen, holds no position and has the keys a read returns, in that order', () => {
    const log = sampleLog();
    const stored = log.segments[0].records[3];
    expect(Object.keys(stored)).toEqual(['offset', 'key', 'value', 'timestamp', 'leaderEpoch']);
    expect(Object.isFrozen(stored)).toBe(true);
    expect(log.segments[0].positions[3]).toBe(300);
  });

  it('a stored record keeps its optional fields after the required ones, and freezes a copy of its headers', () => {
    const log = createLog('orders-0', { segmentBytes: 1_000, indexIntervalBytes: 250 });
    const headers = { trace: 'a' };
    appendAsLeader(log, [{ key: 'k', value: 'v', timestamp: 5, headers, producerId: 7, transactional: true, sequence: 0, producerEpoch: 1 }], 2);
    const [stored] = log.segments[0].records;
    expect(Object.keys(stored)).toEqual(['offset', 'key', 'value', 'timestamp', 'leaderEpoch', 'producerId', 'producerEpoch', 'sequence', 'transactional', 'headers']);
    expect(stored.headers).not.toBe(headers);
    expect(Object.isFrozen(stored.headers)).toBe(true);
    headers.trace = 'changed';
    expect(stored.headers).toEqual({ trace: 'a' });
  });
});
