import { describe, expect, it } from 'vitest';
import { createPlayClock } from './playClock';

describe('createPlayClock', () => {
  it('tells its subscribers when the time moves, and only then', () => {
    const clock = createPlayClock(5);
    const seen: number[] = [];
    const stop = clock.subscribe(() => seen.push(clock.get()));
    clock.set(5);
    clock.set(7.5);
    clock.set(7.5);
    clock.set(9);
    stop();
    clock.set(12);
    expect(seen).toEqual([7.5, 9]);
    expect(clock.get()).toBe(12);
  });
});
