/** A simulation with fake brokers and one or more producers, plus readers for the trace facts. */
import { Simulation, type NetworkConfig, type NodeId } from '@kafkasim/engine';
import type { ModelFact } from '../../../events';
import { addProducer } from '../producer';
import type { ProducerDisk, ProducerMemory, ProducerOptions } from '../types';
import { fakeBroker, fakeLogIds, type FakeBrokerDisk } from './fakeBroker';

export interface FakeClusterOptions {
  seed?: string | number;
  brokers?: number;
  topics: { name: string; partitions: number; leaders?: (NodeId | null)[] }[];
  network?: Partial<NetworkConfig>;
}

type FactData<E extends ModelFact['event']> = Omit<Extract<ModelFact, { event: E }>, 'event'> & { time: number };

export class FakeCluster {
  readonly sim: Simulation;
  readonly brokers: NodeId[];

  constructor(options: FakeClusterOptions) {
    // Whole payloads in the trace: these tests read what was sent.
    this.sim = new Simulation({ seed: options.seed ?? 'producer-test', network: options.network, tracePayloads: 'full' });
    const count = options.brokers ?? 1;
    this.brokers = Array.from({ length: count }, (_, i) => `broker-${i + 1}`);
    const topics = options.topics.map((t) => ({
      name: t.name,
      leaders: t.leaders ?? Array.from({ length: t.partitions }, (_, p) => this.brokers[p % count]),
    }));
    for (const id of this.brokers) this.sim.addNode(id, fakeBroker({ brokers: this.brokers, topics }));
  }

  addProducer(id: NodeId, options: Omit<ProducerOptions, 'bootstrap'> & { bootstrap?: NodeId[] }): void {
    addProducer(this.sim, id, { bootstrap: this.brokers, ...options });
  }

  /** A fault command for a fake broker at time `at`. */
  fault(at: number, broker: NodeId, name: string, data?: unknown): void {
    this.sim.schedule(at, { type: 'command', node: broker, name, data });
  }

  run(untilMs: number): this {
    this.sim.runUntil(untilMs);
    return this;
  }

  facts<E extends ModelFact['event']>(event: E): FactData<E>[] {
    return this.sim.trace
      .filter((e) => e.type === 'record' && e.event === event)
      .map((e) => ({ ...(e.data as object), time: e.time }) as FactData<E>);
  }

  log(broker: NodeId, topic: string, partition: number): string[] {
    return fakeLogIds(this.sim.node(broker).state.durable as FakeBrokerDisk, topic, partition);
  }

  /** All ids written for a topic partition, over every fake broker (each appends only what it leads). */
  allLogs(topic: string, partition: number): string[] {
    return this.brokers.flatMap((b) => this.log(b, topic, partition));
  }

  producer(id: NodeId): { durable: ProducerDisk; volatile: ProducerMemory } {
    return this.sim.node(id).state as { durable: ProducerDisk; volatile: ProducerMemory };
  }
}

/** The n in an id `${producer}:${n}`. */
export const seqOf = (id: string): number => Number(id.slice(id.lastIndexOf(':') + 1));

export function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const id of ids) {
    if (seen.has(id)) dups.push(id);
    seen.add(id);
  }
  return dups;
}

/** Pairs (earlier in log, later in log) whose first copies are in the opposite order: a reorder. */
export function inversions(ids: string[]): [string, string][] {
  const out: [string, string][] = [];
  let maxSoFar: string | null = null;
  for (const id of ids.filter((x, i) => ids.indexOf(x) === i)) {
    if (maxSoFar !== null && seqOf(id) < seqOf(maxSoFar)) out.push([maxSoFar, id]);
    if (maxSoFar === null || seqOf(id) > seqOf(maxSoFar)) maxSoFar = id;
  }
  return out;
}
