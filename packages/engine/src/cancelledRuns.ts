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
  // Sized once and filled by index: merges copy every entry O(log n) times, so no array growth.
  const out: Queued[] = new Array(remaining(a) + remaining(b));
  const ai = a.items;
  const bi = b.items;
  let i = a.next;
  let j = b.next;
  let k = 0;
  while (i < ai.length && j < bi.length) out[k++] = queuedBefore(ai[i], bi[j]) ? ai[i++] : bi[j++];
  while (i < ai.length) out[k++] = ai[i++];
  while (j < bi.length) out[k++] = bi[j++];
  return { items: Object.freeze(out), next: 0 };
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
