/**
 * Time travel: rebuild the state at random steps of a 1,000,000-event run (checkpoints +
 * replay), median and worst, against the time to run one step. Target: median under 16 ms.
 */
import { Timeline } from '@kafkasim/engine';
import { pingPongSimulation } from '../packages/engine/src/testing/pingpong';
import { fmt, percentile, time } from './measure';

const EVENTS = 1_000_000;

export function timeTravel() {
  const sim = pingPongSimulation(3, { drop: 0.05 }, 1_000_000);
  sim.addNode('c', pingPongPeer('d'));
  sim.addNode('d', pingPongSink());
  const timeline = new Timeline(sim, { checkpointEvery: 2000, maxCheckpoints: 1024 });
  const run = time(() => timeline.runSteps(EVENTS));
  const steps = timeline.sim.step;
  const perStepMs = run.ms / steps;
  let x = 7;
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const target = x % steps;
    samples.push(time(() => timeline.stateAt(target)).ms);
  }
  const median = percentile(samples, 50);
  const worst = Math.max(...samples);
  return {
    name: 'time travel (median)',
    ratio: median / perStepMs,
    target: 'median < 16 ms',
    pass: median < 16,
    detail: `${steps} steps, ${timeline.checkpointCount} checkpoints every ${timeline.checkpointInterval}; rebuild median ${fmt(median)} ms, worst ${fmt(worst)} ms; one step ${fmt(perStepMs * 1000, 3)} µs (ratio = rebuild median / one step)`,
  };
}

import { pinger, ponger } from '../packages/engine/src/testing/pingpong';
function pingPongPeer(peer: string) { return pinger(peer, 1_000_000); }
function pingPongSink() { return ponger; }
