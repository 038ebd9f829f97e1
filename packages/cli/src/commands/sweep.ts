import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  applyOverrides, parseFaultKinds, parseShard, reproductionScenario, seedsOfShard, summarizeSweep, sweepIdentity,
  type FaultKind, type Scenario, type SeedOutcome, type Shard, type SweepOptions,
} from '@kafkasim/kafka';
import { intFlag, parseArgs, UsageError } from '../args';
import { loadScenario } from '../load';
import { parseSetFlags } from './run';
import { sweepMergeCommand } from './sweepMerge';
import type { Out } from '../main';
import { sweepReportText } from '../sweepText';
import type { WorkerReply } from '../sweepWorker';
import { sweepWorkerSource } from '../sweepWorkerBundle';
import { defaultSweepWorkers, MAX_SWEEP_WORKERS } from '../sweepWorkers';

/** The workers' entry through tsx, where the bundle (sweepWorkerBundle.ts) cannot be built. */
const workerUrl = new URL('../sweepWorker.mjs', import.meta.url);

/** Exit code of a sweep whose model threw: not 1, which says the sweep ran and found broken invariants. */
export const modelErrorExitCode = 3;

/** The model threw while sweeping a seed (a simulator bug, or settings it cannot run). */
export class SweepModelError extends Error {
  constructor(readonly seed: number | null, readonly detail: string) {
    super(`${seed === null ? 'a sweep worker' : `seed ${seed}`}: ${detail}`);
  }
}

/**
 * Runs the seeds on `workers` threads; calls back per finished seed. Seeds are handed out one at
 * a time as threads finish (a seed whose faults cause retries and shrinking can take several
 * times as long as another), so no thread idles while another has a queue. A seed whose model
 * throws stops the sweep: no more seeds are handed out, the seeds in flight finish, and the
 * sweep fails with the lowest seed that threw (the same seed however many threads ran, when
 * every seed throws, as a bad setting makes them).
 */
export async function runSweep(
  scenario: Scenario, seeds: number[], options: SweepOptions, workers: number, onOutcome: (o: SeedOutcome) => void,
): Promise<SeedOutcome[]> {
  const source = seeds.length > 0 ? await sweepWorkerSource() : null;
  const startWorker = () => {
    const workerData = { scenario, options };
    return source === null ? new Worker(workerUrl, { workerData }) : new Worker(source, { eval: true, workerData });
  };
  return new Promise((resolve, reject) => {
    const outcomes: SeedOutcome[] = [];
    const errors: SweepModelError[] = [];
    let next = 0;
    let running = 0;
    const finished = () => {
      if (errors.length === 0) return resolve(outcomes.sort((a, b) => a.seed - b.seed));
      const rank = (e: SweepModelError) => e.seed ?? Number.MAX_SAFE_INTEGER;
      reject(errors.sort((a, b) => rank(a) - rank(b))[0]);
    };
    const count = Math.min(workers, seeds.length);
    if (count === 0) return resolve([]);
    for (let i = 0; i < count; i++) {
      const worker = startWorker();
      running += 1;
      let current: number | null = null;
      let crashed = false;
      const feed = () => {
        current = errors.length === 0 && next < seeds.length ? seeds[next++] : null;
        worker.postMessage(current);
      };
      worker.on('message', (reply: WorkerReply) => {
        if (reply.type === 'error') {
          errors.push(new SweepModelError(reply.seed, reply.message));
        } else {
          outcomes.push(reply.outcome);
          onOutcome(reply.outcome);
        }
        feed();
      });
      worker.on('error', (error) => {
        crashed = true;
        errors.push(new SweepModelError(current, `${error.name}: ${error.message}`));
      });
      worker.on('exit', (code) => {
        running -= 1;
        if (code !== 0 && !crashed) errors.push(new SweepModelError(current, `sweep worker exited with code ${code}`));
        if (running === 0) finished();
      });
      feed();
    }
  });
}

function progressBar(done: number, total: number, failing: number, startedAt: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const minutes = (Date.now() - startedAt) / 60_000;
  const rate = minutes > 0 ? Math.round(done / minutes) : 0;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} seeds, ${failing} failing, ${rate} seeds/min`;
}

/** `--faults`: the scenario's own schedule, or random schedules drawn from a mix of fault kinds. */
function faultsFlag(text: string): { faults: SweepOptions['faults']; kinds?: FaultKind[] } {
  if (text === 'scenario') return { faults: 'scenario' };
  if (text === 'random') return { faults: 'random' };
  try {
    return { faults: 'random', kinds: parseFaultKinds(text) };
  } catch (error) {
    throw new UsageError(`--faults expects scenario, random (the default mix) or a mix of fault kinds: ${(error as Error).message}`);
  }
}

function shardFlag(text: string | undefined): Shard | null {
  if (text === undefined) return null;
  try {
    return parseShard(text);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The report's file name: shards of one sweep may share a directory. */
export const reportFileName = (shard: Shard | null) => (shard ? `sweep-report.shard-${shard.index}-of-${shard.count}.json` : 'sweep-report.json');

export async function sweepCommand(argv: string[], out: Out): Promise<number> {
  if (argv[0] === 'merge') return sweepMergeCommand(argv.slice(1), out);
  const args = parseArgs(argv, { boolean: ['json', 'no-progress', 'no-shrink'], value: ['seeds', 'from', 'faults', 'workers', 'out', 'max-faults', 'set', 'shard'] });
  if (args.positionals.length !== 1) throw new UsageError('sweep needs exactly one scenario file (or: sweep merge DIR...)');
  const { faults, kinds } = faultsFlag(args.flags.get('faults')?.at(-1) ?? 'random');
  // Bounds keep a typo from asking for what cannot run: each worker is a thread with a heap of its
  // own, each seed of a sweep is held in its report, and random schedules are shrunk fault by fault.
  const count = intFlag(args, 'seeds', 100, 1, 10_000_000);
  const from = intFlag(args, 'from', 1, 0, 2 ** 31 - 1);
  const workers = intFlag(args, 'workers', defaultSweepWorkers(availableParallelism()), 1, MAX_SWEEP_WORKERS);
  const maxFaults = intFlag(args, 'max-faults', 3, 1, 100);
  const shard = shardFlag(args.flags.get('shard')?.at(-1));
  const outDir = args.flags.get('out')?.at(-1) ?? 'sweep-out';
  const file = args.positionals[0];
  const scenario = applyOverrides(loadScenario(file), parseSetFlags(args.flags.get('set')), file);
  const allSeeds = Array.from({ length: count }, (_, i) => from + i);
  const seeds = shard ? seedsOfShard(allSeeds, shard) : allSeeds;
  const options: SweepOptions = { faults, ...(kinds ? { kinds } : {}), maxFaults, shrink: !args.flags.has('no-shrink') };
  const showProgress = !args.flags.has('no-progress') && !args.flags.has('json') && process.stderr.isTTY;

  const startedAt = Date.now();
  let done = 0;
  let failing = 0;
  let outcomes: SeedOutcome[];
  try {
    outcomes = await runSweep(scenario, seeds, options, workers, (o) => {
      done += 1;
      if (o.broken.length > 0) failing += 1;
      if (showProgress) process.stderr.write(progressBar(done, seeds.length, failing, startedAt));
    });
  } catch (error) {
    if (showProgress) process.stderr.write('\n');
    if (!(error instanceof SweepModelError)) throw error;
    out.error(`kafkasim: sweep of ${file} stopped: the model threw on ${error.message.split('\n')[0]}`);
    return modelErrorExitCode;
  }
  if (showProgress) process.stderr.write('\n');
  const elapsedMs = Date.now() - startedAt;

  mkdirSync(outDir, { recursive: true });
  const fileName = (o: SeedOutcome) => `${scenario.name}.seed-${o.seed}.json`;
  for (const o of outcomes.filter((o) => o.broken.length > 0)) {
    writeFileSync(join(outDir, fileName(o)), `${JSON.stringify(reproductionScenario(scenario, o), null, 2)}\n`);
  }
  const identity = sweepIdentity(scenario, options, from, count);
  const report = summarizeSweep(identity, shard, outcomes, fileName);
  const seedsPerMinute = elapsedMs > 0 ? Math.round(seeds.length / (elapsedMs / 60_000)) : 0;
  const timing = { workers, elapsedMs, seedsPerMinute };
  writeFileSync(join(outDir, reportFileName(shard)), `${JSON.stringify({ ...report, ...timing }, null, 2)}\n`);

  const printed = { ...report, failing: report.failing.map((o) => ({ ...o, file: join(outDir, o.file) })) };
  if (args.flags.has('json')) {
    out.log(JSON.stringify({ ...printed, ...timing }, null, 2));
  } else {
    out.log(`${scenario.name}: ${seeds.length} seeds on ${workers} worker(s) in ${(elapsedMs / 1000).toFixed(1)} s (${seedsPerMinute} seeds/min); ${report.failing.length} broke an invariant`);
    out.log(sweepReportText(printed));
  }
  return report.failing.length > 0 ? 1 : 0;
}
