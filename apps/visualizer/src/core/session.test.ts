import { traceHash, traceToNdjson } from '@kafkasim/engine';
import { describe, expect, it } from 'vitest';
import { pingPongSimulation } from '../../../../packages/engine/src/testing/pingpong';
import { pingpongModel } from './pingpongModel';
import { Session } from './session';

describe('Session over the engine toy', () => {
  const session = new Session({ source: 'pingpong', seed: 7 }, pingpongModel, { checkpointEvery: 50 });

  it('gives the same trace hash as a plain run in Node', () => {
    const sim = pingPongSimulation(7);
    sim.runUntil(2000);
    const summary = session.summary(0);
    expect(summary.traceHash).toBe(traceHash(sim.trace));
    expect(summary.steps).toBe(sim.step);
    expect(summary.marks.filter((m) => m.kind === 'fault').map((m) => m.label)).toEqual([
      'network partition p1: a | b', 'partition p1 healed', 'a CRASHED', 'a restarted', 'b paused for 50 ms', 'b resumed',
    ]);
  });

  it('answers the same view at a step whatever the order of the requests', () => {
    const end = session.summary(0).steps;
    const forward = [10, 200, end - 1].map((s) => session.view(0, s));
    const backward = [end - 1, 200, 10].map((s) => session.view(0, s)).reverse();
    expect(backward).toEqual(forward);
  });

  it('shows the node crashed between the crash and the restart', () => {
    const crash = session.summary(0).marks.find((m) => m.label === 'a CRASHED')!;
    expect(session.view(0, crash.step).nodes.find((n) => n.id === 'a')!.status).toBe('crashed');
    expect(session.view(0, crash.step - 1).nodes.find((n) => n.id === 'a')!.status).toBe('up');
  });

  it('finds messages in flight from the trace', () => {
    const view = session.view(0, 40);
    for (const f of view.inFlight) {
      expect(f.sentAt).toBeLessThanOrEqual(view.time);
      expect(f.arriveAt).toBeGreaterThanOrEqual(view.time);
    }
  });

  it('maps time to the last step at or before it', () => {
    const step = session.stepAtTime(0, 300);
    expect(session.timeAt(0, step)).toBeLessThanOrEqual(300);
    expect(session.timeAt(0, step + 1)).toBeGreaterThan(300);
  });

  it('forks a live fault into a new branch and keeps the original', () => {
    const s = new Session({ source: 'pingpong', seed: 7 }, pingpongModel, { checkpointEvery: 50 });
    const before = s.summary(0).traceHash;
    const id = s.fork(0, 30, { type: 'crash', node: 'b' });
    expect(id).toBe(1);
    expect(s.summary(0).traceHash).toBe(before);
    expect(s.summary(1).traceHash).not.toBe(before);
    expect(s.view(1, 31).nodes.find((n) => n.id === 'b')!.status).toBe('crashed');
    expect(s.view(0, 31).nodes.find((n) => n.id === 'b')!.status).toBe('up');
    expect(s.view(1, 20)).toEqual({ ...s.view(0, 20), branch: 1 });
    expect(s.summary(1).branches.map((b) => b.label)).toEqual(['as scheduled', 'crash b @ step 30']);
    // A fork of a fork, before its own fork step, starts from the original's timeline.
    const again = s.fork(1, 10, { type: 'pause', node: 'a', durationMs: 20 });
    expect(s.view(again, 11).nodes.find((n) => n.id === 'a')!.status).toBe('paused');
  });

  it('reads a recorded trace without the nodes', () => {
    const sim = pingPongSimulation(7);
    sim.runUntil(2000);
    const t = new Session({ source: 'trace', file: 'pp.ndjson', ndjson: traceToNdjson(sim.trace) }, null);
    expect(t.summary(0).traceHash).toBe(traceHash(sim.trace));
    expect(t.summary(0).live).toBe(false);
    const crash = t.summary(0).marks.find((m) => m.label === 'a CRASHED')!;
    expect(t.view(0, crash.step).nodes.find((n) => n.id === 'a')!.status).toBe('crashed');
  });
});
