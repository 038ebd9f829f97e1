import { describe, expect, it } from 'vitest';
import type { StoredRecord } from '../storage';
import { loadPartition, offsetRecord, parseKey } from './records';

const stored = (r: ReturnType<typeof offsetRecord>, offset: number): StoredRecord => ({ ...r, offset, leaderEpoch: 0 });

describe('__consumer_offsets records', () => {
  it('parses offset keys from the right, so group ids may contain colons', () => {
    expect(parseKey('offset:team:a:orders:3')).toEqual({ kind: 'offset', groupId: 'team:a', topic: 'orders', partition: 3 });
    expect(parseKey('group:team:a')).toEqual({ kind: 'group', groupId: 'team:a' });
    expect(parseKey('something-else')).toBeNull();
    expect(parseKey(null)).toBeNull();
  });

  it('loads the last committed offset per partition and keeps commit metadata', () => {
    const loaded = loadPartition([
      stored(offsetRecord('g', 't', 0, 5, '', 1), 0),
      stored(offsetRecord('g', 't', 1, 9, 'note', 2), 1),
      stored(offsetRecord('g', 't', 0, 7, '', 3), 2),
    ]);
    expect(loaded.offsets.g.map((o) => [o.partition, o.offset, o.metadata])).toEqual([[0, 7, ''], [1, 9, 'note']]);
    expect(loaded.groups).toEqual([]);
  });
});
