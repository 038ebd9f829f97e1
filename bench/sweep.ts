/**
 * Sweep: seeds per minute of `kafkasim sweep` (the CLI's runSweep: worker threads, random
 * faults, shrinking of failing seeds) on a 60-simulated-second variant of the failover
 * scenario (bench/scenarios/leader-failover-60s.json), on 1 worker and on 2 workers, the same
 * seeds each time. Figures: scaling 2 workers / 1 (target >= 1.8) and seeds/min on 2 workers
 * (target >= 1,000). Wall time includes starting the workers, as the CLI's does.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseScenario } from '@kafkasim/kafka';
import { runSweep } from '../packages/cli/src/commands/sweep';
import { fmt } from './measure';

const SEEDS = Number(process.env.BENCH_SWEEP_SEEDS ?? 24);
const file = new URL('./scenarios/leader-failover-60s.json', import.meta.url);

async function seedsPerMinute(workers: number): Promise<{ perMin: number; ms: number; broken: number }> {
  const scenario = parseScenario(readFileSync(file, 'utf8'), 'leader-failover-60s.json');
  const seeds = Array.from({ length: SEEDS }, (_, i) => i + 1);
  const started = performance.now();
  const outcomes = await runSweep(scenario, seeds, { faults: 'random', maxFaults: 3, shrink: true }, workers, () => {});
  const ms = performance.now() - started;
  return { perMin: SEEDS / (ms / 60_000), ms, broken: outcomes.filter((o) => o.broken.length > 0).length };
}

export async function sweepScaling() {
  const one = await seedsPerMinute(1);
  const two = await seedsPerMinute(2);
  const ratio = two.perMin / one.perMin;
  return [
    {
      name: 'sweep scaling 2w/1w',
      ratio,
      target: '>= 1.8',
      pass: ratio >= 1.8,
      detail: `${SEEDS} seeds of leader-failover-60s with random faults: 1 worker ${fmt(one.ms / 1000, 1)} s (${fmt(one.perMin, 0)} seeds/min), 2 workers ${fmt(two.ms / 1000, 1)} s (${fmt(two.perMin, 0)} seeds/min); ${two.broken} seeds broke an invariant (shrunk)`,
    },
    {
      name: 'sweep seeds/min (2w)',
      ratio: two.perMin,
      target: '>= 1000',
      pass: two.perMin >= 1000,
      detail: `${fmt(two.ms / SEEDS, 0)} ms of wall per seed on 2 workers, ${fmt(one.ms / SEEDS, 0)} ms on 1 (60 simulated seconds each: run and checkers; a trace hash only for a seed that broke an invariant)`,
    },
  ];
}
