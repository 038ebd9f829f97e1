import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureSweeps, sweepFixture, type FixtureReport } from './testing/sweepFixture';

const recorded: FixtureReport[] = JSON.parse(readFileSync(new URL('./testing/sweepFixture.json', import.meta.url), 'utf8'));

// Recorded before the sweep was made faster (skipping Jepsen, one checker pass, prepared
// scenarios, cheaper shrinking): every later sweep of these seeds must report the same.
describe('a sweep reports what it reported before it was made faster', () => {
  it('records at least one failing seed with a shrunk schedule, so that the comparison covers shrinking and reproductions', () => {
    const failing = recorded.flatMap((r) => r.report.failing);
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.some((f) => f.shrunk && f.shrunk.length < f.faults.length)).toBe(true);
  });

  for (const [i, sweep] of fixtureSweeps.entries()) {
    it(`${sweep.file} seeds ${sweep.from}..${sweep.from + sweep.count - 1} (${sweep.options.faults} faults): same tallies, failing seeds and reproductions`, () => {
      expect(recorded[i].file).toBe(sweep.file);
      expect(sweepFixture(sweep)).toEqual(recorded[i]);
    }, 60_000);
  }
});
