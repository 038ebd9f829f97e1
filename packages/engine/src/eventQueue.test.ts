import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventQueue } from './eventQueue';
import { heapify, heapPop, heapPush } from './testing/binaryHeap';
import type { QueuedEvent } from './world';

type Op = { push: number } | { pop: true } | { dropEvery: number };

const timer = (time: number, seq: number): QueuedEvent => ({
  kind: 'timer', type: 'timer', time, seq, node: 'n', name: 't', data: undefined, timerId: seq, incarnation: 0, nodeIndex: 0,
});

const ops = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 40 }).map((delay): Op => ({ push: delay })) },
    { weight: 4, arbitrary: fc.constant<Op>({ pop: true }) },
    { weight: 1, arbitrary: fc.integer({ min: 2, max: 5 }).map((k): Op => ({ dropEvery: k })) },
  ),
  { maxLength: 3000 },
);

describe('EventQueue', () => {
  it('keeps its array exactly as the binary heap it replaced keeps it, through pushes, pops, purges and growth', () => {
    fc.assert(
      fc.property(ops, fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 50 }), (script, initialTimes) => {
        // A restored queue: events already in heap order, as a checkpoint holds them.
        let seq = 0;
        const reference: QueuedEvent[] = [];
        for (const time of initialTimes) heapPush(reference, timer(time, seq++));
        const queue = new EventQueue([...reference]);
        let now = 0;
        for (const op of script) {
          if ('push' in op) {
            const event = timer(now + op.push, seq++);
            heapPush(reference, event);
            queue.push(event, event.time, event.seq);
          } else if ('pop' in op) {
            const expected = heapPop(reference);
            expect(queue.pop()).toBe(expected);
            if (expected) now = expected.time;
          } else {
            // A purge filters the array in place, then orders it again.
            const keep = (e: QueuedEvent) => e.seq % op.dropEvery !== 0;
            const kept = reference.filter(keep);
            reference.length = 0;
            reference.push(...kept);
            heapify(reference);
            const events = queue.events.filter(keep);
            queue.events.length = 0;
            queue.events.push(...events);
            queue.rebuild();
          }
          expect(queue.events).toEqual(reference);
          expect(queue.peek()).toBe(reference[0]);
          if (reference.length > 0) expect([queue.peekTime(), queue.peekSeq()]).toEqual([reference[0].time, reference[0].seq]);
        }
        // Drained, it gives every event in (time, seq) order.
        const drained: [number, number][] = [];
        for (let e = queue.pop(); e; e = queue.pop()) drained.push([e.time, e.seq]);
        const sorted = [...drained].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(drained).toEqual(sorted);
        expect(queue.length).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('grows past its first capacity with the same order', () => {
    const reference: QueuedEvent[] = [];
    const queue = new EventQueue<QueuedEvent>([]);
    for (let seq = 0; seq < 5000; seq++) {
      const event = timer((seq * 7919) % 613, seq);
      heapPush(reference, event);
      queue.push(event, event.time, event.seq);
    }
    expect(queue.events).toEqual(reference);
    for (let i = 0; i < 5000; i++) expect(queue.pop()).toBe(heapPop(reference));
    expect(queue.pop()).toBeUndefined();
  });
});
