/**
 * Time travel: rebuild the state at random steps of a 1,000,000-event run of the Kafka model
 * (the model-throughput cluster: 5 brokers, 12 partitions, 1,000 records/s), median and worst,
 * against the time to run one step. Target: median under 16 ms (a frame).
 *
 * The run records its trace with message payloads, as the visualizer does. A rebuild is
 * Timeline.stateAt: thaw the nearest checkpoint, replay up to `CHECKPOINT_EVERY - 1` steps,
 * snapshot the result (deep-frozen).
 */
import { Timeline } from '@kafkasim/engine';
import { buildScenario, validateScenario } from '@kafkasim/kafka';
import { fmt, percentile, time } from './measure';
import { throughputScenario } from './modelThroughput';

const EVENTS = 1_000_000;
const CHECKPOINT_EVERY = 500;
const SAMPLES = 200;

export function timeTravel() {
  // 10 simulated minutes is far more than 1M steps need (about 63 s): runSteps stops at 1M.
  const { sim } = buildScenario(validateScenario(throughputScenario(), 'bench'), { traceMessages: true });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const timeline = new Timeline(sim, { checkpointEvery: CHECKPOINT_EVERY, maxCheckpoints: 4096 });
  const run = time(() => timeline.runSteps(EVENTS));
  const steps = timeline.sim.step;
  const perStepMs = run.ms / steps;
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  let x = 7;
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    const target = x % steps;
    samples.push(time(() => timeline.stateAt(target)).ms);
  }
  const median = percentile(samples, 50);
  const worst = Math.max(...samples);
  const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;
  return {
    name: 'time travel (median)',
    ratio: median / perStepMs,
    target: 'median < 16 ms',
    pass: median < 16,
    detail: `${steps} steps (${fmt(sim.now / 1000, 1)} s simulated), ${timeline.checkpointCount} checkpoints every ${timeline.checkpointInterval} steps; `
      + `rebuild of ${SAMPLES} random steps: median ${fmt(median)} ms, p95 ${fmt(percentile(samples, 95))} ms, worst ${fmt(worst)} ms; `
      + `one step ${fmt(perStepMs * 1000, 1)} µs (ratio = rebuild median / one step); run + checkpoints + trace ${mb(heapAfter - heapBefore)} heap (with typed arrays)`,
  };
}
