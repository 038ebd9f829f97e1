/** One timed sweep (`tsx bench/sweepOnce.ts <seeds> <workers>`), printed as JSON; bench/sweep.ts runs it pinned to cores. */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseScenario } from '@kafkasim/kafka';
import { runSweep } from '../packages/cli/src/commands/sweep';

const [seedCount, workers] = process.argv.slice(2).map(Number);
const file = new URL('./scenarios/leader-failover-60s.json', import.meta.url);
const scenario = parseScenario(readFileSync(file, 'utf8'), 'leader-failover-60s.json');
const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
const started = performance.now();
const outcomes = await runSweep(scenario, seeds, { faults: 'random', maxFaults: 3, shrink: true }, workers, () => {});
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, broken: outcomes.filter((o) => o.broken.length > 0).length }));
