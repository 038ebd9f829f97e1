import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { applyOverrides, reproductionScenario, type Scenario, type SeedOutcome, type SweepOptions } from '@kafkasim/kafka';
import { intFlag, parseArgs, UsageError } from '../args';
import { loadScenario } from '../load';
import { parseSetFlags } from './run';
import type { Out } from '../main';
import { table } from '../table';

const workerUrl = new URL('../sweepWorker.mjs', import.meta.url);

/**
 * Runs the seeds on `workers` threads; calls back per finished seed. Seeds are handed out one at
 * a time as threads finish (a seed whose faults cause retries and shrinking can take several
 * times as long as another), so no thread idles while another has a queue.
 */
export function runSweep(
  scenario: Scenario, seeds: number[], options: SweepOptions, workers: number, onOutcome: (o: SeedOutcome) => void,
): Promise<SeedOutcome[]> {
  const outcomes: SeedOutcome[] = [];
  let next = 0;
  const nextSeed = () => (next < seeds.length ? seeds[next++] : null);
  return Promise.all(
    Array.from({ length: Math.min(workers, seeds.length) }, () => new Promise<void>((resolve, reject) => {
      const worker = new Worker(workerUrl, { workerData: { scenario, options } });
      worker.on('message', (outcome: SeedOutcome) => {
        outcomes.push(outcome);
        onOutcome(outcome);
        worker.postMessage(nextSeed());
      });
      worker.on('error', reject);
      worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sweep worker exited with code ${code}`))));
      worker.postMessage(nextSeed());
    })),
  ).then(() => outcomes.sort((a, b) => a.seed - b.seed));
}

function progressBar(done: number, total: number, failing: number, startedAt: number): string {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const minutes = (Date.now() - startedAt) / 60_000;
  const rate = minutes > 0 ? Math.round(done / minutes) : 0;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} seeds, ${failing} failing, ${rate} seeds/min`;
}

export async function sweepCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { boolean: ['json', 'no-progress', 'no-shrink'], value: ['seeds', 'from', 'faults', 'workers', 'out', 'max-faults', 'set'] });
  if (args.positionals.length !== 1) throw new UsageError('sweep needs exactly one scenario file');
  const faults = args.flags.get('faults')?.at(-1) ?? 'random';
  if (faults !== 'random' && faults !== 'scenario') throw new UsageError(`--faults expects random or scenario, got "${faults}"`);
  const count = intFlag(args, 'seeds', 100, 1);
  const from = intFlag(args, 'from', 1, 0);
  const workers = intFlag(args, 'workers', Math.max(1, availableParallelism()), 1);
  const maxFaults = intFlag(args, 'max-faults', 3, 1);
  const outDir = args.flags.get('out')?.at(-1) ?? 'sweep-out';
  const file = args.positionals[0];
  const scenario = applyOverrides(loadScenario(file), parseSetFlags(args.flags.get('set')), file);
  const seeds = Array.from({ length: count }, (_, i) => from + i);
  const showProgress = !args.flags.has('no-progress') && !args.flags.has('json') && process.stderr.isTTY;

  const startedAt = Date.now();
  let done = 0;
  let failing = 0;
  const outcomes = await runSweep(scenario, seeds, { faults, maxFaults, shrink: !args.flags.has('no-shrink') }, workers, (o) => {
    done += 1;
    if (o.broken.length > 0) failing += 1;
    if (showProgress) process.stderr.write(progressBar(done, count, failing, startedAt));
  });
  if (showProgress) process.stderr.write('\n');
  const elapsedMs = Date.now() - startedAt;

  const failures = outcomes.filter((o) => o.broken.length > 0);
  const saved = failures.map((o) => {
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `${scenario.name}.seed-${o.seed}.json`);
    writeFileSync(file, `${JSON.stringify(reproductionScenario(scenario, o), null, 2)}\n`);
    return { ...o, file };
  });
  const seedsPerMinute = Math.round(count / (elapsedMs / 60_000));
  if (args.flags.has('json')) {
    out.log(JSON.stringify({ scenario: scenario.name, seeds: count, workers, elapsedMs, seedsPerMinute, failing: saved }, null, 2));
  } else {
    out.log(`${scenario.name}: ${count} seeds on ${workers} worker(s) in ${(elapsedMs / 1000).toFixed(1)} s (${seedsPerMinute} seeds/min); ${failures.length} broke an invariant`);
    if (saved.length > 0) {
      out.log('');
      out.log(table(['seed', 'broken invariants', 'faults', 'shrunk to', 'reproduce with'], saved.map((o) => [
        o.seed, o.broken.join(', '), o.faults.length, (o.shrunk ?? o.faults).length, `kafkasim run ${o.file}`,
      ])));
    }
  }
  return failures.length > 0 ? 1 : 0;
}
