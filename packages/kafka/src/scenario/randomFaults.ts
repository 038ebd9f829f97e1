/**
 * Random fault schedules for `sweep`, drawn from a stream forked from the sweep seed so that
 * the same seed always gives the same schedule.
 */
import { RngStreams } from '@kafkasim/engine';
import { scenarioNodeIds } from './references';
import type { Fault, Scenario } from './schema';

export interface RandomFaultOptions {
  /** How many faults at most (at least one). */
  maxFaults?: number;
}

export function randomFaults(scenario: Scenario, seed: number, options: RandomFaultOptions = {}): Fault[] {
  const stream = new RngStreams(String(seed)).stream('sweep-faults');
  const { int, pick } = stream;
  const rng = () => stream.next();
  const { brokers, coordinators } = scenarioNodeIds(scenario);
  const others = (id: string) => [...brokers, ...coordinators].filter((n) => n !== id);
  const end = scenario.durationMs;
  const faults: Fault[] = [];
  const count = int(1, options.maxFaults ?? 3);
  for (let i = 0; i < count; i++) {
    const at = int(Math.floor(end * 0.1), Math.floor(end * 0.7));
    const heal = Math.min(end, at + int(500, Math.floor(end * 0.3)));
    const broker = pick(brokers);
    const kind = pick(['crash', 'pause', 'partition', 'expire-session'] as const);
    if (kind === 'crash') {
      faults.push({ atMs: at, action: 'crash', target: broker });
      if (rng() < 0.7) faults.push({ atMs: heal, action: 'restart', target: broker });
    } else if (kind === 'pause') {
      faults.push({ atMs: at, action: 'pause', target: broker, durationMs: Math.max(1, heal - at) });
    } else if (kind === 'partition') {
      const id = `sweep-${i}`;
      faults.push({ atMs: at, action: 'partition', id, sides: [[broker], others(broker)], oneWay: false });
      faults.push({ atMs: heal, action: 'heal', id });
    } else if (coordinators.length > 0) {
      faults.push({ atMs: at, action: 'expire-session', target: broker });
    }
  }
  return faults.sort((a, b) => a.atMs - b.atMs);
}
