import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { Simulation } from './simulation';
import { pingPongSimulation, pinger, ponger } from './testing/pingpong';
import type { Behavior, NodeContext, TraceEntry } from './types';

const acked = (sim: Simulation) => sim.node('a').state.durable.acked as number[];

describe('Simulation', () => {
  it('runs a retrying ping/pong to completion under drops, a partition, a crash and a pause', () => {
    const sim = pingPongSimulation(7);
    sim.runUntil(10_000);
    expect(acked(sim)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const types = new Set(Array.from(sim.trace, (e) => e.type));
    for (const t of ['boot', 'deliver', 'drop', 'timer', 'crash', 'restart', 'partition', 'heal', 'pause', 'resume', 'record']) {
      expect(types).toContain(t);
    }
    expect(sim.trace.some((e) => e.type === 'drop' && e.reason === 'partition')).toBe(true);
    expect(sim.trace.some((e) => e.type === 'record' && e.event === 'retry')).toBe(true);
  });

  it('feeds the fact sink every entry but deliveries, drops and timers, the same with the trace off', () => {
    const stored = pingPongSimulation(7);
    stored.runUntil(10_000);
    const expected = Array.from(stored.trace).filter((e) => !['deliver', 'drop', 'timer'].includes(e.type));
    expect(new Set(expected.map((e) => e.type))).toEqual(new Set(['boot', 'record', 'partition', 'heal', 'crash', 'restart', 'pause', 'resume']));
    for (const trace of [true, false]) {
      const seen: TraceEntry[] = [];
      const sunk = pingPongSimulation(7, { drop: 0.2 }, 200, { trace, factSink: (e) => seen.push(e) });
      sunk.runUntil(10_000);
      expect(seen).toEqual(expected);
      expect(sunk.step).toBe(stored.step);
      expect(sunk.trace.length).toBe(trace ? stored.trace.length : 0);
    }
  });

  it("hands the fact sink the model's fact object itself, and stores the fact without its event", () => {
    const facts: { event: string; n: number }[] = [];
    const factRecorder: Behavior<object, null> = {
      kind: 'facts',
      createDurable: () => ({}),
      boot(_disk, ctx) { ctx.setTimer(5, 'tick'); return null; },
      handle(_state, event, ctx) {
        if (event.type !== 'timer') return;
        const fact = { event: 'ticked', n: facts.length };
        facts.push(fact);
        ctx.recordFact!(fact);
        if (facts.length < 3) ctx.setTimer(5, 'tick');
      },
    };
    for (const trace of [true, false]) {
      facts.length = 0;
      const seen: TraceEntry[] = [];
      const sim = new Simulation({ seed: 1, trace, factSink: (e) => seen.push(e) });
      sim.addNode('f', factRecorder);
      sim.runUntil(100);
      const records = seen.filter((e) => e.type === 'record');
      expect(records.map((e) => e.data)).toEqual(facts);
      records.forEach((e, i) => expect(e.data).toBe(facts[i]));
      // Step 1 boots the node; each timer that records a fact is a step of its own.
      expect(records.map((e) => [e.step, e.time, e.node, e.event])).toEqual([[2, 5, 'f', 'ticked'], [3, 10, 'f', 'ticked'], [4, 15, 'f', 'ticked']]);
      const stored = Array.from(sim.trace).filter((e) => e.type === 'record');
      expect(stored.map((e) => [e.step, e.time, e.node, e.event, e.data])).toEqual(trace ? records.map((e, i) => [e.step, e.time, e.node, e.event, { n: i }]) : []);
    }
  });

  it('orders simultaneous events by insertion', () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNode('b', ponger);
    sim.schedule(5, { type: 'command', node: 'b', name: 'first' });
    sim.schedule(5, { type: 'command', node: 'b', name: 'second' });
    sim.runUntil(5);
    expect(sim.trace.filter((e) => e.type === 'command').map((e) => e.name)).toEqual(['first', 'second']);
  });

  it('keeps durable state and drops volatile state and timers across a crash', () => {
    const sim = new Simulation({ seed: 3 });
    sim.addNode('a', pinger('b', 5));
    sim.addNode('b', ponger);
    sim.runUntil(4);
    sim.schedule(4, { type: 'crash', node: 'a' });
    sim.runUntil(4);
    expect(sim.node('a').state.volatile).toBeNull();
    const before = acked(sim).length;
    sim.runUntil(500);
    // Crashed and never restarted: no timer of the dead incarnation fires.
    expect(acked(sim).length).toBe(before);
    expect(sim.trace.filter((e) => e.type === 'timer' && e.node === 'a' && e.time > 4)).toEqual([]);
  });

  it('drops messages in flight to a node that crashes', () => {
    const sim = new Simulation({ seed: 3, network: { latency: { minMs: 10, maxMs: 10 } } });
    sim.addNode('a', pinger('b', 1));
    sim.addNode('b', ponger);
    sim.schedule(5, { type: 'crash', node: 'b' });
    sim.runUntil(50);
    expect(sim.trace.some((e) => e.type === 'drop' && e.reason === 'node-down' && e.node === 'b')).toBe(true);
  });

  it('blocks only one direction with a one-way partition', () => {
    const sim = new Simulation({ seed: 3 });
    sim.addNode('a', pinger('b', 1));
    sim.addNode('b', ponger);
    sim.schedule(0, { type: 'partition', id: 'x', sideA: ['b'], sideB: ['a'], oneWay: true });
    sim.runUntil(60);
    expect(sim.node('b').state.durable.seen).toBeGreaterThan(1);
    expect(acked(sim)).toEqual([]);
  });

  it('holds events during a pause and handles them on resume', () => {
    const sim = new Simulation({ seed: 3, network: { latency: { minMs: 1, maxMs: 1 } } });
    sim.addNode('a', pinger('b', 1));
    sim.addNode('b', ponger);
    sim.schedule(0, { type: 'pause', node: 'b', durationMs: 100 });
    sim.runUntil(99);
    expect(sim.node('b').state.durable.seen).toBe(0);
    sim.runUntil(100);
    expect(sim.node('b').state.durable.seen).toBeGreaterThan(0);
  });

  it('duplicates messages when asked', () => {
    const sim = new Simulation({ seed: 3, network: { duplicate: 1 } });
    sim.addNode('a', pinger('b', 1));
    sim.addNode('b', ponger);
    sim.runUntil(10);
    const pings = sim.trace.filter((e) => e.type === 'deliver' && e.node === 'b');
    expect(pings.length).toBe(2);
    expect(pings[0].msgId).toBe(pings[1].msgId);
  });

  it('keeps a link FIFO across a fork, with the same lastArrival, in the same key order, as the straight run', () => {
    // Two bursts over a link with latency 1..100: the second comes after the first only if the
    // fork, checkpointed with the first in flight, kept the link's FIFO floor (lastArrival).
    const burster: Behavior<null, null> = {
      kind: 'burster',
      createDurable: () => null,
      boot(_d, ctx) {
        for (let i = 0; i < 20; i++) ctx.send('b', i);
        ctx.setTimer(2, 'again');
        return null;
      },
      handle(_s, event, ctx) {
        if (event.type === 'timer') for (let i = 20; i < 40; i++) ctx.send('b', i);
      },
    };
    const receiver: Behavior<null, null> = {
      kind: 'receiver',
      createDurable: () => null,
      boot: () => null,
      handle(_s, event, ctx) {
        if (event.type === 'message') ctx.record('got', { n: event.payload });
      },
    };
    const run = () => {
      const sim = new Simulation({ seed: 5, network: { latency: { minMs: 1, maxMs: 100 } } });
      sim.addNode('a', burster);
      sim.addNode('b', receiver);
      return sim;
    };
    const straight = run();
    straight.runUntil(1_000);
    const forked = run();
    forked.runUntil(1);
    const fork = forked.forkFrom(forked.checkpoint());
    fork.runUntil(1_000);
    const got = (sim: Simulation) => Array.from(sim.trace).filter((e) => e.type === 'record').map((e) => (e.data as { n: number }).n);
    expect(got(straight)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(got(fork)).toEqual(got(straight));
    expect(Object.entries(fork.world.network.lastArrival)).toEqual(Object.entries(straight.world.network.lastArrival));
    expect(Object.keys(straight.world.network.lastArrival)).toEqual(['a>b']);
  });

  it('rejects scheduling in the past and unknown nodes', () => {
    const sim = pingPongSimulation(1);
    sim.runUntil(50);
    expect(() => sim.schedule(10, { type: 'crash', node: 'a' })).toThrow(/>= now/);
    expect(() => sim.schedule(60, { type: 'crash', node: 'zz' })).toThrow(/unknown node zz/);
  });
});

describe('determinism', () => {
  const hashOf = (seed: number) => {
    const sim = pingPongSimulation(seed);
    sim.runUntil(10_000);
    return sim.traceHash();
  };

  it('gives the same trace hash for the same seed and a different one for another seed', () => {
    expect(hashOf(42)).toBe(hashOf(42));
    expect(hashOf(42)).not.toBe(hashOf(43));
  });

  it('gives the same trace hash in a fresh process', () => {
    const script = `import { pingPongSimulation } from './packages/engine/src/testing/pingpong.ts';
      const sim = pingPongSimulation(42); sim.runUntil(10000); console.log(sim.traceHash());`;
    const out = execFileSync('npx', ['tsx', '--eval', script], { cwd: new URL('../../..', import.meta.url).pathname, encoding: 'utf8' });
    expect(out.trim()).toBe(hashOf(42));
  });

  it('does not change the network draws when a node draws from its own stream', () => {
    // Node streams are forked by name: the retry jitter of "a" uses node:a, never the network stream.
    const a = pingPongSimulation(5);
    a.runUntil(10_000);
    const b = pingPongSimulation(5);
    b.runUntil(10_000);
    expect(a.trace.filter((e) => e.type === 'drop').map((e) => e.msgId)).toEqual(b.trace.filter((e) => e.type === 'drop').map((e) => e.msgId));
  });
});

describe('crashSelf', () => {
  it('crashes the node right after the step and restarts it later, and time travel replays it', async () => {
    const { Timeline } = await import('./timeline');
    const crashAfterThree: import('./types').Behavior<{ pongs: number }, null> = {
      kind: 'self-crasher',
      createDurable: () => ({ pongs: 0 }),
      boot: () => null,
      handle(state, event, ctx) {
        if (event.type !== 'message') return;
        state.durable.pongs += 1;
        ctx.send(event.from, { type: 'pong', n: event.payload.n });
        if (state.durable.pongs === 3) ctx.crashSelf(50);
      },
    };
    const sim = new Simulation({ seed: 2 });
    sim.addNode('a', pinger('b', 10));
    sim.addNode('b', crashAfterThree);
    const timeline = new Timeline(sim, { checkpointEvery: 7 });
    timeline.runUntil(2000);
    const crash = sim.trace.find((e) => e.type === 'crash' && e.node === 'b')!;
    const restart = sim.trace.find((e) => e.type === 'restart' && e.node === 'b')!;
    expect(restart.time - crash.time).toBe(50);
    expect(acked(sim)).toHaveLength(10);
    const straight = new Simulation({ seed: 2 });
    straight.addNode('a', pinger('b', 10));
    straight.addNode('b', crashAfterThree);
    straight.runSteps(crash.step + 3);
    expect(timeline.stateAt(crash.step + 3).nodes).toEqual(structuredClone(straight.world.nodes));
  });
});

describe('node context', () => {
  /** The context a node's boot is given, in a simulation of its own. */
  function contextOfNewSimulation(): { ctx: NodeContext; sim: Simulation } {
    let seen: NodeContext | undefined;
    const keeper: Behavior<null, null> = { kind: 'keeper', createDurable: () => null, boot(_d, ctx) { seen = ctx; ctx.setTimer(5, 'tick'); return null; }, handle() {} };
    const sim = new Simulation({ seed: 1 });
    sim.addNode('n1', keeper);
    sim.runUntil(0);
    return { ctx: seen!, sim };
  }

  it('is plain data with its getters on a prototype that every simulation shares', () => {
    // Getters of each context's own made each simulation's context a hidden class of its own,
    // and a sweep worker's model code megamorphic after a few seeds.
    const a = contextOfNewSimulation().ctx;
    const b = contextOfNewSimulation().ctx;
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
    expect(Object.getPrototypeOf(a)).not.toBe(Object.prototype);
    for (const descriptor of Object.values(Object.getOwnPropertyDescriptors(a))) expect(descriptor.get).toBeUndefined();
    expect(Object.keys(a)).toEqual(Object.keys(b));
  });

  it('reads its own simulation: the clock, and refuses to act outside a handler', () => {
    const first = contextOfNewSimulation();
    const second = contextOfNewSimulation();
    first.sim.runUntil(10);
    expect(first.ctx.now).toBe(5);
    expect(second.ctx.now).toBe(0);
    expect(() => first.ctx.self).toThrow('node context used outside a handler');
    expect(() => first.ctx.rng).toThrow('node context used outside a handler');
  });
});
