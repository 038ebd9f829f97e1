/**
 * Model throughput: a 5-broker cluster (3 coordinators), one topic of 12 partitions at RF 3,
 * 3 producers at 1,000 records/s in total (acks=all, keys spread over the partitions) and a
 * consumer group of 3, simulated for 10 minutes with the trace recorded as the visualizer records
 * it: every entry, each message with its payload's summary (engine traceStore.ts: the fields the
 * page shows; `run --trace` streams whole payloads to its file instead of holding them).
 * Figure: wall time / simulated time. Target <= 0.02 (10 simulated minutes in 12 s).
 * Also: peak memory of the run, sampled every 10 simulated seconds, against the heap limit.
 */
import v8 from 'node:v8';
import { buildScenario, validateScenario, type ScenarioInput } from '@kafkasim/kafka';
import { fmt, time } from './measure';

export const SIMULATED_MS = 10 * 60_000;

export function throughputScenario(durationMs = SIMULATED_MS): ScenarioInput {
  return {
    name: 'bench-model-throughput',
    title: 'Benchmark: 5 brokers, 12 partitions, 1,000 records/s',
    description: 'Steady load, no faults.',
    lesson: 'None: a benchmark.',
    seed: 1,
    durationMs,
    cluster: {
      brokers: 5,
      coordinators: 3,
      topics: [{ name: 'events', partitions: 12, replicationFactor: 3 }],
    },
    workload: {
      producers: [334, 333, 333].map((ratePerSec, i) => ({
        id: `producer-${i + 1}`, topic: 'events', ratePerSec, startAtMs: 1000,
        keys: { kind: 'uniform' as const, cardinality: 10_000 },
        config: { acks: 'all' as const },
      })),
      consumers: [{ idPrefix: 'consumer', group: 'readers', count: 3, topics: ['events'], startAtMs: 1000 }],
    },
  };
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

/** The JS heap plus typed-array memory: the trace's columns live outside the V8 heap but are the run's all the same. */
function heapWithArrays(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** BENCH_MODEL_TRACE=facts records the trace without message payloads (as `run` and sweeps do); =off records none. */
const traceMode = process.env.BENCH_MODEL_TRACE ?? 'full';

export function modelThroughput() {
  const scenario = validateScenario(throughputScenario(), 'bench');
  const { sim } = buildScenario(scenario, { traceMessages: traceMode === 'full' });
  if (traceMode === 'off') (sim as unknown as { recordTrace: boolean }).recordTrace = false;
  global.gc?.();
  const heapBefore = heapWithArrays();
  let peakHeap = 0;
  const run = time(() => {
    for (let t = 10_000; t <= SIMULATED_MS; t += 10_000) {
      sim.runUntil(t);
      peakHeap = Math.max(peakHeap, heapWithArrays());
    }
  });
  const ratio = run.ms / SIMULATED_MS;
  const limit = v8.getHeapStatistics().heap_size_limit;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  return {
    name: 'model wall/sim time',
    ratio,
    target: '<= 0.02',
    pass: ratio <= 0.02,
    detail: `trace ${traceMode === 'full' ? 'with payload summaries' : traceMode === 'facts' ? 'without payloads' : 'off'}: ${fmt(run.ms / 1000, 1)} s wall for ${SIMULATED_MS / 60_000} simulated min: ${sim.step} steps (${fmt(sim.step / (SIMULATED_MS / 1000), 0)}/simulated s, ${fmt((run.ms * 1000) / sim.step, 1)} µs each), `
      + `${sim.trace.length} trace entries; peak heap with typed arrays ${mb(peakHeap)} (the run ${mb(peakHeap - heapBefore)}) of a ${mb(limit)} limit (--max-old-space-size), peak RSS ${mb(peakRss)}`,
  };
}
