/**
 * The virtual time on screen while playing. It moves every animation frame, so it lives outside
 * React state: a frame re-renders only what moves with it (the dots in flight, the countdowns, the
 * throughput cursor), not the page. The page renders when a new view arrives from the worker.
 */
import { useSyncExternalStore } from 'react';

export interface PlayClock {
  get(): number;
  set(time: number): void;
  subscribe(listener: () => void): () => void;
}

export function createPlayClock(initial = 0): PlayClock {
  let time = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => time,
    set(next) {
      if (next === time) return;
      time = next;
      for (const l of listeners) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The clock's time while playing; `paused` (the view's own time) otherwise. */
export function usePlayTime(clock: PlayClock, playing: boolean, paused: number): number {
  const time = useSyncExternalStore(clock.subscribe, clock.get);
  return playing ? time : paused;
}
