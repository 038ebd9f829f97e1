/**
 * Shrinks a failing fault schedule: drop faults one at a time (a restart/heal goes with its
 * crash/partition only when the check still fails without it) while the failure remains,
 * until no single removal keeps it failing. Deterministic because each run is.
 */
import type { Fault } from './schema';

export function shrinkFaults(faults: Fault[], stillFails: (candidate: Fault[]) => boolean, maxRuns = 60): { faults: Fault[]; runs: number } {
  let current = faults;
  let runs = 0;
  let progress = true;
  while (progress && runs < maxRuns) {
    progress = false;
    for (let i = 0; i < current.length && runs < maxRuns; i++) {
      const candidate = current.filter((_, j) => j !== i);
      runs += 1;
      if (stillFails(candidate)) {
        current = candidate;
        progress = true;
        break;
      }
    }
  }
  return { faults: current, runs };
}
