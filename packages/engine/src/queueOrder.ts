/** The order of the event queue (eventQueue.ts) and of cancelled timers' places: earliest time, then insertion order (seq). */
export interface Queued {
  time: number;
  seq: number;
}

/** Whether `a` comes before `b` in the queue order. */
export function queuedBefore(a: Queued, b: Queued): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
