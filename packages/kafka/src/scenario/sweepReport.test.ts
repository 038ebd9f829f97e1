import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { InvariantName } from '../check';
import { seedsOfShard } from './shard';
import type { SeedOutcome } from './sweep';
import { mergeSweepReports, parseSweepReport, summarizeSweep, sweepIdentity, type SweepReport } from './sweepReport';
import { parseScenario } from './validate';

const root = new URL('../../../../', import.meta.url).pathname;
const failover = parseScenario(readFileSync(`${root}scenarios/leader-failover.json`, 'utf8'), 'leader-failover.json');
const identity = sweepIdentity(failover, { faults: 'random', maxFaults: 3 }, 1, 10);
const file = (o: SeedOutcome) => `leader-failover.seed-${o.seed}.json`;

const known: InvariantName[] = ['one-leader-per-epoch', 'hw-within-isr', 'committed-offsets-monotonic', 'no-acked-loss-when-promised'];
/** Seed s: every third breaks hw-within-isr, every fourth skips no-acked-loss, every fifth also checks a newer invariant the checker may add. */
function outcomeOf(seed: number): SeedOutcome {
  const skip = seed % 4 === 0;
  const checked = [...known.filter((n) => !(skip && n === 'no-acked-loss-when-promised')), ...(seed % 5 === 0 ? ['weak-isr' as InvariantName] : [])];
  const broken: InvariantName[] = seed % 3 === 0 ? ['hw-within-isr'] : [];
  return {
    seed, broken, checked, firstViolation: broken.length ? 'x' : null, faults: [],
    skipped: skip ? [{ invariant: 'no-acked-loss-when-promised', reason: seed % 8 === 0 ? 'reason a' : 'reason b' }] : [],
    ...(broken.length ? { shrunk: [], shrinkRuns: 1, traceHash: `h${seed}`, violations: [{ invariant: 'hw-within-isr', step: seed * 10, time: seed, message: 'm' }] } : {}),
  };
}
const seeds = Array.from({ length: 10 }, (_, i) => i + 1);

describe('summarizeSweep', () => {
  it('counts per invariant the seeds that checked, broke and skipped it, by reason, in the checker\'s order', () => {
    const report = summarizeSweep(identity, null, seeds.map(outcomeOf).reverse(), file);
    expect(Object.keys(report.invariants)).toEqual([...known, 'weak-isr']);
    expect(report.invariants['hw-within-isr']).toEqual({ checked: 10, broken: 3, skipped: 0, skippedBecause: {} });
    expect(report.invariants['no-acked-loss-when-promised']).toEqual({ checked: 8, broken: 0, skipped: 2, skippedBecause: { 'reason a': 1, 'reason b': 1 } });
    expect(report.invariants['weak-isr']).toEqual({ checked: 2, broken: 0, skipped: 0, skippedBecause: {} });
    expect(report.failing.map((f) => [f.seed, f.file])).toEqual([[3, 'leader-failover.seed-3.json'], [6, 'leader-failover.seed-6.json'], [9, 'leader-failover.seed-9.json']]);
    expect(report.seeds).toBe(10);
  });
});

describe('mergeSweepReports', () => {
  const shardReports = (n: number) => Array.from({ length: n }, (_, i) => {
    const shard = { index: i + 1, count: n };
    return { source: `dir-${i + 1}`, report: summarizeSweep(identity, shard, seedsOfShard(seeds, shard).map(outcomeOf), file) };
  });

  it('adds up n shards into the report of the whole sweep', () => {
    const whole = summarizeSweep(identity, null, seeds.map(outcomeOf), file);
    for (const n of [1, 2, 3, 10]) expect(mergeSweepReports(shardReports(n).reverse())).toEqual(whole);
  });

  it('refuses a missing shard, a shard given twice and a shard of another sweep, naming them', () => {
    const parts = shardReports(3);
    expect(() => mergeSweepReports(parts.slice(0, 2))).toThrow('sweep merge: missing shard 3/3 of leader-failover (seeds 1..10)');
    expect(() => mergeSweepReports([...parts, { ...parts[1], source: 'copy' }])).toThrow('sweep merge: shard 2/3 is given twice: dir-2 and copy');
    const other = { source: 'other', report: { ...parts[2].report, sweep: { ...identity, maxFaults: 5 } } };
    expect(() => mergeSweepReports([parts[0], parts[1], other])).toThrow('sweep merge: other swept maxFaults 5 but dir-1 swept 3: only the shards of one sweep merge');
    const four = { source: 'four', report: { ...parts[2].report, shard: { index: 4, count: 4 } } };
    expect(() => mergeSweepReports([parts[0], four])).toThrow('sweep merge: four is shard 4/4 but dir-1 is shard 1/3');
    expect(() => mergeSweepReports([])).toThrow('no sweep reports');
  });
});

describe('parseSweepReport', () => {
  it('reads back what summarizeSweep wrote, and names the field of a bad file', () => {
    const report = summarizeSweep(identity, { index: 1, count: 2 }, seeds.map(outcomeOf), file);
    expect(parseSweepReport(JSON.stringify(report), 'r.json')).toEqual(report);
    const broken = { ...report, sweep: { ...report.sweep, from: -1 } } as unknown as SweepReport;
    expect(() => parseSweepReport(JSON.stringify(broken), 'r.json')).toThrow('r.json: not a kafkasim sweep report (kafkasim-sweep-report/1): sweep.from:');
    expect(() => parseSweepReport('{', 'r.json')).toThrow('r.json: not JSON');
  });
});
