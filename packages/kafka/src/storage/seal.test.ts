import { describe, expect, it } from 'vitest';
import { appendAsLeader } from './append';
import { checkLogInvariants } from './invariants';
import { allRecords, createLog } from './log';
import { fixedInputs } from './testRecords';
import { truncateTo } from './truncate';

/** Rolled segments are sealed (frozen) so checkpoints share them; a truncation reopens one. */
describe('sealed segments', () => {
  const sampleLog = () => {
    const log = createLog('orders-0', { segmentBytes: 1_000, indexIntervalBytes: 250 });
    appendAsLeader(log, fixedInputs(0, 25), 0);
    return log;
  };

  it('freezes a segment, its records and its index when the next one is rolled', () => {
    const log = sampleLog();
    expect(log.segments.map((s) => Object.isFrozen(s) && Object.isFrozen(s.records) && Object.isFrozen(s.index))).toEqual([true, true, false]);
    expect(Object.isFrozen(log.segments[2].records)).toBe(false);
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

  it('a stored record is the record plus its position, keys in that order', () => {
    const log = sampleLog();
    const stored = log.segments[0].records[3];
    expect(Object.keys(stored)).toEqual([...Object.keys(allRecords(log)[3]), 'position']);
    expect(Object.isFrozen(stored)).toBe(true);
  });
});
