/**
 * Engine overhead: events/s of the engine loop with a trivial handler, divided by a bare
 * binary-heap loop doing the same pushes and pops in the same process. Target >= 0.5.
 *
 * Fair comparison: both loops process EVENTS events over 16 sources, one pop and one push per
 * event, with the same delays (1..4 ms), through the same queue (the engine's EventQueue). The
 * engine additionally pays for what makes it an engine: dispatch to a node's behavior, the
 * context object, timer bookkeeping (cancellation, crash incarnations) and the world state.
 * Rounds alternate the two loops; the figure is the median of the per-round ratios.
 */
import { EventQueue, Simulation, type Behavior } from '@kafkasim/engine';
import { fmt, percentile, time } from './measure';

const EVENTS = 1_000_000;
const NODES = 16;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

/** Each node re-arms one timer per event: one push and one pop per event, as in the bare loop. */
const ticker: Behavior<null, null> = {
  kind: 'ticker',
  createDurable: () => null,
  boot(_d, ctx) { ctx.setTimer(1, 't'); return null; },
  handle(_s, event, ctx) { ctx.setTimer(1 + ((event as { timerId: number }).timerId % 4), 't'); },
};

function engineLoop(): number {
  const sim = new Simulation({ seed: 1, trace: false });
  for (let i = 0; i < NODES; i++) sim.addNode(`n${i}`, ticker);
  sim.runSteps(EVENTS);
  return sim.step;
}

function bareLoop(): number {
  const queue = new EventQueue<{ time: number; seq: number; node: number; id: number }>([]);
  let seq = 0;
  for (let i = 0; i < NODES; i++) { const s = seq++; queue.push({ time: 0, seq: s, node: i, id: 0 }, 0, s); }
  let steps = 0;
  while (steps < EVENTS) {
    const e = queue.pop()!;
    steps += 1;
    const time = e.time + 1 + (seq % 4);
    const s = seq++;
    queue.push({ time, seq: s, node: e.node, id: seq }, time, s);
  }
  return steps;
}

export function engineOverhead() {
  engineLoop(); bareLoop(); // warm up the JIT for both
  const ratios: number[] = [];
  const engineRates: number[] = [];
  const bareRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const engine = time(engineLoop);
    const bare = time(bareLoop);
    engineRates.push(engine.value / (engine.ms / 1000));
    bareRates.push(bare.value / (bare.ms / 1000));
    ratios.push(engineRates.at(-1)! / bareRates.at(-1)!);
  }
  const ratio = percentile(ratios, 50);
  return {
    name: 'engine overhead',
    ratio,
    target: '>= 0.5',
    pass: ratio >= 0.5,
    detail: `engine ${fmt(percentile(engineRates, 50) / 1e6)} M events/s, bare heap ${fmt(percentile(bareRates, 50) / 1e6)} M events/s (medians of ${ROUNDS} alternating rounds of ${EVENTS / 1e6}M events; ratios ${fmt(Math.min(...ratios))}..${fmt(Math.max(...ratios))})`,
  };
}
