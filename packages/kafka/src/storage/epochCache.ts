/**
 * Leader epoch cache (the `leader-epoch-checkpoint` file), as pure functions
 * over a sorted EpochEntry[] — a port of Kafka's LeaderEpochFileCache.
 *
 * Invariant kept by every function: epochs strictly increase and start
 * offsets strictly increase along the array. That is what lets a follower
 * ask "where did your epoch N end?" (KIP-101) and get one unambiguous answer.
 */
import type { EpochEntry } from './types';

/** OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH */
export const UNDEFINED_EPOCH = -1;
/** OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH_OFFSET */
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface EpochEndOffset {
  epoch: number;
  endOffset: number;
}

export function latestEpochEntry(cache: EpochEntry[]): EpochEntry | undefined {
  return cache[cache.length - 1];
}

/** The latest epoch that has data in this log, or undefined if none. */
export function latestEpochOf(cache: EpochEntry[]): number | undefined {
  return latestEpochEntry(cache)?.epoch;
}

/**
 * Record that `epoch` starts at `startOffset` (LeaderEpochFileCache.assign).
 * Called for every appended batch; it is a no-op unless the epoch is new or
 * the same epoch now starts earlier. Entries that would break monotonicity
 * (a same-or-higher epoch, or one starting at/after this offset) are removed
 * first, which is how a stale entry left by a diverged leader disappears.
 * Returns true if the cache changed.
 */
export function assignEpoch(cache: EpochEntry[], epoch: number, startOffset: number): boolean {
  if (epoch < 0 || startOffset < 0) {
    throw new Error(`Received invalid partition leader epoch entry (epoch=${epoch}, startOffset=${startOffset})`);
  }
  const latest = latestEpochEntry(cache);
  const updateNeeded = latest === undefined || epoch !== latest.epoch || startOffset < latest.startOffset;
  if (!updateNeeded) return false;
  // maybeTruncateNonMonotonicEntries: walk back from the newest entry.
  while (cache.length > 0) {
    const last = cache[cache.length - 1];
    if (last.epoch >= epoch || last.startOffset >= startOffset) cache.pop();
    else break;
  }
  cache.push({ epoch, startOffset });
  return true;
}

/**
 * Remove every entry whose startOffset >= endOffset (truncateFromEnd): used
 * when the log is truncated, since those epochs no longer have data here.
 * A negative endOffset (UNDEFINED_EPOCH_OFFSET) removes nothing, as in Kafka.
 */
export function truncateEpochsFromEnd(cache: EpochEntry[], endOffset: number): EpochEntry[] {
  const removed: EpochEntry[] = [];
  if (endOffset < 0) return removed;
  while (cache.length > 0 && cache[cache.length - 1].startOffset >= endOffset) {
    removed.push(cache.pop()!);
  }
  return removed;
}

/**
 * Drop entries made obsolete by a new log start offset (truncateFromStart).
 * Exclusive: the epoch that covers `startOffset` is kept, with its start
 * moved up to `startOffset`, so the cache never points at deleted data.
 */
export function truncateEpochsFromStart(cache: EpochEntry[], startOffset: number): EpochEntry[] {
  let n = 0;
  while (n < cache.length && cache[n].startOffset <= startOffset) n++;
  if (n === 0) return [];
  const removed = cache.splice(0, n);
  cache.unshift({ epoch: removed[n - 1].epoch, startOffset });
  return removed;
}

/**
 * LeaderEpochFileCache.endOffsetFor, used to answer OffsetsForLeaderEpoch.
 *
 * Returns the largest epoch <= requestedEpoch and the offset where it ended:
 * the start offset of the next higher epoch, or the LEO if requestedEpoch is
 * the latest epoch. Kafka's edge cases, reproduced exactly:
 * - requestedEpoch == UNDEFINED_EPOCH, or cache empty, or requestedEpoch is
 *   newer than anything known            -> (UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET)
 * - requestedEpoch older than the first cached epoch -> (requestedEpoch,
 *   start offset of the first cached epoch): the data before it is gone, so
 *   the follower should truncate to where our history begins.
 */
export function endOffsetFor(cache: EpochEntry[], requestedEpoch: number, logEndOffset: number): EpochEndOffset {
  const undefinedResult = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
  if (requestedEpoch === UNDEFINED_EPOCH) return undefinedResult;
  const latest = latestEpochOf(cache);
  if (latest !== undefined && latest === requestedEpoch) {
    // The latest epoch is still being written to: its end is the LEO.
    return { epoch: requestedEpoch, endOffset: logEndOffset };
  }
  // higherEntry: first entry with epoch > requested (cache is sorted by epoch).
  const higherIdx = cache.findIndex((e) => e.epoch > requestedEpoch);
  if (higherIdx === -1) return undefinedResult;
  const higher = cache[higherIdx];
  if (higherIdx === 0) {
    // No floor entry: requested epoch predates everything we know.
    return { epoch: requestedEpoch, endOffset: higher.startOffset };
  }
  const floor = cache[higherIdx - 1];
  return { epoch: floor.epoch, endOffset: higher.startOffset };
}

/** LeaderEpochFileCache.epochForOffset: the epoch that wrote `offset`, if known. */
export function epochForOffset(cache: EpochEntry[], offset: number): number | undefined {
  let previous: number | undefined;
  for (const e of cache) {
    if (e.startOffset === offset) return e.epoch;
    if (e.startOffset > offset) return previous;
    previous = e.epoch;
  }
  return previous;
}
