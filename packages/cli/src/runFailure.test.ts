import { describe, expect, it, vi } from 'vitest';
import { RunLimitError } from '@kafkasim/engine';
import { join } from 'node:path';
import { main, type Out } from './main';

// What the model throws while running, standing in for a bug or a limit the validation missed.
const failure = vi.hoisted(() => ({ error: null as unknown }));
vi.mock('@kafkasim/kafka', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@kafkasim/kafka')>()),
  runScenario: () => {
    throw failure.error;
  },
}));

const file = join(new URL('../../../', import.meta.url).pathname, 'scenarios', 'leader-failover.json');

async function cli(...argv: string[]) {
  const stderr: string[] = [];
  const out: Out = { log: () => {}, error: (t) => stderr.push(t) };
  return { code: await main(argv, out), stderr: stderr.join('\n') };
}

describe('an error while running: exit 3, one line, no stack trace', () => {
  it('a model error', async () => {
    const error = new TypeError("Cannot read properties of undefined (reading 'leader')\n  while handling Fetch");
    failure.error = error;
    expect(error.stack).toMatch(/\n\s+at /);
    const r = await cli('run', file);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe("kafkasim: internal error: TypeError: Cannot read properties of undefined (reading 'leader') / while handling Fetch");
  });

  it('a livelock, naming the variant in compare', async () => {
    failure.error = new RunLimitError('livelock', 'virtual time is stuck at t=5 ms: ...', 5, 101000);
    const r = await cli('compare', file, '--vary', 'acks=1,all');
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('kafkasim: acks=1: virtual time is stuck at t=5 ms: ...');
  });

  it('the step budget, saying what to change', async () => {
    failure.error = new RunLimitError('step-budget', 'the run stopped at t=900 ms after 20000000 steps, its step budget', 900, 20000000);
    const r = await cli('run', file);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('kafkasim: the run stopped at t=900 ms after 20000000 steps, its step budget (no scenario run may take more than 20000000 steps');
  });

  it('compare checks every variant before it runs the first', async () => {
    failure.error = new Error('the first variant ran');
    const r = await cli('compare', file, '--vary', 'delivery.timeout.ms=6000,100');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('workload.producers[0].config.delivery.timeout.ms: must be at least');
  });
});
