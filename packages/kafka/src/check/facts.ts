import type { TraceEntry } from '@kafkasim/engine';
import type { FactName, ModelFact } from '../events';

/** A model fact, as the model recorded it. */
export type Fact<N extends FactName = FactName> = Extract<ModelFact, { event: N }>;

/** A model fact read back from the trace, with where it happened. */
export type FactAt<N extends FactName = FactName> = Fact<N> & { step: number; time: number; node: string };

export function isFact(entry: TraceEntry): boolean {
  return entry.type === 'record';
}

export function factOf(entry: TraceEntry): FactAt {
  // Object.assign, not a spread: same object, but one hidden class per fact shape instead of one per fact.
  return Object.assign({}, entry.data as object, { event: entry.event, step: entry.step, time: entry.time, node: entry.node }) as FactAt;
}

/**
 * The fact a record entry holds, for checkers that read only its own fields (not where it
 * happened). A fact sink's entry holds the model's fact object itself, which names its event
 * already: it is read as it is, as copying it (factOf) was a tenth of a sweep seed's checks.
 */
export function modelFactOf(entry: TraceEntry): Fact {
  const data = entry.data as Fact | null | undefined;
  return typeof data === 'object' && data !== null && data.event === entry.event ? data : factOf(entry);
}

/** topic -> partition -> its key. */
const tpKeys = new Map<string, string[]>();

/**
 * `${topic}-${partition}`, the same string object each time: the checkers look partitions up by
 * it several times a fact, and a string made afresh is hashed afresh at every lookup.
 */
export function tpKey(topic: string, partition: number): string {
  if (!(Number.isInteger(partition) && partition >= 0 && partition < 4096)) return `${topic}-${partition}`;
  let keys = tpKeys.get(topic);
  if (!keys) tpKeys.set(topic, (keys = []));
  return (keys[partition] ??= `${topic}-${partition}`);
}

/** What the checkers need to know of the configuration (derived from a scenario). */
export interface CheckContext {
  brokers: string[];
  topics: { name: string; partitions: number; replicationFactor: number; minInsyncReplicas: number; uncleanLeaderElection: boolean }[];
  crashMode: 'process' | 'power-loss';
}
