/**
 * Cancelled timers taken out of the queue (see Simulation.takeOutCancelledTimers) wait for their
 * turn here: sorted runs of places (time, seq), each with a cursor. A run's places are two typed
 * arrays in a frozen wrapper that nothing writes after it is made, so checkpoints share it and
 * copy only the cursors; no object is made per cancelled timer (freezing one each was half the
 * cost of taking them out). The runs are never merged: the list is a binary min-heap of runs
 * ordered by their next place, so the earliest is the first and taking a place re-places only
 * its run (usually at once: consecutive places tend to come from the same run). Merging runs
 * like a binary counter kept fewer of them but copied each place O(log n) times; there is one
 * run per purge still in the future, a few dozen.
 */
import { queuedBefore, type Queued } from './queueOrder';

/** Places in queue order: place i is (times[i], seqs[i]). Frozen and never written. */
export interface RunPlaces {
  readonly times: Float64Array;
  readonly seqs: Float64Array;
}

export interface CancelledRun {
  places: RunPlaces;
  next: number;
}

function headBefore(a: CancelledRun, b: CancelledRun): boolean {
  const at = a.places.times[a.next];
  const bt = b.places.times[b.next];
  return at < bt || (at === bt && a.places.seqs[a.next] < b.places.seqs[b.next]);
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
  for (const run of runs) if (run.next < run.places.times.length) runs[kept++] = run;
  runs.length = kept;
  for (let i = (kept >> 1) - 1; i >= 0; i--) siftDown(runs, i);
}

/** Keys time * 2^bits + seq stay exact doubles below 2^53. */
const MAX_KEY_BITS = 53;

/**
 * The queue places of `events`, sorted into queue order. Sorting doubles in a typed array (time
 * and seq packed into one exact key) needs no comparator calls; when the numbers are too large
 * to pack, a comparator sort does the same.
 */
export function sortedPlaces(events: readonly Queued[]): RunPlaces {
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
  const times = new Float64Array(n);
  const seqs = new Float64Array(n);
  // Exact: every key is below (maxTime + 1) * scale, a product of an integer and a power of two.
  const packable = integers && (maxTime + 1) * scale <= 2 ** MAX_KEY_BITS;
  if (!packable) {
    const sorted = events.slice().sort((a, b) => (queuedBefore(a, b) ? -1 : 1));
    for (let i = 0; i < n; i++) {
      times[i] = sorted[i].time;
      seqs[i] = sorted[i].seq;
    }
    return Object.freeze({ times, seqs });
  }
  // The keys are sorted in `times`, then split back into time and seq in place.
  for (let i = 0; i < n; i++) times[i] = events[i].time * scale + events[i].seq;
  times.sort();
  for (let i = 0; i < n; i++) {
    const time = Math.floor(times[i] / scale);
    seqs[i] = times[i] - time * scale;
    times[i] = time;
  }
  return Object.freeze({ times, seqs });
}

/** Adds a sorted batch. */
export function addRun(runs: CancelledRun[], places: RunPlaces): void {
  if (places.times.length === 0) return;
  runs.push({ places, next: 0 });
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
  if (run.next < run.places.times.length) {
    siftDown(runs, r);
    return;
  }
  const last = runs.pop()!;
  if (r === runs.length) return;
  runs[r] = last;
  siftDown(runs, r);
  siftUp(runs, r);
}
