/**
 * `npm run bench [engine model sweep timetravel visualizer]`: every figure is a ratio measured
 * within one run, so machine noise mostly cancels. Each bench runs in a process of its own
 * (clean heap, its own peak memory, its own heap limit); see bench/README.md for the figures.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Result {
  name: string;
  ratio: number;
  target: string;
  pass: boolean;
  detail: string;
}

/** Heap limits: the 10-minute model run keeps ~4 GB of trace; the machine has 24 GB. */
const heapMb: Record<string, number> = { engine: 2048, model: 16384, sweep: 4096, timetravel: 8192, visualizer: 512 };
const order = ['engine', 'model', 'sweep', 'timetravel', 'visualizer'];
const only = process.argv.slice(2);
const child = fileURLToPath(new URL('./child.ts', import.meta.url));

const results: Result[] = [];
for (const key of order) {
  if (only.length > 0 && !only.includes(key)) continue;
  const run = spawnSync(process.execPath, ['--expose-gc', `--max-old-space-size=${heapMb[key]}`, '--import', 'tsx', child, key], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20,
  });
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  let found: Result[];
  try {
    found = JSON.parse(last);
  } catch {
    found = [{ name: key, ratio: NaN, target: '-', pass: false, detail: `bench process failed (exit ${run.status}): ${run.stdout.slice(-500)}` }];
  }
  for (const result of found) {
    results.push(result);
    const ratio = Number.isFinite(result.ratio) ? result.ratio.toFixed(3) : 'n/a';
    console.log(`${result.pass ? 'PASS' : 'MISS'}  ${result.name.padEnd(24)} ${ratio.padStart(9)}  (target ${result.target})  ${result.detail}`);
  }
}
const missed = results.filter((r) => !r.pass).length;
console.log(`\n${results.length - missed} targets met, ${missed} missed`);
