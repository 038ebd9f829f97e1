/**
 * Cancelled timers taken out of the queue (see Simulation.takeOutCancelledTimers) wait for their
 * turn here: sorted runs of frozen {time, seq}, each with a cursor. A run's array is frozen, so
 * checkpoints share it and copy only the cursors. The runs are never merged: the list is a
 * binary min-heap of runs ordered by their next entry, so the earliest is the first and taking
 * an entry re-places only its run (usually at once: consecutive entries tend to come from the
 * same run). Merging runs like a binary counter kept fewer of them but copied each entry
 * O(log n) times; there is one run per purge still in the future, a few dozen.
 */
import { queuedBefore, type Queued } from './heap';

export interface CancelledRun {
  items: readonly Queued[];
  next: number;
}

function headBefore(a: CancelledRun, b: CancelledRun): boolean {
  return queuedBefore(a.items[a.next], b.items[b.next]);
}

function siftUp(runs: CancelledRun[], i: number): void {
  const run = runs[i];
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!headBefore(run, runs[parent])) break;
    runs[i] = runs[parent];
    i = parent;
  }
  runs[i] = run;
}

function siftDown(runs: CancelledRun[], i: number): void {
  const run = runs[i];
  const n = runs.length;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && headBefore(runs[child + 1], runs[child])) child += 1;
    if (!headBefore(runs[child], run)) break;
    runs[i] = runs[child];
    i = child;
  }
  runs[i] = run;
}

/** Puts runs in heap order again (a world restored from elsewhere), dropping used-up ones. */
export function orderRuns(runs: CancelledRun[]): void {
  let kept = 0;
  for (const run of runs) if (run.next < run.items.length) runs[kept++] = run;
  runs.length = kept;
  for (let i = (kept >> 1) - 1; i >= 0; i--) siftDown(runs, i);
}

/** Keys time * 2^bits + seq stay exact doubles below 2^53. */
const MAX_KEY_BITS = 53;

/**
 * The queue places of `events`, frozen, sorted into queue order. Sorting doubles in a typed
 * array (time and seq packed into one exact key) needs no comparator calls; when the numbers
 * are too large to pack, a comparator sort does the same.
 */
export function sortedPlaces(events: readonly Queued[]): Queued[] {
  const n = events.length;
  let maxTime = 0;
  let maxSeq = 0;
  let integers = true;
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (!(Number.isSafeInteger(e.time) && e.time >= 0 && Number.isSafeInteger(e.seq) && e.seq >= 0)) integers = false;
    if (e.time > maxTime) maxTime = e.time;
    if (e.seq > maxSeq) maxSeq = e.seq;
  }
  let scale = 1;
  while (scale <= maxSeq) scale *= 2;
  const out: Queued[] = new Array(n);
  // Exact: every key is below (maxTime + 1) * scale, a product of an integer and a power of two.
  const packable = integers && (maxTime + 1) * scale <= 2 ** MAX_KEY_BITS;
  if (!packable) {
    for (let i = 0; i < n; i++) out[i] = Object.freeze({ time: events[i].time, seq: events[i].seq });
    return out.sort((a, b) => (queuedBefore(a, b) ? -1 : 1));
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = events[i].time * scale + events[i].seq;
  keys.sort();
  for (let i = 0; i < n; i++) {
    const time = Math.floor(keys[i] / scale);
    out[i] = Object.freeze({ time, seq: keys[i] - time * scale });
  }
  return out;
}

/** Adds a sorted batch. */
export function addRun(runs: CancelledRun[], items: Queued[]): void {
  if (items.length === 0) return;
  runs.push({ items: Object.freeze(items), next: 0 });
  siftUp(runs, runs.length - 1);
}

/** The run whose next entry comes first, or -1 when all are used up. */
export function earliestRun(runs: readonly CancelledRun[]): number {
  return runs.length === 0 ? -1 : 0;
}

/** Consumes the next entry of run `r`, dropping the run when it is used up. */
export function advanceRun(runs: CancelledRun[], r: number): void {
  const run = runs[r];
  run.next += 1;
  if (run.next < run.items.length) {
    siftDown(runs, r);
    return;
  }
  const last = runs.pop()!;
  if (r === runs.length) return;
  runs[r] = last;
  siftDown(runs, r);
  siftUp(runs, r);
}
