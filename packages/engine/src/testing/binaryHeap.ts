/**
 * The binary heap over a plain array that the engine's queue was before EventQueue, kept as
 * the reference EventQueue's tests compare its array with: the queue a checkpoint holds is laid
 * out as it was.
 */
import type { Queued } from '../queueOrder';

// Sifting moves a hole instead of swapping pairs: one array write per level instead of two.
export function heapPush<T extends Queued>(heap: T[], item: T): void {
  let i = heap.length;
  heap.push(item);
  const { time, seq } = item;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    const p = heap[parent];
    if (p.time < time || (p.time === time && p.seq < seq)) break;
    heap[i] = p;
    i = parent;
  }
  heap[i] = item;
}

export function heapPop<T extends Queued>(heap: T[]): T | undefined {
  if (heap.length === 0) return undefined;
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length > 0) siftDown(heap, 0, last);
  return top;
}

/** Places `item` at hole `start` or below it. */
function siftDown<T extends Queued>(heap: T[], start: number, item: T): void {
  const n = heap.length;
  const { time, seq } = item;
  let i = start;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    let c = heap[child];
    const r = child + 1;
    if (r < n) {
      const rc = heap[r];
      if (rc.time < c.time || (rc.time === c.time && rc.seq < c.seq)) {
        child = r;
        c = rc;
      }
    }
    if (time < c.time || (time === c.time && seq < c.seq)) break;
    heap[i] = c;
    i = child;
  }
  heap[i] = item;
}

/** Makes any array a heap in place, in O(n). */
export function heapify<T extends Queued>(heap: T[]): void {
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i, heap[i]);
}
