/**
 * Cancelled timers taken out of the queue (see Simulation.takeOutCancelledTimers) wait for their
 * turn here: sorted runs of frozen {time, seq}, each with a cursor. A run's array is frozen, so
 * checkpoints share it and copy only the cursors. Runs are merged like a binary counter (a new
 * run absorbs the runs not more than twice its size), so there are O(log n) of them and each
 * entry is merged O(log n) times.
 */
import { queuedBefore, type Queued } from './heap';

export interface CancelledRun {
  items: readonly Queued[];
  next: number;
}

function remaining(run: CancelledRun): number {
  return run.items.length - run.next;
}

function merge(a: CancelledRun, b: CancelledRun): CancelledRun {
  const out: Queued[] = [];
  let i = a.next;
  let j = b.next;
  while (i < a.items.length && j < b.items.length) out.push(queuedBefore(a.items[i], b.items[j]) ? a.items[i++] : b.items[j++]);
  while (i < a.items.length) out.push(a.items[i++]);
  while (j < b.items.length) out.push(b.items[j++]);
  return { items: Object.freeze(out), next: 0 };
}

/** Adds a sorted batch. */
export function addRun(runs: CancelledRun[], items: Queued[]): void {
  if (items.length === 0) return;
  let run: CancelledRun = { items: Object.freeze(items), next: 0 };
  while (runs.length > 0 && remaining(runs[runs.length - 1]) <= 2 * remaining(run)) run = merge(runs.pop()!, run);
  runs.push(run);
}

/** The run whose next entry comes first, or -1 when all are used up. */
export function earliestRun(runs: readonly CancelledRun[]): number {
  let best = -1;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r];
    if (run.next < run.items.length && (best === -1 || queuedBefore(run.items[run.next], runs[best].items[runs[best].next]))) best = r;
  }
  return best;
}

/** Consumes the next entry of run `r`, dropping the run when it is used up. */
export function advanceRun(runs: CancelledRun[], r: number): void {
  const run = runs[r];
  run.next += 1;
  if (run.next === run.items.length) runs.splice(r, 1);
}
