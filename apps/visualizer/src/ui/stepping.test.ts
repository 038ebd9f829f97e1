import { describe, expect, it } from 'vitest';
import { diffFates } from './compareDiff';
import { nextNotable } from './stepping';
import type { RecordIssueView, ReportView } from '../core/view';

describe('stepping by event', () => {
  const steps = [3, 10, 11, 40];
  it('goes to the next and previous event-log step, and to the ends past them', () => {
    expect(nextNotable(steps, 0, 1, 99)).toBe(3);
    expect(nextNotable(steps, 10, 1, 99)).toBe(11);
    expect(nextNotable(steps, 12, 1, 99)).toBe(40);
    expect(nextNotable(steps, 40, 1, 99)).toBe(99);
    expect(nextNotable(steps, 40, -1, 99)).toBe(11);
    expect(nextNotable(steps, 25, -1, 99)).toBe(11);
    expect(nextNotable(steps, 3, -1, 99)).toBe(0);
  });
});

describe('what differs between the two sides of a comparison', () => {
  const rec = (id: string, tags: Partial<RecordIssueView>): RecordIssueView => ({
    id, producer: 'p', key: null, tp: 't-0', offset: 1, acks: '1', lost: false, duplicated: false, duplicatedInLog: false,
    duplicatedProcessing: false, reordered: false, unprocessedBy: [], storedOn: [], causes: [], ...tags,
  });
  const report = (records: RecordIssueView[]) => ({ records } as unknown as ReportView);

  it('groups records by their fate on each side, and ignores those with the same fate', () => {
    const left = report([rec('a', { lost: true }), rec('b', { lost: true }), rec('c', { reordered: true }), rec('d', { duplicated: true })]);
    const right = report([rec('c', { reordered: true }), rec('d', { duplicated: true, reordered: true })]);
    const d = diffFates(left, right);
    expect([...d.ids].sort()).toEqual(['a', 'b', 'd']);
    expect(d.groups).toEqual([
      { left: 'lost', right: 'ok', ids: ['a', 'b'] },
      { left: 'duplicated', right: 'duplicated+reordered', ids: ['d'] },
    ]);
  });
});
