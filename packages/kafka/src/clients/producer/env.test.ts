import { describe, expect, it } from 'vitest';
import { createBatch } from './batch';
import { batchAt, dropBatch, keptBatches, storeBatch } from './env';
import type { ProducerMemory } from './types';

const memory = () => ({ batches: [], batchesFrom: 0 }) as unknown as ProducerMemory;
const batch = (id: number) => createBatch(id, 't', 0, 100, 0);

describe('the producer batches kept by id', () => {
  it('finds each batch by id until it is dropped, and cuts dropped ones off the front', () => {
    const m = memory();
    for (let id = 0; id < 5; id++) storeBatch(m, batch(id));
    dropBatch(m, 2);
    expect(batchAt(m, 2)).toBeUndefined();
    expect(m.batchesFrom).toBe(0);
    dropBatch(m, 0);
    dropBatch(m, 1);
    // 0, 1 and 2 are gone: the array starts at 3.
    expect(m.batchesFrom).toBe(3);
    expect(m.batches.map((b) => b?.id)).toEqual([3, 4]);
    expect([3, 4].map((id) => batchAt(m, id)?.id)).toEqual([3, 4]);
    expect([-1, 0, 1, 2, 5, 1.5].map((id) => batchAt(m, id))).toEqual(Array(6).fill(undefined));
    storeBatch(m, batch(7));
    expect(keptBatches(m).map((b) => b.id)).toEqual([3, 4, 7]);
    expect(batchAt(m, 7)?.id).toBe(7);
    expect(batchAt(m, 5)).toBeUndefined();
    dropBatch(m, 9);
    dropBatch(m, 3);
    dropBatch(m, 4);
    expect(m.batchesFrom).toBe(7);
    expect(keptBatches(m).map((b) => b.id)).toEqual([7]);
    dropBatch(m, 7);
    expect(m.batches).toEqual([]);
    expect(m.batchesFrom).toBe(8);
  });

  it('refuses a batch whose id is not newer than the kept ones', () => {
    const m = memory();
    storeBatch(m, batch(4));
    expect(() => storeBatch(m, batch(4))).toThrow(/batch 4 is not newer/);
    expect(() => storeBatch(m, batch(2))).toThrow(/batch 2 is not newer/);
  });
});
