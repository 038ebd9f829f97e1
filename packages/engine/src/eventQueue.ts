/**
 * The event queue: world.queue as a binary min-heap ordered by (time, seq), with the same sifts
 * as the plain-array heap it replaced (testing/binaryHeap.ts: the array is the same at every
 * step, so checkpoints hold the queue as they did), and with every event's time
 * and seq also held in two typed arrays in heap order. The sifts compare keys in those arrays,
 * a few kilobytes that stay in cache, instead of loading events scattered over the heap: in a
 * sweep seed that loading was most of the engine's own cost. The arrays are an index of
 * world.queue, private to the simulation: a checkpoint holds world.queue alone, and a restored
 * queue is indexed again.
 */
import type { Queued } from './queueOrder';
import type { QueuedEvent } from './world';

const INITIAL_CAPACITY = 1024;

export class EventQueue<T extends Queued = QueuedEvent> {
  private times: Float64Array;
  private seqs: Float64Array;

  /** `events` is world.queue, in heap order; the queue changes it in place. */
  constructor(readonly events: T[]) {
    const capacity = Math.max(INITIAL_CAPACITY, 2 * events.length);
    this.times = new Float64Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.rebuild();
  }

  get length(): number {
    return this.events.length;
  }

  peek(): T | undefined {
    return this.events[0];
  }

  /** The first event's time and seq (meaningful only when there is one). */
  peekTime(): number {
    return this.times[0];
  }

  peekSeq(): number {
    return this.seqs[0];
  }

  /**
   * Queues `event`, whose time and seq are `time` and `seq`. The caller passes the keys, which
   * it has at hand: every kind of event goes through here (timers, messages, controls, each its
   * own object shape), and reading them off the event made each read a polymorphic load.
   */
  push(event: T, time: number, seq: number): void {
    const events = this.events;
    let i = events.length;
    if (i === this.times.length) this.grow();
    events.push(event);
    const times = this.times;
    const seqs = this.seqs;
    // Sifting moves a hole instead of swapping pairs: one write per level instead of two.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentTime = times[parent];
      if (parentTime < time || (parentTime === time && seqs[parent] < seq)) break;
      events[i] = events[parent];
      times[i] = parentTime;
      seqs[i] = seqs[parent];
      i = parent;
    }
    events[i] = event;
    times[i] = time;
    seqs[i] = seq;
  }

  pop(): T | undefined {
    const events = this.events;
    if (events.length === 0) return undefined;
    const top = events[0];
    const last = events.pop()!;
    const n = events.length;
    // The last event's keys are still at index n.
    if (n > 0) this.siftDown(0, last, this.times[n], this.seqs[n]);
    return top;
  }

  /** Indexes and orders the events again after they changed outside the queue (a restore, a purge that filtered them). */
  rebuild(): void {
    const events = this.events;
    while (this.times.length < events.length) this.grow();
    for (let i = 0; i < events.length; i++) {
      this.times[i] = events[i].time;
      this.seqs[i] = events[i].seq;
    }
    for (let i = (events.length >> 1) - 1; i >= 0; i--) this.siftDown(i, events[i], this.times[i], this.seqs[i]);
  }

  /** Places `item` (keys `time`, `seq`) at hole `start` or below it. */
  private siftDown(start: number, item: T, time: number, seq: number): void {
    const events = this.events;
    const times = this.times;
    const seqs = this.seqs;
    const n = events.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let childTime = times[child];
      let childSeq = seqs[child];
      const right = child + 1;
      if (right < n) {
        const rightTime = times[right];
        if (rightTime < childTime || (rightTime === childTime && seqs[right] < childSeq)) {
          child = right;
          childTime = rightTime;
          childSeq = seqs[right];
        }
      }
      if (time < childTime || (time === childTime && seq < childSeq)) break;
      events[i] = events[child];
      times[i] = childTime;
      seqs[i] = childSeq;
      i = child;
    }
    events[i] = item;
    times[i] = time;
    seqs[i] = seq;
  }

  private grow(): void {
    const times = new Float64Array(2 * this.times.length);
    const seqs = new Float64Array(2 * this.seqs.length);
    times.set(this.times);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
  }
}
