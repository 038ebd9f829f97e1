/**
 * One seed of a sweep: a random (or the scenario's own) fault schedule, a run, the invariants,
 * and for a failing seed a shrunk schedule that still breaks the same invariants, ready to be
 * saved as a scenario file that `kafkasim run` reproduces.
 */
import { traceHash } from '@kafkasim/engine';
import type { InvariantName, InvariantSkip, InvariantViolation } from '../check';
import { runAndCheck, runAndCheckWithoutDelivery, storedTraceOf } from './checkedRun';
import { randomFaults, type FaultKind } from './randomFaults';
import { invariantChecksOf } from './run';
import type { Fault, Scenario } from './schema';
import { shrinkFaults } from './shrink';

export interface SeedOutcome {
  seed: number;
  /** The invariants the seed's own run (before shrinking) broke. */
  broken: InvariantName[];
  /** The invariants the seed's own run checked: every one the checker knows but those it skipped. */
  checked: InvariantName[];
  /** The invariants the seed's own run did not check, with the reason (their premise did not hold). */
  skipped: InvariantSkip[];
  firstViolation: string | null;
  faults: Fault[];
  /** Present when broken: the smallest schedule found that still breaks the same invariants. */
  shrunk?: Fault[];
  shrinkRuns?: number;
  /** Present when broken: the trace hash of the saved run (the shrunk one), which `kafkasim run` of the saved file reproduces. */
  traceHash?: string;
  /** Present when broken: in the saved run, the first violation of each invariant it breaks (step, time, message). */
  violations?: InvariantViolation[];
}

export interface SweepOptions {
  faults: 'random' | 'scenario';
  /** The fault kinds random schedules draw from (default: randomFaults' default mix). */
  kinds?: FaultKind[];
  maxFaults?: number;
  shrink?: boolean;
}

interface Checked {
  names: InvariantName[];
  violations: InvariantViolation[];
  skipped: InvariantSkip[];
  checked: InvariantName[];
}

interface Candidate {
  names: InvariantName[];
}

const namesOf = (violations: InvariantViolation[]) => [...new Set(violations.map((v) => v.invariant))].sort();

/**
 * Every invariant of a run, checked as it runs (checkedRun.ts): only the saved run's trace is
 * stored and hashed, since nobody reads a passing seed's trace or hash.
 */
function checked(scenario: Scenario): Checked {
  const { violations, skipped, invariantNames } = runAndCheck(scenario);
  const checkedNames = invariantNames.filter((n) => !skipped.some((s) => s.invariant === n));
  return { names: namesOf(violations), violations, skipped, checked: checkedNames };
}

/**
 * A shrink candidate: only which invariants it breaks. Unless the seed broke
 * no-acked-loss-when-promised, that is known without the delivery report; the saved run is
 * checked in full afterwards.
 */
function candidate(scenario: Scenario, needsDelivery: boolean): Candidate | Checked {
  return needsDelivery ? checked(scenario) : { names: namesOf(runAndCheckWithoutDelivery(scenario)) };
}

function firstOfEach(violations: InvariantViolation[]): InvariantViolation[] {
  const first = new Map<string, InvariantViolation>();
  for (const v of violations) if (!first.has(v.invariant)) first.set(v.invariant, v);
  return [...first.values()];
}

export function sweepSeed(base: Scenario, seed: number, options: SweepOptions): SeedOutcome {
  const faults = options.faults === 'random' ? randomFaults(base, seed, { maxFaults: options.maxFaults, kinds: options.kinds }) : base.faults;
  const scenario = { ...base, seed, faults };
  const run = checked(scenario);
  const outcome: SeedOutcome = {
    seed, broken: run.names, checked: run.checked, skipped: run.skipped, firstViolation: run.violations[0]?.message ?? null, faults,
  };
  if (run.names.length === 0) return outcome;
  // The saved run: the last shrink candidate that still broke every invariant the seed broke,
  // or the seed's own run when shrinking is off or found nothing to drop.
  let saved: { faults: Fault[]; found: Candidate | Checked } = { faults, found: run };
  if (options.shrink !== false) {
    const needsDelivery = run.names.includes('no-acked-loss-when-promised');
    const same = (schedule: Fault[]) => {
      const found = candidate({ ...scenario, faults: schedule }, needsDelivery);
      const keeps = run.names.every((n) => found.names.includes(n));
      if (keeps) saved = { faults: schedule, found };
      return keeps;
    };
    const { faults: shrunk, runs } = shrinkFaults(faults, same);
    outcome.shrunk = shrunk;
    outcome.shrinkRuns = runs;
  }
  // The saved run once more, its trace stored this time, for the hash that `kafkasim run` of the saved file reproduces.
  const savedScenario = { ...scenario, faults: saved.faults };
  const trace = storedTraceOf(savedScenario);
  outcome.traceHash = traceHash(trace);
  outcome.violations = firstOfEach('violations' in saved.found ? saved.found.violations : invariantChecksOf(savedScenario, trace).violations);
  return outcome;
}

/** The scenario file saved for a failing seed: its expectation is what the saved (shrunk) run breaks. */
export function reproductionScenario(base: Scenario, outcome: SeedOutcome): Scenario {
  const violations = outcome.violations ?? [];
  const broken = violations.length > 0 ? [...new Set(violations.map((v) => v.invariant))].sort() : outcome.broken;
  const where = violations.map((v) => `${v.invariant} first breaks at step ${v.step} (t=${v.time} ms): ${v.message}`).join('; ');
  return {
    ...base,
    name: `${base.name}-seed-${outcome.seed}`.slice(0, 120),
    title: `${base.title} (sweep seed ${outcome.seed})`,
    description: `Found by \`kafkasim sweep\` on ${base.name}: seed ${outcome.seed} breaks ${broken.join(', ')}${where ? `. ${where}` : ''}. The fault schedule was shrunk from ${outcome.faults.length} to ${(outcome.shrunk ?? outcome.faults).length} faults; trace hash ${outcome.traceHash ?? 'not computed'}.`,
    seed: outcome.seed,
    faults: outcome.shrunk ?? outcome.faults,
    expect: { ...base.expect, invariantViolations: broken },
  };
}
