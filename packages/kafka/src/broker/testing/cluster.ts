/** Integration helpers: a real cluster (coordinator ensemble, brokers, hosted controller) plus test nodes. */
import type { NodeId, Simulation } from '@kafkasim/engine';
import { buildCluster, type ClusterOptions } from '../../cluster';
import { allRecords } from '../../storage';
import { probe } from './harness';
import { testProducer, type TestProducerConfig, type TestProducerDisk } from './testProducer';
import type { BrokerState } from '../types';

export function clusterWithProducer(options: ClusterOptions, producer: Partial<TestProducerConfig> & { topic: string }) {
  const cluster = buildCluster(options);
  cluster.sim.addNode('producer', testProducer({
    bootstrap: cluster.brokers, partition: 0, acks: -1, retries: 20, requestTimeoutMs: 1500, retryBackoffMs: 100, ...producer,
  }));
  cluster.sim.addNode('probe', probe);
  return cluster;
}

/** Schedules `count` records, one every `everyMs` from `from`, named `${prefix}-<n>`. */
export function produceStream(sim: Simulation, from: number, count: number, everyMs: number, prefix = 'r'): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${i}`;
    ids.push(id);
    sim.schedule(from + i * everyMs, { type: 'command', node: 'producer', name: 'produce', data: { ids: [id] } });
  }
  return ids;
}

export function producerDisk(sim: Simulation): TestProducerDisk {
  return sim.node('producer').state.durable;
}

/** The leader of topic-0 as the active controller's brokers last heard it (from a live broker's metadata cache). */
export function currentLeader(sim: Simulation, brokers: NodeId[], topic: string): NodeId | null {
  for (const b of brokers) {
    const node = sim.node(b);
    if (node.status !== 'up') continue;
    const p = (node.state as BrokerState).volatile.metadata.partitions[`${topic}-0`];
    if (p) return p.leader;
  }
  return null;
}

export function activeController(sim: Simulation, brokers: NodeId[]): NodeId | null {
  return brokers.find((b) => sim.node(b).status !== 'crashed' && (sim.node(b).state as BrokerState).volatile?.controller?.active) ?? null;
}

export function values(sim: Simulation, broker: NodeId, topic: string): string[] {
  const log = (sim.node(broker).state as BrokerState).durable.logs[`${topic}-0`];
  return log ? allRecords(log).map((r) => r.value) : [];
}

export function recordFacts(sim: Simulation, event: string): any[] {
  return sim.trace.filter((e) => e.type === 'record' && e.event === event).map((e) => ({ node: e.node, time: e.time, ...(e.data as object) }));
}
