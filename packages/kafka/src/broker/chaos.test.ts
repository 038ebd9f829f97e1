import { describe, expect, it } from 'vitest';
import { checkLogInvariants } from '../storage';
import type { BrokerState } from './types';
import { clusterWithProducer, produceStream, producerDisk, values } from './testing/cluster';

const T = 'chaos';

describe('replication under message loss, duplication and crashes', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: logs stay well-formed, replicas agree below the HW, acks=all survives single failures`, () => {
      const c = clusterWithProducer(
        {
          seed, brokers: 3, zkServers: 3, topics: [{ name: T, partitions: 1, replicationFactor: 3 }],
          brokerConfig: { 'min.insync.replicas': 2, 'log.segment.bytes': 2000 },
          network: { drop: 0.02, duplicate: 0.05 },
        },
        { topic: T, acks: -1, retries: 1000 },
      );
      const { sim, brokers } = c;
      produceStream(sim, 1000, 150, 60);
      // One broker at a time goes down and comes back.
      brokers.forEach((b, i) => {
        sim.schedule(3000 + i * 4000, { type: 'crash', node: b });
        sim.schedule(5000 + i * 4000, { type: 'restart', node: b });
      });
      sim.runUntil(30000);
      const states = brokers.map((b) => sim.node(b).state as BrokerState);
      for (const s of states) for (const log of Object.values(s.durable.logs)) expect(checkLogInvariants(log)).toEqual([]);
      const hws = states.map((s) => s.volatile.partitions[`${T}-0`]?.highWatermark ?? 0);
      const committed = Math.min(...hws);
      const logs = brokers.map((b) => values(sim, b, T).slice(0, committed));
      expect(logs[1]).toEqual(logs[0]);
      expect(logs[2]).toEqual(logs[0]);
      const finalLog = values(sim, brokers[0], T);
      for (const a of producerDisk(sim).acked) expect(finalLog).toContain(a.id);
      // Progress, not speed: a lost inter-broker message costs a timeout plus replica.fetch.backoff.ms.
      expect(producerDisk(sim).acked.length).toBeGreaterThan(20);
      expect(producerDisk(sim).failed).toEqual([]);
    });
  }
});
