import seedrandom from 'seedrandom';
import type { Rng } from './types';

/**
 * Named random streams forked from one scenario seed. Each stream is seeded by
 * `${seed}/${name}`, so adding a component (a new stream) never changes the draws of others.
 * Stream states are plain objects so that checkpoints capture them.
 */
export type RngStates = Record<string, object>;

export class RngStreams {
  private readonly streams = new Map<string, { prng: seedrandom.StatefulPRNG<seedrandom.State.Arc4>; rng: Rng }>();

  constructor(
    private readonly seed: string,
    private readonly restored: RngStates = {},
  ) {}

  stream(name: string): Rng {
    let entry = this.streams.get(name);
    if (!entry) {
      const saved = this.restored[name];
      const prng = saved
        ? seedrandom('', { state: structuredClone(saved) as seedrandom.State.Arc4 })
        : seedrandom(`${this.seed}/${name}`, { state: true });
      entry = { prng, rng: wrap(prng) };
      this.streams.set(name, entry);
    }
    return entry.rng;
  }

  saveStates(): RngStates {
    const states: RngStates = { ...this.restored };
    for (const [name, { prng }] of this.streams) states[name] = prng.state();
    return states;
  }
}

export function wrap(prng: () => number): Rng {
  return {
    next: () => prng(),
    int: (min, max) => min + Math.floor(prng() * (max - min + 1)),
    chance: (p) => p > 0 && prng() < p,
    pick: (items) => items[Math.floor(prng() * items.length)],
  };
}
