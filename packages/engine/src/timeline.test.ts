import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Timeline } from './timeline';
import { pingPongSimulation } from './testing/pingpong';

function straightRunStates(seed: number, steps: number) {
  const sim = pingPongSimulation(seed);
  const states = [structuredClone(sim.world.nodes)];
  for (let i = 0; i < steps && sim.stepOnce(); i++) states.push(structuredClone(sim.world.nodes));
  return states;
}

describe('Timeline (time travel)', () => {
  it('rebuilds the state at any step equal to a straight run', () => {
    const straight = straightRunStates(11, 600);
    const timeline = new Timeline(pingPongSimulation(11), { checkpointEvery: 50 });
    timeline.runSteps(600);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: straight.length - 1 }), (step) => {
        expect(timeline.stateAt(step).nodes).toEqual(straight[step]);
      }),
      { numRuns: 60, seed: 1 },
    );
  });

  it('steps backwards and forwards without disturbing the live run', () => {
    const timeline = new Timeline(pingPongSimulation(12), { checkpointEvery: 25 });
    timeline.runSteps(300);
    const live = timeline.sim.traceHash();
    for (const step of [299, 10, 11, 12, 150, 149, 0, 300]) timeline.stateAt(step);
    expect(timeline.sim.traceHash()).toBe(live);
    timeline.runSteps(100);
    const reference = pingPongSimulation(12);
    reference.runSteps(400);
    expect(timeline.sim.traceHash()).toBe(reference.traceHash());
  });

  it('bounds the number of checkpoints by doubling the interval', () => {
    const timeline = new Timeline(pingPongSimulation(13), { checkpointEvery: 2, maxCheckpoints: 8 });
    timeline.runSteps(400);
    expect(timeline.checkpointCount).toBeLessThanOrEqual(9);
    expect(timeline.stateAt(399).step).toBe(399);
  });

  it('forks a new run from a past step, leaving the original reachable', () => {
    const timeline = new Timeline(pingPongSimulation(14), { checkpointEvery: 40 });
    timeline.runSteps(200);
    const original = timeline.stateAt(100);
    const fork = timeline.forkAt(100);
    fork.schedule(fork.now, { type: 'crash', node: 'b' });
    fork.runSteps(50);
    expect(fork.node('b').status).toBe('crashed');
    expect(timeline.stateAt(100)).toEqual(original);
  });

  it('records the trace of a fork from a replayed step as the original run does', () => {
    const timeline = new Timeline(pingPongSimulation(14), { checkpointEvery: 40 });
    timeline.runSteps(200);
    const fork = timeline.forkAt(100);
    fork.runSteps(50);
    expect(fork.trace.length).toBeGreaterThan(0);
    expect(fork.trace.at(0)!.step).toBe(101);
    // Without a fault the fork replays the original exactly, entry for entry.
    const original = timeline.sim.trace.filter((e) => e.step > 100 && e.step <= 150);
    expect([...fork.trace]).toEqual(original);
  });

  it('peeks at the same state as it snapshots, at any step and in any order, without disturbing the live run', () => {
    const straight = straightRunStates(16, 400);
    const timeline = new Timeline(pingPongSimulation(16), { checkpointEvery: 30 });
    timeline.runSteps(400);
    const live = timeline.sim.traceHash();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: straight.length - 1 }), (step) => {
        const peeked = timeline.peekAt(step);
        expect(peeked.step).toBe(step);
        expect(peeked.nodes).toEqual(straight[step]);
        expect(timeline.stateAt(step)).toEqual(timeline.peekAt(step));
      }),
      { numRuns: 60, seed: 2 },
    );
    expect(timeline.sim.traceHash()).toBe(live);
    expect(() => timeline.peekAt(401)).toThrow(/outside/);
  });

  it('hands out frozen snapshots', () => {
    const timeline = new Timeline(pingPongSimulation(15));
    timeline.runSteps(20);
    const snap = timeline.stateAt(10);
    expect(Object.isFrozen(snap.nodes)).toBe(true);
    expect(() => timeline.stateAt(21)).toThrow(/outside/);
  });
});
