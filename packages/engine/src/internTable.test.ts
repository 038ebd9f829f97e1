import { describe, expect, it } from 'vitest';
import { InternTable } from './internTable';

describe('InternTable', () => {
  it('gives each distinct string one id, in first-seen order, whatever the cache evicted', () => {
    const table = new InternTable();
    // Many strings sharing length and end characters fight over the same cache slots.
    const words = Array.from({ length: 5000 }, (_, i) => `p-${i % 1700}:${'x'.repeat(i % 3)}`);
    const expected = new Map<string, number>();
    for (const w of words) {
      if (!expected.has(w)) expected.set(w, expected.size);
      expect(table.idOf(w)).toBe(expected.get(w));
    }
    for (const [w, id] of expected) {
      expect(table.idOf(w)).toBe(id);
      expect(table.strings[id]).toBe(w);
    }
    expect(table.strings.length).toBe(expected.size);
  });

  it('tells apart strings equal in length and ends, and takes the empty string', () => {
    const table = new InternTable();
    expect([table.idOf('abc'), table.idOf('axc'), table.idOf(''), table.idOf('abc'), table.idOf('')]).toEqual([0, 1, 2, 0, 2]);
  });

  it('answers -1 for a new string past its limit, but still the ids it has', () => {
    const table = new InternTable(2);
    expect([table.idOf('a'), table.idOf('b'), table.idOf('c'), table.idOf('a'), table.idOf('b')]).toEqual([0, 1, -1, 0, 1]);
    expect(table.strings).toEqual(['a', 'b']);
  });
});
