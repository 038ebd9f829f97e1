/**
 * Random fault schedules for `sweep`, drawn from a stream forked from the sweep seed so that
 * the same seed always gives the same schedule.
 */
import { RngStreams } from '@kafkasim/engine';
import { suggest } from './errors';
import { scenarioNodeIds } from './references';
import type { Fault, Scenario } from './schema';

/** The kinds of fault a sweep can draw (`--faults crash,link-fault`); each kind brings its own end (restart, heal, clear). */
export const faultKinds = ['crash', 'pause', 'partition', 'link-fault', 'expire-session'] as const;
export type FaultKind = (typeof faultKinds)[number];

/**
 * The mix drawn unless told otherwise. Link faults came later and are left out so that a seed
 * found before (in a bug report, a test, a lesson) still draws the same schedule.
 */
export const defaultFaultKinds: readonly FaultKind[] = ['crash', 'pause', 'partition', 'expire-session'];

export interface RandomFaultOptions {
  /** How many faults at most (at least one). */
  maxFaults?: number;
  /** Which kinds to draw from, each equally likely (default `defaultFaultKinds`). */
  kinds?: readonly FaultKind[];
}

/** Link-fault drop probabilities: none (slow link only), lossy, and a one-way cut. */
const linkDrops = [0, 0.2, 1] as const;

export function randomFaults(scenario: Scenario, seed: number, options: RandomFaultOptions = {}): Fault[] {
  const kinds = options.kinds ?? defaultFaultKinds;
  if (kinds.length === 0) throw new Error('randomFaults: kinds must name at least one fault kind');
  const stream = new RngStreams(String(seed)).stream('sweep-faults');
  const { int, pick } = stream;
  const rng = () => stream.next();
  const { brokers, coordinators } = scenarioNodeIds(scenario);
  const others = (id: string) => [...brokers, ...coordinators].filter((n) => n !== id);
  const end = scenario.durationMs;
  const faults: Fault[] = [];
  const count = int(1, options.maxFaults ?? 3);
  for (let i = 0; i < count; i++) {
    // The draws for time, broker and kind come first and in this order for every kind, so that
    // the default mix draws the schedules it drew before link faults existed.
    const at = int(Math.floor(end * 0.1), Math.floor(end * 0.7));
    const heal = Math.min(end, at + int(500, Math.floor(end * 0.3)));
    const broker = pick(brokers);
    const kind = pick(kinds);
    if (kind === 'crash') {
      faults.push({ atMs: at, action: 'crash', target: broker });
      if (rng() < 0.7) faults.push({ atMs: heal, action: 'restart', target: broker });
    } else if (kind === 'pause') {
      faults.push({ atMs: at, action: 'pause', target: broker, durationMs: Math.max(1, heal - at) });
    } else if (kind === 'partition') {
      const id = `sweep-${i}`;
      faults.push({ atMs: at, action: 'partition', id, sides: [[broker], others(broker)], oneWay: false });
      faults.push({ atMs: heal, action: 'heal', id });
    } else if (kind === 'link-fault') {
      // A degraded link out of one broker, to one peer or to all of them (as Kafka's own Trogdor
      // DegradedNetworkFault delays a node's outgoing traffic with tc netem): extra delay, maybe
      // loss. No clock is involved: the model has no clocks to skew, only delivery times.
      const id = `sweep-link-${i}`;
      const to = rng() < 0.5 ? [pick(others(broker))] : others(broker);
      const delayMs = int(50, 1500);
      const drop = pick(linkDrops);
      faults.push({ atMs: at, action: 'link-fault', id, from: [broker], to, drop, duplicate: 0, delayMs });
      faults.push({ atMs: heal, action: 'clear-link-fault', id });
    } else if (coordinators.length > 0) {
      faults.push({ atMs: at, action: 'expire-session', target: broker });
    }
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}

/**
 * Parses a fault mix such as "crash,link-fault" or "all"; throws an Error naming the bad kind.
 * The mix is a set: it comes back in `faultKinds` order, so "pause,crash" draws what "crash,pause" draws.
 */
export function parseFaultKinds(text: string): FaultKind[] {
  if (text === 'all') return [...faultKinds];
  const items = text.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!(faultKinds as readonly string[]).includes(item)) {
      const guess = item ? suggest(item, [...faultKinds]) : undefined;
      throw new Error(`unknown fault kind "${item}"${guess ? ` (did you mean "${guess}"?)` : ''}; expected a comma-separated list of ${faultKinds.join(', ')}, or all`);
    }
  }
  return faultKinds.filter((k) => items.includes(k));
}
