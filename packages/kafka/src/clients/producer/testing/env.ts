/** A producer environment without a simulation, for unit tests of the accumulator and idempotence logic. */
import type { NodeContext } from '@kafkasim/engine';
import { wrapRng } from '@kafkasim/engine';
import type { ProducerConfig } from '../../../config';
import { resolveProducerConfig } from '../config';
import type { ProducerEnv } from '../env';
import { createMetadataState } from '../metadata';
import { createMemory } from '../producer';
import type { PartitionInfo, ProducerMemory } from '../types';

export interface TestEnv extends ProducerEnv {
  clock: { now: number };
  sent: { to: string; payload: any }[];
  facts: { event: string; data?: Record<string, unknown> }[];
}

export function testEnv(config: Partial<ProducerConfig> = {}, partitions: Record<string, PartitionInfo[]> = {}): TestEnv {
  const cfg = resolveProducerConfig(config);
  const clock = { now: 0 };
  const sent: TestEnv['sent'] = [];
  const facts: TestEnv['facts'] = [];
  let timerId = 1;
  let seed = 42;
  const ctx: NodeContext = {
    self: 'producer-1',
    get now() { return clock.now; },
    rng: wrapRng(() => ((seed = (seed * 16807) % 2147483647) / 2147483647)),
    send: (to, payload) => void sent.push({ to, payload }),
    setTimer: () => timerId++,
    cancelTimer: () => undefined,
    crashSelf: () => undefined,
    record: (event, data) => void facts.push({ event, data }),
  };
  const metadata = createMetadataState(['broker-1']);
  metadata.topics = Object.keys(partitions);
  metadata.partitions = partitions;
  metadata.needUpdate = false;
  metadata.lastRefreshMs = 0;
  metadata.lastSuccessfulRefreshMs = 0;
  const workload = { topic: 't', ratePerSec: 1, startAtMs: 0, keys: { kind: 'none' as const } };
  const disk = { generated: 0, boots: 1 };
  const m: ProducerMemory = { ...createMemory(cfg, { config, bootstrap: ['broker-1'], workload }, disk, 0), metadata };
  return { self: 'producer-1', cfg, bootstrap: ['broker-1'], workload, ctx, disk, m, clock, sent, facts };
}

export const onePartitionPerBroker = (topic: string, brokers: string[]): Record<string, PartitionInfo[]> => ({
  [topic]: brokers.map((leader, partition) => ({ partition, leader, leaderEpoch: 0 })),
});
