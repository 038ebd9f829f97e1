import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CancelledTimerIds } from './cancelledTimerIds';

type Op = { add: number } | { retainEvery: number };

const ops = fc.array(
  fc.oneof(
    // Ids up to 100,000: far past the first 1,024 words, so the bits grow more than once.
    { weight: 8, arbitrary: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 100_000 })).map((id): Op => ({ add: id })) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((k): Op => ({ retainEvery: k })) },
  ),
  { maxLength: 500 },
);

describe('CancelledTimerIds', () => {
  it('answers as a Set of the list would, and a copy rebuilt from the list answers the same', () => {
    fc.assert(fc.property(ops, fc.integer({ min: 0, max: 100_000 }), (script, probe) => {
      const list: number[] = [];
      const ids = new CancelledTimerIds(list);
      const model = new Set<number>();
      for (const op of script) {
        if ('add' in op) {
          expect(ids.add(op.add)).toBe(!model.has(op.add));
          model.add(op.add);
        } else {
          const keep = (id: number) => id % op.retainEvery === 0;
          ids.retain(keep);
          for (const id of [...model]) if (!keep(id)) model.delete(id);
        }
      }
      // The list is the world's: written in place, each id once, in the order first added.
      expect(list).toEqual([...model]);
      expect(ids.size).toBe(model.size);
      const rebuilt = new CancelledTimerIds([...list]);
      for (const id of [...model, probe, probe + 1, 0, 31, 32]) {
        expect(ids.has(id)).toBe(model.has(id));
        expect(rebuilt.has(id)).toBe(model.has(id));
      }
    }));
  });

  it('an id past every word held is not in, and adding it grows the bits', () => {
    const ids = new CancelledTimerIds([]);
    expect(ids.has(5_000_000)).toBe(false);
    expect(ids.add(5_000_000)).toBe(true);
    expect(ids.has(5_000_000)).toBe(true);
    expect(ids.has(4_999_999)).toBe(false);
  });
});
