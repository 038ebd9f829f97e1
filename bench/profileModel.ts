/**
 * A slice of the `model` bench for profiling: `node --cpu-prof --import tsx bench/profileModel.ts`
 * runs PROFILE_SECONDS simulated seconds (default 120) of the same cluster and prints the step
 * count and µs a step, wall and CPU. BENCH_MODEL_TRACE=full|facts|off as for the bench.
 *
 * Run it from here (inside the repository's ESM package), not from a copy elsewhere: a script
 * outside a `"type": "module"` package makes tsx load the whole model as CommonJS, where every
 * call into another module goes through an export getter, ~20% slower and with `get` entries
 * all over the profile that are not the model's.
 */
import { buildScenario, validateScenario } from '@kafkasim/kafka';
import { throughputScenario } from './modelThroughput';

const simulatedMs = Number(process.env.PROFILE_SECONDS ?? 120) * 1000;
const traceMode = process.env.BENCH_MODEL_TRACE ?? 'full';
const { sim } = buildScenario(validateScenario(throughputScenario(simulatedMs), 'bench'), { traceMessages: traceMode === 'full' });
if (traceMode === 'off') (sim as unknown as { recordTrace: boolean }).recordTrace = false;

const cpuBefore = process.cpuUsage();
const wallBefore = process.hrtime.bigint();
sim.runUntil(simulatedMs);
const wallUs = Number(process.hrtime.bigint() - wallBefore) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const perStep = (us: number) => (us / sim.step).toFixed(2);
console.log(`trace ${traceMode}: ${sim.step} steps in ${simulatedMs / 1000} simulated s, ${sim.trace.length} trace entries; `
  + `µs a step: wall ${perStep(wallUs)}, CPU ${perStep(cpu.user + cpu.system)}`);
