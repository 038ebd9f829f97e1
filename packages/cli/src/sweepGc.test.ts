import { describe, expect, it } from 'vitest';
import { needsSingleThreadedGc, SINGLE_THREADED_GC } from './sweepGc';

describe('needsSingleThreadedGc', () => {
  it('asks for it when a sweep has a worker for every core, by default or by --workers', () => {
    expect(needsSingleThreadedGc(['sweep', 's.json'], [], 2)).toBe(true);
    expect(needsSingleThreadedGc(['sweep', 's.json', '--workers', '2'], [], 2)).toBe(true);
    expect(needsSingleThreadedGc(['sweep', 's.json', '--workers=4'], [], 2)).toBe(true);
    expect(needsSingleThreadedGc(['sweep', 's.json', '--workers', '1'], [], 1)).toBe(true);
    // More cores than the default's 64 workers: cores stay idle, the collector may use them.
    expect(needsSingleThreadedGc(['sweep', 's.json'], [], 96)).toBe(false);
  });

  it('leaves the collector alone when cores would stay idle, for other commands, and once set', () => {
    expect(needsSingleThreadedGc(['sweep', 's.json', '--workers', '1'], [], 2)).toBe(false);
    // The last --workers counts, as in the sweep command.
    expect(needsSingleThreadedGc(['sweep', 's.json', '--workers', '2', '--workers', '1'], [], 2)).toBe(false);
    expect(needsSingleThreadedGc(['sweep', 'merge', 'a', 'b'], [], 2)).toBe(false);
    expect(needsSingleThreadedGc(['run', 's.json'], [], 2)).toBe(false);
    expect(needsSingleThreadedGc(['sweep', 's.json'], [SINGLE_THREADED_GC], 2)).toBe(false);
    expect(needsSingleThreadedGc(['sweep', 's.json', '--workers', 'lots'], [], 2)).toBe(false);
  });
});
