/**
 * Engine overhead: events/s of the engine loop with a trivial handler, divided by a bare
 * binary-heap loop doing the same pushes and pops in the same process. Target >= 0.5.
 */
import { heapPop, heapPush, Simulation, type Behavior } from '@kafkasim/engine';
import { fmt, time } from './measure';

const EVENTS = 1_000_000;

/** Each node re-arms one timer per event: one push and one pop per event, as in the bare loop. */
const ticker: Behavior<null, null> = {
  kind: 'ticker',
  createDurable: () => null,
  boot(_d, ctx) { ctx.setTimer(1, 't'); return null; },
  handle(_s, event, ctx) { ctx.setTimer(1 + ((event as { timerId: number }).timerId % 4), 't'); },
};

function engineLoop(): number {
  const sim = new Simulation({ seed: 1, trace: false });
  for (let i = 0; i < 16; i++) sim.addNode(`n${i}`, ticker);
  sim.runSteps(EVENTS);
  return sim.step;
}

function bareLoop(): number {
  const heap: { time: number; seq: number; node: number }[] = [];
  let seq = 0;
  let x = 12345;
  for (let i = 0; i < 16; i++) heapPush(heap, { time: 1, seq: seq++, node: i });
  let steps = 0;
  while (steps < EVENTS) {
    const e = heapPop(heap)!;
    steps += 1;
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    heapPush(heap, { time: e.time + 1 + (x % 4), seq: seq++, node: e.node });
  }
  return steps;
}

export function engineOverhead() {
  engineLoop(); bareLoop(); // warm up the JIT for both
  const engine = time(engineLoop);
  const bare = time(bareLoop);
  const engineRate = engine.value / (engine.ms / 1000);
  const bareRate = bare.value / (bare.ms / 1000);
  const ratio = engineRate / bareRate;
  return {
    name: 'engine overhead',
    ratio,
    target: '>= 0.5',
    pass: ratio >= 0.5,
    detail: `engine ${fmt(engineRate / 1e6)} M events/s, bare heap ${fmt(bareRate / 1e6)} M events/s`,
  };
}
