import { describe, expect, it } from 'vitest';
import { RunLimitError } from './runLimits';
import { Simulation } from './simulation';
import { pingPongSimulation } from './testing/pingpong';
import type { Behavior } from './types';

/** Answers every "volley" with a "volley": over zero-latency links, forever at one instant. */
const volleyer = (peer: string | null): Behavior<null, null> => ({
  kind: 'volleyer',
  createDurable: () => null,
  boot(_disk, ctx) {
    if (peer) ctx.send(peer, { type: 'volley' });
    return null;
  },
  handle(_state, event, ctx) {
    if (event.type === 'message') ctx.send(event.from, { type: 'volley' });
  },
});

function rally(latencyMs: number, limits = {}): Simulation {
  const sim = new Simulation({ seed: 1, network: { latency: { minMs: latencyMs, maxMs: latencyMs } }, limits });
  sim.addNode('a', volleyer('b'));
  sim.addNode('b', volleyer(null));
  return sim;
}

function errorOf(run: () => void): RunLimitError {
  try {
    run();
  } catch (error) {
    if (error instanceof RunLimitError) return error;
    throw error;
  }
  throw new Error('expected a RunLimitError');
}

describe('run limits', () => {
  it('stops a livelock at one instant and names the nodes and messages that bounce', () => {
    const sim = rally(0, { maxStepsPerInstant: 5000 });
    const error = errorOf(() => sim.runUntil(1000));
    expect(error.kind).toBe('livelock');
    expect(error.time).toBe(0);
    expect(sim.now).toBe(0);
    expect(error.message).toContain('virtual time is stuck at t=0 ms');
    expect(error.message).toContain('a -> b volley (500)');
    expect(error.message).toContain('b -> a volley (500)');
  });

  it('lets the same rally run when every message takes time', () => {
    const sim = rally(1, { maxStepsPerInstant: 5000 });
    sim.runUntil(20_000);
    expect(sim.now).toBe(20_000);
  });

  it('stops a run at its step budget, before the step past it', () => {
    const sim = rally(1, { maxSteps: 300 });
    const error = errorOf(() => sim.runUntil(20_000));
    expect(error.kind).toBe('step-budget');
    expect(sim.step).toBe(300);
    expect(error.message).toBe(`the run stopped at t=${sim.now} ms after 300 steps, its step budget`);
  });

  it('carries the limits into a fork', () => {
    const sim = rally(0, { maxStepsPerInstant: 100 });
    sim.runSteps(10);
    const fork = sim.forkFrom(sim.checkpoint());
    expect(errorOf(() => fork.runUntil(0)).kind).toBe('livelock');
  });

  it('leaves an ordinary run alone, with the default limits', () => {
    const a = pingPongSimulation(7);
    a.runUntil(5000);
    const b = pingPongSimulation(7);
    b.setLimits({ maxSteps: a.step });
    b.runUntil(5000);
    expect(b.traceHash()).toBe(a.traceHash());
  });
});
