import { describe, expect, it } from 'vitest';
import { RecentStrings } from './recentStrings';

describe('RecentStrings', () => {
  it('gives every id back as the string it was given for, whatever the cache evicted', () => {
    const table = new RecentStrings();
    // Many strings sharing length and end characters fight over the same cache sets.
    const words = Array.from({ length: 20_000 }, (_, i) => `p-${(i * 7919) % 3001}:${'x'.repeat(i % 3)}`);
    for (const w of words) expect(table.strings[table.idOf(w)]).toBe(w);
    expect(table.strings.length).toBeLessThanOrEqual(words.length);
  });

  it('answers a string in the cache with the id it gave it, so repeats take no room', () => {
    const table = new RecentStrings();
    const ids = ['events', 'broker-1', 'Fetch', 'producer-1:17', 'key-42', ''].map((w) => table.idOf(w));
    expect(new Set(ids).size).toBe(6);
    for (let round = 0; round < 3; round++) {
      expect(['events', 'broker-1', 'Fetch', 'producer-1:17', 'key-42', ''].map((w) => table.idOf(w))).toEqual(ids);
    }
    expect(table.strings).toEqual(['events', 'broker-1', 'Fetch', 'producer-1:17', 'key-42', '']);
  });

  it('keeps two strings of one cache set: a hot name is not evicted by a run of ids', () => {
    const table = new RecentStrings();
    const hot = table.idOf('abcd');
    // Same length, ends and middle character as 'abcd' and so the same set; the newest of them
    // takes the second way each time while 'abcd', used in between, stays in the first.
    for (let i = 0; i < 50; i++) {
      table.idOf(`a${String.fromCharCode(98 + (i % 20))}cd`);
      expect(table.idOf('abcd')).toBe(hot);
    }
  });

  it('tells apart strings equal in length and ends', () => {
    const table = new RecentStrings();
    const [a, b] = [table.idOf('abc'), table.idOf('axc')];
    expect(a).not.toBe(b);
    expect([table.strings[a], table.strings[b]]).toEqual(['abc', 'axc']);
  });
});
