/**
 * Limits that stop a run which would never finish, with an error that says why: a step budget,
 * and a livelock detector. Virtual time only moves when the queue's earliest event is later
 * than now; events at one instant that keep causing events at that same instant (a request and
 * an answer bouncing over zero-latency links, a zero-delay timer rearming itself) would loop
 * forever without the clock moving, so the run is stopped and the bouncing events are named.
 */
import type { QueuedEvent } from './world';

export interface RunLimits {
  /** Steps a run may take in all (default: no limit; a caller that runs untrusted input sets one). */
  maxSteps: number;
  /**
   * Steps in a row at one instant of virtual time before the run counts as stuck. The teaching
   * scenarios never take more than ~50 steps at one instant; a burst of work at one time (every
   * partition electing a leader at boot) stays far below the default.
   */
  maxStepsPerInstant: number;
}

export const defaultRunLimits: RunLimits = { maxSteps: Infinity, maxStepsPerInstant: 100_000 };

/** How many steps past the livelock threshold are watched to name what bounces. */
export const LIVELOCK_SAMPLE_STEPS = 1000;

export class RunLimitError extends Error {
  override readonly name = 'RunLimitError';
  constructor(readonly kind: 'step-budget' | 'livelock', message: string, readonly time: number, readonly step: number) {
    super(message);
  }
}

function payloadKind(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null) return 'message';
  const p = payload as { api?: unknown; proto?: unknown; type?: unknown };
  if (typeof p.api === 'string') return p.api;
  const type = typeof p.type === 'string' ? p.type : 'message';
  return typeof p.proto === 'string' ? `${p.proto} ${type}` : type;
}

/** An event in a few words, as the livelock report names it: "consumer-1 -> broker-1 Fetch". */
export function describeEvent(event: QueuedEvent | undefined): string {
  if (event === undefined) return 'a cancelled timer';
  switch (event.kind) {
    case 'message': return `${event.from} -> ${event.to} ${payloadKind(event.payload)}`;
    case 'timer': return `timer "${event.name}" of ${event.node}`;
    default: return `${event.action.type}${'node' in event.action ? ` of ${event.action.node}` : ''}`;
  }
}

/** "a (500), b (499), ...": the most frequent first, ties in name order so the text is deterministic. */
export function summarizeCounts(counts: Map<string, number>, top = 4): string {
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = sorted.slice(0, top).map(([what, n]) => `${what} (${n})`).join(', ');
  return sorted.length > top ? `${shown} and ${sorted.length - top} more` : shown;
}

export function stepBudgetError(maxSteps: number, time: number): RunLimitError {
  return new RunLimitError('step-budget', `the run stopped at t=${time} ms after ${maxSteps} steps, its step budget`, time, maxSteps);
}

export function livelockError(time: number, step: number, stepsAtInstant: number, sample: Map<string, number>): RunLimitError {
  return new RunLimitError(
    'livelock',
    `virtual time is stuck at t=${time} ms: ${stepsAtInstant} steps in a row without the clock moving on (a livelock); ` +
      `in the last ${LIVELOCK_SAMPLE_STEPS} steps: ${summarizeCounts(sample)}`,
    time,
    step,
  );
}
