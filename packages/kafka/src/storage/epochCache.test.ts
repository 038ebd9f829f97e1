/** Mirrors Kafka's LeaderEpochFileCacheTest case by case (same names, same numbers). */
import { describe, expect, it } from 'vitest';
import {
  UNDEFINED_EPOCH,
  UNDEFINED_EPOCH_OFFSET,
  assignEpoch,
  endOffsetFor,
  epochForOffset,
  latestEpochOf,
  truncateEpochsFromEnd,
  truncateEpochsFromStart,
} from './epochCache';
import type { EpochEntry } from './types';

const UNDEF = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
const at = (epoch: number, endOffset: number) => ({ epoch, endOffset });
const entry = (epoch: number, startOffset: number): EpochEntry => ({ epoch, startOffset });

function cacheWith(...pairs: [number, number][]): EpochEntry[] {
  const cache: EpochEntry[] = [];
  for (const [e, o] of pairs) assignEpoch(cache, e, o);
  return cache;
}

describe('LeaderEpochFileCache port', () => {
  it('shouldAddEpochAndMessageOffsetToCache', () => {
    const cache = cacheWith([2, 10]);
    expect(latestEpochOf(cache)).toBe(2);
    expect(cache[0]).toEqual(entry(2, 10));
    expect(endOffsetFor(cache, 2, 11)).toEqual(at(2, 11));
  });

  it('shouldReturnLogEndOffsetIfLatestEpochRequested', () => {
    const cache = cacheWith([2, 11], [2, 12]);
    expect(endOffsetFor(cache, 2, 14)).toEqual(at(2, 14));
  });

  it('shouldReturnUndefinedOffsetIfUndefinedEpochRequested', () => {
    const cache = cacheWith([2, 11], [3, 12]);
    expect(endOffsetFor(cache, UNDEFINED_EPOCH, 0)).toEqual(UNDEF);
  });

  it('shouldNotOverwriteLogEndOffsetForALeaderEpochOnceItHasBeenAssigned', () => {
    const cache = cacheWith([2, 9], [2, 10]);
    expect(cache).toEqual([entry(2, 9)]);
  });

  it('shouldEnforceMonotonicallyIncreasingStartOffsets', () => {
    expect(cacheWith([2, 9], [3, 9])).toEqual([entry(3, 9)]);
  });

  it('shouldNotOverwriteOffsetForALeaderEpochOnceItHasBeenAssigned', () => {
    expect(cacheWith([2, 6], [2, 10])[0].startOffset).toBe(6);
  });

  it('shouldReturnUnsupportedIfNoEpochRecorded', () => {
    expect(endOffsetFor([], 0, 0)).toEqual(UNDEF);
  });

  it('shouldReturnUnsupportedIfNoEpochRecordedAndUndefinedEpochRequested', () => {
    expect(endOffsetFor([], UNDEFINED_EPOCH, 73)).toEqual(UNDEF);
  });

  it('shouldReturnFirstEpochIfRequestedEpochLessThanFirstEpoch', () => {
    // Not UNDEFINED: Kafka answers (requestedEpoch, start of first known epoch).
    const cache = cacheWith([5, 11], [6, 12], [7, 13]);
    expect(endOffsetFor(cache, 4, 0)).toEqual(at(4, 11));
  });

  it('shouldTruncateIfMatchingEpochButEarlierStartingOffset', () => {
    const cache = cacheWith([5, 11], [6, 12], [7, 13], [7, 12]);
    expect(endOffsetFor(cache, 5, 0)).toEqual(at(5, 12));
    expect(endOffsetFor(cache, 6, 0)).toEqual(at(5, 12));
  });

  it('shouldGetFirstOffsetOfSubsequentEpochWhenOffsetRequestedForPreviousEpoch', () => {
    const cache = cacheWith([1, 11], [1, 12], [2, 13], [2, 14], [3, 15], [3, 16]);
    expect(endOffsetFor(cache, 2, 17)).toEqual(at(2, 15));
  });

  it('shouldReturnNextAvailableEpochIfThereIsNoExactEpochForTheOneRequested', () => {
    const cache = cacheWith([0, 10], [2, 13], [4, 17]);
    expect(endOffsetFor(cache, 1, 0)).toEqual(at(0, 13));
    expect(endOffsetFor(cache, 2, 0)).toEqual(at(2, 17));
    expect(endOffsetFor(cache, 3, 0)).toEqual(at(2, 17));
  });

  it('shouldNotUpdateEpochAndStartOffsetIfItDidNotChange', () => {
    expect(cacheWith([2, 6], [2, 7])).toEqual([entry(2, 6)]);
  });

  it('shouldReturnInvalidOffsetIfEpochIsRequestedWhichIsNotCurrentlyTracked', () => {
    expect(endOffsetFor(cacheWith([2, 100]), 3, 100)).toEqual(UNDEF);
  });

  it('shouldSupportEpochsThatDoNotStartFromZero', () => {
    const cache = cacheWith([2, 6]);
    expect(endOffsetFor(cache, 2, 7)).toEqual(at(2, 7));
    expect(cache).toEqual([entry(2, 6)]);
  });

  it('shouldPersistEpochsBetweenInstances (here: survives structuredClone)', () => {
    const cache = cacheWith([2, 6]);
    expect(structuredClone(cache)).toEqual([entry(2, 6)]);
  });

  it('shouldEnforceMonotonicallyIncreasingEpochs', () => {
    const cache = cacheWith([1, 5], [2, 6], [1, 7]);
    expect(latestEpochOf(cache)).toBe(1);
    expect(endOffsetFor(cache, 1, 8)).toEqual(at(1, 8));
    expect(endOffsetFor(cache, 2, 8)).toEqual(UNDEF);
    expect(cache[0]).toEqual(entry(1, 7));
  });

  it('shouldEnforceOffsetsIncreaseMonotonically', () => {
    expect(cacheWith([2, 6], [3, 5])[0]).toEqual(entry(3, 5));
  });

  it('shouldIncreaseAndTrackEpochsAsLeadersChangeManyTimes', () => {
    const cache = cacheWith([0, 0], [1, 0]);
    expect(latestEpochOf(cache)).toBe(1);
    expect(endOffsetFor(cache, 1, 0)).toEqual(at(1, 0));
    expect(endOffsetFor(cache, 0, 0)).toEqual(at(0, 0));
    expect(endOffsetFor(cache, 1, 5)).toEqual(at(1, 5));
    expect(endOffsetFor(cache, 0, 5)).toEqual(at(0, 0));
    assignEpoch(cache, 2, 5);
    expect(endOffsetFor(cache, 2, 10)).toEqual(at(2, 10));
    expect(endOffsetFor(cache, 1, 10)).toEqual(at(1, 5));
    expect(endOffsetFor(cache, 0, 10)).toEqual(at(0, 0));
  });

  it('shouldIncreaseAndTrackEpochsAsFollowerReceivesManyMessages', () => {
    const cache = cacheWith([0, 0], [0, 1], [0, 2]);
    expect(endOffsetFor(cache, 0, 3)).toEqual(at(0, 3));
    for (const o of [3, 4, 5]) assignEpoch(cache, 1, o);
    expect(latestEpochOf(cache)).toBe(1);
    expect(endOffsetFor(cache, 1, 6)).toEqual(at(1, 6));
    for (const o of [6, 7, 8]) assignEpoch(cache, 2, o);
    expect(endOffsetFor(cache, 2, 9)).toEqual(at(2, 9));
    expect(endOffsetFor(cache, 0, 9)).toEqual(at(0, 3));
    expect(endOffsetFor(cache, 1, 9)).toEqual(at(1, 6));
  });

  it('shouldDropEntriesOnEpochBoundaryWhenRemovingLatestEntries', () => {
    const cache = cacheWith([2, 6], [3, 8], [4, 11]);
    truncateEpochsFromEnd(cache, 8);
    expect(cache).toEqual([entry(2, 6)]);
  });

  it('shouldDropEntriesBetweenEpochBoundaryWhenRemovingNewest', () => {
    const cache = cacheWith([2, 6], [3, 8], [4, 11]);
    truncateEpochsFromEnd(cache, 9);
    expect(latestEpochOf(cache)).toBe(3);
    expect(cache).toEqual([entry(2, 6), entry(3, 8)]);
  });

  it('testPreviousEpoch-style truncation keeps earlier epochs', () => {
    const cache = cacheWith([2, 10], [4, 15], [10, 20]);
    truncateEpochsFromEnd(cache, 18);
    expect(cache).toEqual([entry(2, 10), entry(4, 15)]);
  });

  it('shouldPreserveResetOffsetOnClearEarliestIfOneExists', () => {
    const cache = cacheWith([2, 6], [3, 8], [4, 11]);
    truncateEpochsFromStart(cache, 8);
    expect(cache).toEqual([entry(3, 8), entry(4, 11)]);
  });

  it('shouldNotClearAnythingIfOffsetTooEarly / IsFirstOffset', () => {
    const a = cacheWith([2, 6], [3, 8], [4, 11]);
    truncateEpochsFromStart(a, 1);
    expect(a).toEqual([entry(2, 6), entry(3, 8), entry(4, 11)]);
    const b = cacheWith([2, 6], [3, 8], [4, 11]);
    truncateEpochsFromStart(b, 6);
    expect(b).toEqual([entry(2, 6), entry(3, 8), entry(4, 11)]);
  });

  it('shouldRetainLatestEpochOnClearAllEarliest', () => {
    const cache = cacheWith([2, 6], [3, 8], [4, 11]);
    truncateEpochsFromStart(cache, 11);
    expect(cache).toEqual([entry(4, 11)]);
  });

  it('shouldUpdateOffsetBetweenEpochBoundariesOnClearEarliest', () => {
    const cache = cacheWith([2, 6], [3, 8], [4, 11]);
    truncateEpochsFromStart(cache, 9);
    expect(cache).toEqual([entry(3, 9), entry(4, 11)]);
  });

  it('shouldUpdateOffsetBetweenFirstTwoEpochBoundariesOnClearEarliest', () => {
    const cache = cacheWith([0, 0], [1, 7], [2, 10]);
    truncateEpochsFromStart(cache, 5);
    expect(cache).toEqual([entry(0, 5), entry(1, 7), entry(2, 10)]);
  });

  it('shouldRetainLatestEpochOnClearAllEarliestAndUpdateItsOffset', () => {
    const cache = cacheWith([2, 6], [3, 8], [4, 11]);
    truncateEpochsFromStart(cache, 15);
    expect(cache).toEqual([entry(4, 15)]);
  });

  it('shouldNotResetEpochHistoryHeadOrTailIfUndefinedPassed', () => {
    const cache = cacheWith([2, 6], [3, 8], [4, 11]);
    truncateEpochsFromStart(cache, UNDEFINED_EPOCH_OFFSET);
    truncateEpochsFromEnd(cache, UNDEFINED_EPOCH_OFFSET);
    expect(cache).toHaveLength(3);
  });

  it('shouldFetchLatestEpochAndEndOffsetOfEmptyCache', () => {
    expect(latestEpochOf([])).toBeUndefined();
    expect(endOffsetFor([], 7, 0)).toEqual(UNDEF);
  });

  it('shouldClearEarliestAndLatestOnEmptyCache', () => {
    const cache: EpochEntry[] = [];
    expect(() => truncateEpochsFromStart(cache, 7)).not.toThrow();
    expect(() => truncateEpochsFromEnd(cache, 7)).not.toThrow();
    expect(cache).toEqual([]);
  });

  it('rejects negative epochs or offsets', () => {
    expect(() => assignEpoch([], -1, 0)).toThrow(/invalid partition leader epoch/);
    expect(() => assignEpoch([], 0, -1)).toThrow(/invalid partition leader epoch/);
  });

  it('epochForOffset', () => {
    const cache = cacheWith([0, 0], [1, 7], [2, 10]);
    expect(epochForOffset(cache, 0)).toBe(0);
    expect(epochForOffset(cache, 6)).toBe(0);
    expect(epochForOffset(cache, 7)).toBe(1);
    expect(epochForOffset(cache, 100)).toBe(2);
    expect(epochForOffset(cacheWith([3, 5]), 4)).toBeUndefined();
  });
});
