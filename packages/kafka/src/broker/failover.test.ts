import { describe, expect, it } from 'vitest';
import { clusterWithProducer, currentLeader, produceStream, producerDisk, recordFacts, values } from './testing/cluster';

const T = 'orders';
const topics = [{ name: T, partitions: 1, replicationFactor: 3 }];

function failoverRun(seed: number) {
  const c = clusterWithProducer(
    { seed, brokers: 3, zkServers: 3, topics, brokerConfig: { 'min.insync.replicas': 2 } },
    { topic: T, acks: -1 },
  );
  const ids = produceStream(c.sim, 1000, 200, 50);
  c.sim.runUntil(4000);
  const leader = currentLeader(c.sim, c.brokers, T)!;
  c.sim.schedule(4000, { type: 'crash', node: leader });
  c.sim.runUntil(20000);
  return { c, ids, leader };
}

describe('leader failover (real coordinator and controller)', () => {
  it('elects a new leader from the ISR; producing continues; nothing acknowledged with acks=all is lost', () => {
    const { c, ids, leader } = failoverRun(42);
    const { sim, brokers } = c;
    const elected = recordFacts(sim, 'leader-elected').filter((f) => f.topic === T);
    const after = elected.filter((f) => f.time > 4000);
    expect(after.length).toBeGreaterThan(0);
    const next = after[0];
    expect(next.unclean).toBe(false);
    expect(next.leader).not.toBe(leader);
    // The new leader was in the ISR at the time of the crash.
    const isrBefore = [...recordFacts(sim, 'isr-changed'), ...elected].filter((f) => f.topic === T && f.time < 4000).at(-1).isr;
    expect(isrBefore).toContain(next.leader);

    const disk = producerDisk(sim);
    const ackedAfter = disk.acked.filter((a) => a.at > next.time);
    expect(ackedAfter.length).toBeGreaterThan(50);
    expect(disk.failed).toEqual([]);
    const survivors = brokers.filter((b) => b !== leader);
    for (const b of survivors) {
      const log = values(sim, b, T);
      for (const a of disk.acked) expect(log).toContain(a.id);
      expect(log.slice(0, disk.acked.length).length).toBe(Math.min(log.length, disk.acked.length));
    }
    expect(values(sim, survivors[0], T)).toEqual(values(sim, survivors[1], T));
    expect(disk.acked.map((a) => a.id)).toEqual(ids.filter((id) => disk.acked.some((a) => a.id === id)));
  });

  it('min.insync.replicas=2 with two of three brokers down: acks=all gets NOT_ENOUGH_REPLICAS, nothing appended', () => {
    const c = clusterWithProducer(
      { seed: 31, brokers: 3, zkServers: 1, topics, brokerConfig: { 'min.insync.replicas': 2 } },
      { topic: T, acks: -1, retries: 0 },
    );
    const { sim, brokers } = c;
    produceStream(sim, 1000, 5, 100, 'before');
    sim.runUntil(2000);
    const leader = currentLeader(sim, brokers, T)!;
    for (const b of brokers.filter((x) => x !== leader)) sim.schedule(2000, { type: 'crash', node: b });
    const refused = produceStream(sim, 12000, 3, 100, 'refused');
    // (The test producer may ask a dead broker for metadata first and wait out its timeout.)
    sim.runUntil(20000);
    const disk = producerDisk(sim);
    expect(disk.acked.map((a) => a.id)).toEqual(['before-0', 'before-1', 'before-2', 'before-3', 'before-4']);
    expect(disk.failed).toEqual(refused.map((id) => ({ id, error: 'NOT_ENOUGH_REPLICAS' })));
    const rejected = recordFacts(sim, 'produce-rejected').filter((f) => f.topic === T);
    expect(rejected.map((f) => f.error)).toEqual(['NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS']);
    for (const id of refused) expect(values(sim, leader, T)).not.toContain(id);
  });

  it('same seed, same trace hash', () => {
    const one = failoverRun(7).c.sim.traceHash();
    const two = failoverRun(7).c.sim.traceHash();
    const other = failoverRun(8).c.sim.traceHash();
    expect(one).toBe(two);
    expect(other).not.toBe(one);
  });
});
