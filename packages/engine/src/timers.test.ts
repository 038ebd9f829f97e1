import { describe, expect, it } from 'vitest';
import { Simulation } from './simulation';
import type { Behavior } from './types';

/**
 * Timer cancellation is bookkept as "cancelled while queued" (see WorldState.cancelledTimers):
 * these pin down that it behaves like "only pending, uncancelled timers fire".
 */
interface Memory { ids: number[] }

/** Sets `count` timers 1..count ms out; a 'cancel' command cancels the ids listed in its data. */
const setter = (count: number): Behavior<null, Memory> => ({
  kind: 'setter',
  createDurable: () => null,
  boot(_d, ctx) {
    return { ids: Array.from({ length: count }, (_, i) => ctx.setTimer(i + 1, `t${i + 1}`)) };
  },
  handle(state, event, ctx) {
    if (event.type === 'command' && event.name === 'cancel') {
      for (const index of event.data as number[]) ctx.cancelTimer(state.volatile.ids[index]);
    }
    if (event.type === 'timer') ctx.record('fired', { name: event.name });
  },
});

const fired = (sim: Simulation) => sim.trace.filter((e) => e.type === 'timer').map((e) => e.name);

describe('timers', () => {
  it('a cancelled timer does not fire; cancelling a fired timer or twice changes nothing', () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNode('a', setter(5));
    sim.runUntil(2);
    sim.schedule(2, { type: 'command', node: 'a', name: 'cancel', data: [0, 1, 3, 3] });
    sim.runUntil(100);
    expect(fired(sim)).toEqual(['t1', 't2', 't3', 't5']);
  });

  it('a timer cancelled before a pause stays cancelled when the buffered timers fire on resume', () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNode('a', setter(4));
    sim.schedule(1, { type: 'command', node: 'a', name: 'cancel', data: [2] });
    sim.schedule(1, { type: 'pause', node: 'a', durationMs: 10 });
    sim.runUntil(100);
    expect(fired(sim)).toEqual(['t1', 't2', 't4']);
    expect(sim.trace.filter((e) => e.type === 'timer').map((e) => e.time)).toEqual([11, 11, 11]);
  });

  it('stale cancellations are purged, live ones kept, and behaviour is unchanged', () => {
    const count = 5000;
    const sim = new Simulation({ seed: 1 });
    sim.addNode('a', setter(count));
    sim.runUntil(count / 2);
    // Cancel everything: half already fired (stale), half still queued.
    sim.schedule(count / 2, { type: 'command', node: 'a', name: 'cancel', data: Array.from({ length: count }, (_, i) => i) });
    sim.runUntil(count / 2);
    // 5,000 cancellations, and the list never holds more than the purge threshold (1,024 here).
    expect(sim.world.cancelledTimers.length).toBeLessThanOrEqual(sim.world.purgeCancelledAbove);
    expect(sim.world.purgeCancelledAbove).toBeLessThan(count / 2);
    sim.runUntil(2 * count);
    expect(fired(sim)).toEqual(Array.from({ length: count / 2 }, (_, i) => `t${i + 1}`));
    expect(sim.world.queue).toEqual([]);
  });

  it('a cancelled timer still takes its step, also once taken out of the queue', () => {
    const count = 5000;
    const sim = new Simulation({ seed: 1 });
    sim.addNode('a', setter(count));
    // Step 1 boots the node (timer i is due at time i), step 2 cancels every even one.
    sim.schedule(0, { type: 'command', node: 'a', name: 'cancel', data: Array.from({ length: count / 2 }, (_, i) => 2 * i + 1) });
    sim.runUntil(0);
    expect(sim.world.queue.length).toBeLessThan(count);
    expect(sim.world.cancelledRuns.length).toBeGreaterThan(0);
    expect(sim.nextEventTime()).toBe(1);
    sim.runUntil(count);
    const timers = sim.trace.filter((e) => e.type === 'timer');
    expect(timers.map((e) => e.name)).toEqual(Array.from({ length: count / 2 }, (_, i) => `t${2 * i + 1}`));
    expect(timers.map((e) => e.step)).toEqual(Array.from({ length: count / 2 }, (_, i) => 2 + 2 * i + 1));
    expect(sim.step).toBe(2 + count);
    expect(sim.stepOnce()).toBe(false);
  });
});
