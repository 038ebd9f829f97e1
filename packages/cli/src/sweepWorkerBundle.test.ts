import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario, sweepSeed, type SweepOptions } from '@kafkasim/kafka';
import { runSweep } from './commands/sweep';
import { sweepWorkerSource } from './sweepWorkerBundle';
import { scenario } from './testing/cli';

describe('sweep workers started from one bundle', () => {
  it('builds the bundle here (esbuild comes with tsx), so that workers skip tsx', async () => {
    const source = await sweepWorkerSource();
    expect(source).not.toBeNull();
    expect(source).toContain('sweepSeed');
    expect(await sweepWorkerSource()).toBe(source);
  });

  it('gives the outcomes a sweep in this thread gives, seed for seed', async () => {
    const legacy = parseScenario(readFileSync(scenario('kip101-legacy-truncation.json'), 'utf8'), 'kip101-legacy-truncation.json');
    const options: SweepOptions = { faults: 'random', maxFaults: 3, shrink: true };
    const seeds = [21, 22, 23, 24];
    const viaWorkers = await runSweep(legacy, seeds, options, 2, () => {});
    expect(viaWorkers.some((o) => o.broken.length > 0)).toBe(true);
    expect(viaWorkers).toEqual(seeds.map((seed) => sweepSeed(legacy, seed, options)));
  }, 60_000);
});
