/**
 * One seed of a sweep: a random (or the scenario's own) fault schedule, a run, the invariants,
 * and for a failing seed a shrunk schedule that still breaks the same invariants, ready to be
 * saved as a scenario file that `kafkasim run` reproduces.
 */
import { traceHash } from '@kafkasim/engine';
import type { InvariantName } from '../check';
import { randomFaults } from './randomFaults';
import { buildScenario, checksOf } from './run';
import type { Fault, Scenario } from './schema';
import { shrinkFaults } from './shrink';

export interface SeedOutcome {
  seed: number;
  /** Present when broken: the run's trace hash, which `kafkasim run` of the saved file reproduces. */
  traceHash?: string;
  broken: InvariantName[];
  firstViolation: string | null;
  faults: Fault[];
  /** Present when broken: the smallest schedule found that still breaks the same invariants. */
  shrunk?: Fault[];
  shrinkRuns?: number;
}

export interface SweepOptions {
  faults: 'random' | 'scenario';
  maxFaults?: number;
  shrink?: boolean;
}

/**
 * Runs without message payloads in the trace, and hashes the trace only when an invariant broke:
 * hashing costs about a third of a passing seed, and nobody reads a passing seed's hash.
 */
function brokenBy(scenario: Scenario): { names: InvariantName[]; first: string | null; traceHash?: string } {
  const { sim } = buildScenario(scenario, { traceMessages: false });
  sim.runUntil(scenario.durationMs);
  const { violations } = checksOf(scenario, sim.trace);
  const names = [...new Set(violations.map((v) => v.invariant))].sort();
  if (names.length === 0) return { names, first: null };
  return { names, first: violations[0].message, traceHash: traceHash(sim.trace) };
}

export function sweepSeed(base: Scenario, seed: number, options: SweepOptions): SeedOutcome {
  const faults = options.faults === 'random' ? randomFaults(base, seed, { maxFaults: options.maxFaults }) : base.faults;
  const scenario = { ...base, seed, faults };
  const { names, first, traceHash } = brokenBy(scenario);
  const outcome: SeedOutcome = { seed, ...(traceHash ? { traceHash } : {}), broken: names, firstViolation: first, faults };
  if (names.length > 0 && options.shrink !== false) {
    const same = (candidate: Fault[]) => {
      const found = brokenBy({ ...scenario, faults: candidate }).names;
      return names.every((n) => found.includes(n));
    };
    const { faults: shrunk, runs } = shrinkFaults(faults, same);
    outcome.shrunk = shrunk;
    outcome.shrinkRuns = runs;
  }
  return outcome;
}

/** The scenario file saved for a failing seed. */
export function reproductionScenario(base: Scenario, outcome: SeedOutcome): Scenario {
  return {
    ...base,
    name: `${base.name}-seed-${outcome.seed}`.slice(0, 120),
    title: `${base.title} (sweep seed ${outcome.seed})`,
    description: `Found by \`kafkasim sweep\` on ${base.name}: seed ${outcome.seed} breaks ${outcome.broken.join(', ')}. The fault schedule was shrunk from ${outcome.faults.length} to ${(outcome.shrunk ?? outcome.faults).length} faults.`,
    seed: outcome.seed,
    faults: outcome.shrunk ?? outcome.faults,
    expect: { ...base.expect, invariantViolations: outcome.broken },
  };
}
