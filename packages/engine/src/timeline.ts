import type { Simulation } from './simulation';
import type { WorldState } from './world';

export interface TimelineOptions {
  /** Take a checkpoint every this many steps. */
  checkpointEvery?: number;
  /** Keep at most this many checkpoints; past it, every other one is dropped and the interval doubles. */
  maxCheckpoints?: number;
}

/**
 * Time travel over a running simulation: checkpoints every K steps while it runs, and the
 * state at any earlier step rebuilt from the nearest checkpoint by deterministic replay.
 * Checkpoints and the states handed out are deep-frozen snapshots (snapshot.ts): a viewer cannot
 * corrupt them, and they share every part that did not change with each other.
 */
export class Timeline {
  private checkpoints: WorldState[] = [];
  private interval: number;
  private readonly maxCheckpoints: number;
  private replica: Simulation | null = null;

  constructor(readonly sim: Simulation, options: TimelineOptions = {}) {
    this.interval = options.checkpointEvery ?? 1000;
    this.maxCheckpoints = options.maxCheckpoints ?? 256;
    this.checkpoints.push(sim.checkpoint());
  }

  get checkpointInterval(): number { return this.interval; }
  get checkpointCount(): number { return this.checkpoints.length; }

  /** Advances the live simulation by one step, checkpointing on the interval. */
  stepOnce(): boolean {
    const moved = this.sim.stepOnce();
    if (moved && this.sim.step % this.interval === 0) this.addCheckpoint();
    return moved;
  }

  runUntil(time: number): void {
    for (;;) {
      const next = this.sim.nextEventTime();
      if (next === undefined || next > time) return;
      this.stepOnce();
    }
  }

  runSteps(count: number): void {
    for (let i = 0; i < count && this.stepOnce(); i++);
  }

  /** The world as it was right after `step` was processed (0 = before the first event). */
  stateAt(step: number): Readonly<WorldState> {
    if (!Number.isInteger(step) || step < 0 || step > this.sim.step) {
      throw new Error(`step ${step} is outside 0..${this.sim.step}`);
    }
    if (step === this.sim.step) return this.sim.checkpoint();
    return this.replayTo(step).checkpoint();
  }

  /**
   * The world right after `step`, to read at once: the replay's own live state instead of a
   * frozen snapshot of it (a viewer building one view per frame spent most of a view deep-freezing
   * that copy). Only until the next call on this timeline: do not change it and do not keep it.
   */
  peekAt(step: number): Readonly<WorldState> {
    if (!Number.isInteger(step) || step < 0 || step > this.sim.step) {
      throw new Error(`step ${step} is outside 0..${this.sim.step}`);
    }
    return step === this.sim.step ? this.sim.world : this.replayTo(step).world;
  }

  /** A new live simulation that starts from `step`: the original run stays as it was. */
  forkAt(step: number): Simulation {
    const base = this.replayTo(step);
    // Forked from the live run, not from the replica: a replica records no trace, and a fork
    // must record one as the original does (else a viewer's branch ends at its fork step).
    return this.sim.forkFrom(base.checkpoint());
  }

  private replayTo(step: number): Simulation {
    const replica = this.replica;
    const checkpoint = this.nearestCheckpoint(step);
    // Reuse the replica when stepping forward past no newer checkpoint: the common case of a viewer stepping.
    const reusable = replica && replica.step <= step && replica.step >= checkpoint.step;
    const sim = reusable ? replica : this.sim.forkFrom(checkpoint, { trace: false });
    while (sim.step < step && sim.stepOnce());
    this.replica = sim;
    return sim;
  }

  private nearestCheckpoint(step: number): WorldState {
    let lo = 0;
    let hi = this.checkpoints.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.checkpoints[mid].step <= step) lo = mid;
      else hi = mid - 1;
    }
    return this.checkpoints[lo];
  }

  private addCheckpoint(): void {
    this.checkpoints.push(this.sim.checkpoint());
    if (this.checkpoints.length > this.maxCheckpoints) {
      this.interval *= 2;
      this.checkpoints = this.checkpoints.filter((c) => c.step % this.interval === 0);
    }
  }
}
