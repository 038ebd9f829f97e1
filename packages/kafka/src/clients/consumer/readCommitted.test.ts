import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../../storage';
import { committedOnly } from './fetcher';

const rec = (offset: number, value: string, extra: Partial<StoredRecord> = {}): StoredRecord => ({ offset, value, key: null, timestamp: 0, leaderEpoch: 0, ...extra });

describe('read_committed filtering (Fetcher with abortedTransactions)', () => {
  it('drops control records and the records of aborted transactions, keeps committed and non-transactional ones', () => {
    const records = [
      rec(0, 'a', { producerId: 7, transactional: true }),
      rec(1, 'x', { producerId: 8, transactional: true }),
      rec(2, 'plain'),
      rec(3, 'b', { producerId: 7, transactional: true }),
      rec(4, 'marker', { producerId: 7, transactional: true, control: 'ABORT' }),
      rec(5, 'marker', { producerId: 8, transactional: true, control: 'COMMIT' }),
      rec(6, 'c', { producerId: 7, transactional: true }),
      rec(7, 'marker', { producerId: 7, transactional: true, control: 'COMMIT' }),
    ];
    expect(committedOnly(records, [{ producerId: 7, firstOffset: 0 }]).map((r) => r.value)).toEqual(['x', 'plain', 'c']);
    expect(committedOnly(records, []).map((r) => r.value)).toEqual(['a', 'x', 'plain', 'b', 'c']);
  });
});
