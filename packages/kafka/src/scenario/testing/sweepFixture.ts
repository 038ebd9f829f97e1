/**
 * A fixed set of small sweeps whose reports (tallies, failing seeds with their shrunk schedules,
 * trace hashes and first violations, and the saved reproductions) are recorded in
 * sweepFixture.json. sweepUnchanged.test.ts sweeps them again and compares: a change meant to
 * make sweeps faster must give the same reports. After an intended change of the model's
 * behaviour (the golden hashes change too), regenerate with
 * `npx tsx scripts/write-sweep-fixture.ts` and say why in the commit.
 */
import { readFileSync } from 'node:fs';
import { parseScenario } from '../validate';
import { reproductionScenario, sweepSeed, type SweepOptions } from '../sweep';
import { summarizeSweep, sweepIdentity, type SweepReport } from '../sweepReport';
import type { Scenario } from '../schema';

export interface FixtureSweep {
  file: string;
  from: number;
  count: number;
  options: SweepOptions;
}

export const fixtureSweeps: FixtureSweep[] = [
  { file: 'kip101-legacy-truncation.json', from: 21, count: 8, options: { faults: 'random', maxFaults: 3, shrink: true } },
  { file: 'leader-failover-acks-all.json', from: 1, count: 6, options: { faults: 'random', kinds: ['crash', 'pause', 'partition', 'link-fault', 'expire-session'], maxFaults: 4, shrink: true } },
  { file: 'unclean-election-data-loss.json', from: 1, count: 3, options: { faults: 'scenario', shrink: true } },
  { file: 'consumer-crash-at-least-once.json', from: 1, count: 3, options: { faults: 'random', maxFaults: 3, shrink: false } },
];

export interface FixtureReport {
  file: string;
  report: SweepReport;
  reproductions: Scenario[];
}

const scenariosDir = new URL('../../../../../scenarios/', import.meta.url).pathname;

export function loadFixtureScenario(file: string): Scenario {
  return parseScenario(readFileSync(`${scenariosDir}${file}`, 'utf8'), file);
}

/** One fixture sweep, seed by seed in this thread (the CLI's workers run the same sweepSeed). */
export function sweepFixture(sweep: FixtureSweep): FixtureReport {
  const scenario = loadFixtureScenario(sweep.file);
  const seeds = Array.from({ length: sweep.count }, (_, i) => sweep.from + i);
  const outcomes = seeds.map((seed) => sweepSeed(scenario, seed, sweep.options));
  const identity = sweepIdentity(scenario, sweep.options, sweep.from, sweep.count);
  const report = summarizeSweep(identity, null, outcomes, (o) => `${scenario.name}.seed-${o.seed}.json`);
  const reproductions = outcomes.filter((o) => o.broken.length > 0).map((o) => reproductionScenario(scenario, o));
  return { file: sweep.file, report, reproductions };
}
