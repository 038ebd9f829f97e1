/**
 * A scenario run and checked as it goes: the sweep's checks (invariantChecksOf and
 * invariantChecksWithoutDeliveryOf in run.ts) fed by the simulation's fact sink, with no trace
 * stored. Storing a trace and reading it back is about a third of a passing sweep seed, and
 * nobody reads a passing seed's trace. The delivery report, needed only when an acks=all record
 * was lost, is made from a second run of the same scenario, which is the same run.
 */
import type { TraceEntry } from '@kafkasim/engine';
import { invariantNames, invariantPass, runCheckPass, type InvariantViolation } from '../check';
import { buildScenario, checkContextOf, type invariantChecksOf } from './run';
import type { Scenario } from './schema';

function runWithFactSink(scenario: Scenario, factSink: (entry: TraceEntry) => void): void {
  const { sim } = buildScenario(scenario, { traceMessages: false, trace: false, factSink });
  sim.runUntil(scenario.durationMs);
}

/** The run's trace as `kafkasim run` without --trace stores it (no message payloads). */
export function storedTraceOf(scenario: Scenario) {
  const { sim } = buildScenario(scenario, { traceMessages: false });
  sim.runUntil(scenario.durationMs);
  return sim.trace;
}

/** invariantChecksOf(scenario, the run's trace), without storing the trace. */
export function runAndCheck(scenario: Scenario): ReturnType<typeof invariantChecksOf> {
  const pass = runCheckPass(checkContextOf(scenario));
  runWithFactSink(scenario, pass.onEntry);
  const skipped: ReturnType<typeof invariantChecksOf>['skipped'] = [];
  const { delivery, violations } = pass.finish(() => storedTraceOf(scenario), skipped);
  return { delivery, violations, invariantNames, skipped };
}

/** invariantChecksWithoutDeliveryOf(scenario, the run's trace), without storing the trace. */
export function runAndCheckWithoutDelivery(scenario: Scenario): InvariantViolation[] {
  const pass = invariantPass(checkContextOf(scenario));
  runWithFactSink(scenario, pass.onEntry);
  return pass.finish({ records: [] });
}
