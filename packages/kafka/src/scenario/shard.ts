/**
 * Shards of a sweep: `--shard i/n` runs the i-th of n contiguous slices of the seeds, so that a
 * batch system (a Kubernetes indexed Job, a Slurm array, GNU parallel) can spread one sweep over
 * machines and `sweep merge` puts the slices back together. Numbered from 1, as Jest's and
 * Playwright's `--shard` are.
 */
export interface Shard {
  /** 1..count */
  index: number;
  count: number;
}

/** Parses "i/n"; throws an Error saying what is wrong. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`--shard expects i/n (this machine's slice i of n, counted from 1), got "${text}"`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || !Number.isSafeInteger(count)) throw new Error(`--shard ${text}: n must be a whole number >= 1`);
  if (index < 1 || index > count) throw new Error(`--shard ${text}: i must be between 1 and ${count}`);
  return { index, count };
}

/**
 * The seeds of one shard: slice i of n contiguous slices whose sizes differ by at most one, so
 * shard 2/4 of seeds 1..1000 runs 251..500. Depends only on the seed list and the shard.
 */
export function seedsOfShard(seeds: readonly number[], shard: Shard): number[] {
  const start = Math.floor(((shard.index - 1) * seeds.length) / shard.count);
  const end = Math.floor((shard.index * seeds.length) / shard.count);
  return seeds.slice(start, end);
}
