/**
 * Sweep: seeds per minute of `kafkasim sweep` (the CLI's runSweep: worker threads, random
 * faults, shrinking of failing seeds) on a 60-simulated-second variant of the failover
 * scenario (bench/scenarios/leader-failover-60s.json), the same seeds each time:
 * 1 worker on 1 core against 2 workers on 2 cores. Each run is a process of its own pinned with
 * `taskset` (a lone worker left on 2 cores is not on 1 core: V8's garbage collector works on
 * the other core, ~30% of its speed here). Figures: scaling (target >= 1.8) and seeds/min on
 * 2 cores (target >= 1,000). Wall time includes starting the workers, as the CLI's does, and
 * each run's node has the flags the CLI would start it with (--single-threaded-gc: sweepGc.ts).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { needsSingleThreadedGc, SINGLE_THREADED_GC } from '../packages/cli/src/sweepGc';
import { fmt } from './measure';

// 96 seeds, not fewer: each worker's first seeds run at a third to half speed while V8 compiles
// the model (~2.5 s a worker), which in a 24-seed sweep was a third of the 1-worker time and half
// of the 2-worker time. A sweep is thousands of seeds; 96 keeps this bench under a minute.
const SEEDS = Number(process.env.BENCH_SWEEP_SEEDS ?? 96);
const once = fileURLToPath(new URL('./sweepOnce.ts', import.meta.url));

function pinnedSweep(workers: number, cpus: string): { perMin: number; ms: number; broken: number; pinned: boolean } {
  // The node flags `kafkasim sweep --workers N` would run with on these cores (see packages/cli/src/sweepGc.ts).
  const gc = needsSingleThreadedGc(['sweep', '--workers', String(workers)], [], cpus.split(',').length) ? [SINGLE_THREADED_GC] : [];
  const args = [process.execPath, ...gc, '--import', 'tsx', once, String(SEEDS), String(workers)];
  const pinned = spawnSync('taskset', ['-c', cpus, ...args], { encoding: 'utf8' });
  const run = pinned.error ? spawnSync(args[0], args.slice(1), { encoding: 'utf8' }) : pinned;
  if (run.status !== 0) throw new Error(`sweep run failed: ${run.stderr}`);
  const { ms, broken } = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
  return { perMin: SEEDS / (ms / 60_000), ms, broken, pinned: !pinned.error };
}

export function sweepScaling() {
  const one = pinnedSweep(1, '0');
  const two = pinnedSweep(2, '0,1');
  const ratio = two.perMin / one.perMin;
  return [
    {
      name: 'sweep scaling 2c/1c',
      ratio,
      target: '>= 1.8',
      pass: ratio >= 1.8,
      detail: `${one.pinned ? '' : 'NOT PINNED (no taskset): the 1-worker run had every core; '}${SEEDS} seeds of leader-failover-60s with random faults: 1 worker on 1 core ${fmt(one.ms / 1000, 1)} s (${fmt(one.perMin, 0)} seeds/min), 2 workers on 2 cores ${fmt(two.ms / 1000, 1)} s (${fmt(two.perMin, 0)} seeds/min); ${two.broken} seeds broke an invariant (shrunk)`,
    },
    {
      name: 'sweep seeds/min (2c)',
      ratio: two.perMin,
      target: '>= 1000',
      pass: two.perMin >= 1000,
      detail: `${fmt(two.ms / SEEDS, 0)} ms of wall per seed on 2 cores, ${fmt(one.ms / SEEDS, 0)} ms on 1 (60 simulated seconds each: run and checkers; a trace hash only for a seed that broke an invariant)`,
    },
  ];
}
