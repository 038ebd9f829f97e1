import { describe, expect, it } from 'vitest';
import { parseShard, seedsOfShard } from './shard';

describe('seedsOfShard', () => {
  it('splits the seeds into n contiguous slices that cover each seed exactly once', () => {
    const seeds = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(seedsOfShard(seeds, { index: 2, count: 4 })).toEqual(seeds.slice(250, 500));
    for (const [length, count] of [[10, 3], [7, 7], [3, 5], [1000, 9], [0, 2]]) {
      const all = Array.from({ length }, (_, i) => i + 21);
      const slices = Array.from({ length: count }, (_, i) => seedsOfShard(all, { index: i + 1, count }));
      expect(slices.flat()).toEqual(all);
      const sizes = slices.map((s) => s.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });
});

describe('parseShard', () => {
  it('reads i/n counted from 1', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });

  it('says what is wrong with a bad shard', () => {
    expect(() => parseShard('0/4')).toThrow('--shard 0/4: i must be between 1 and 4');
    expect(() => parseShard('5/4')).toThrow('--shard 5/4: i must be between 1 and 4');
    expect(() => parseShard('1/0')).toThrow('--shard 1/0: n must be a whole number >= 1');
    expect(() => parseShard('2')).toThrow('--shard expects i/n (this machine\'s slice i of n, counted from 1), got "2"');
    expect(() => parseShard('-1/4')).toThrow('--shard expects i/n');
  });
});
