/** Helpers for the consumer's integration tests: a cluster, a producer, consumers, and the facts. */
import type { Simulation, TraceEntry } from '@kafkasim/engine';
import { buildCluster } from '../../../cluster';
import type { TopicConfig } from '../../../config';
import { addProducer } from '../../producer';
import { addConsumer } from '../consumer';
import type { ConsumerOptions, ProcessingModel, ResolvedConsumerConfig } from '../types';

export interface GroupRun {
  sim: Simulation;
  brokers: string[];
  zkServers: string[];
  consumers: string[];
}

export function groupRun(options: {
  seed: number;
  topic?: TopicConfig;
  records: number;
  ratePerSec?: number;
  producerStartAtMs?: number;
  consumers: number;
  consumersStartAtMs?: number;
  /** One model for all consumers, or per consumer id. */
  processing: ProcessingModel | ((consumer: string) => ProcessingModel);
  config?: Partial<ResolvedConsumerConfig>;
  keys?: number;
  /** Coordinator servers (default 1). */
  coordinators?: 1 | 3 | 5;
}): GroupRun {
  const topic = options.topic ?? { name: 't', partitions: 2, replicationFactor: 3 };
  const { sim, brokers, zkServers } = buildCluster({ seed: options.seed, brokers: 3, zkServers: options.coordinators ?? 1, topics: [topic], tracePayloads: 'full' });
  addProducer(sim, 'producer-1', {
    bootstrap: brokers,
    config: { 'linger.ms': 0 },
    workload: {
      topic: topic.name,
      ratePerSec: options.ratePerSec ?? 100,
      startAtMs: options.producerStartAtMs ?? 500,
      count: options.records,
      keys: options.keys ? { kind: 'uniform', cardinality: options.keys } : { kind: 'none' },
    },
  });
  const consumers = Array.from({ length: options.consumers }, (_, i) => `consumer-${i + 1}`);
  for (const id of consumers) {
    const consumerOptions: ConsumerOptions = {
      bootstrap: brokers,
      zkServers,
      topics: [topic.name],
      config: options.config ?? {},
      processing: typeof options.processing === 'function' ? options.processing(id) : options.processing,
      startAtMs: options.consumersStartAtMs ?? 0,
    };
    addConsumer(sim, id, consumerOptions);
  }
  return { sim, brokers, zkServers, consumers };
}

export type Fact = TraceEntry & { event: string; data: Record<string, any> };

export function facts(sim: Simulation, event: string, node?: string): Fact[] {
  return sim.trace.filter((e) => e.type === 'record' && e.event === event && (node === undefined || e.node === node)) as Fact[];
}

export function ackedIds(sim: Simulation): string[] {
  return facts(sim, 'produce-acked').map((f) => f.data.id as string);
}

/** How many times each record id was seen in `event` facts. */
export function countsById(sim: Simulation, event: 'consumed' | 'processed'): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of facts(sim, event)) counts.set(f.data.id, (counts.get(f.data.id) ?? 0) + 1);
  return counts;
}
