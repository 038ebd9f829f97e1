import { describe, expect, it } from 'vitest';
import { activeController, clusterWithProducer, currentLeader, produceStream, producerDisk, recordFacts, values } from './testing/cluster';

const T = 'clicks';

describe('acks=1 loses what the leader acknowledged alone (real coordinator and controller)', () => {
  it('a record acknowledged by a leader that dies before its followers fetched it is gone after failover', () => {
    const c = clusterWithProducer(
      { seed: 5, brokers: 3, zkServers: 3, topics: [{ name: T, partitions: 1, replicationFactor: 3 }] },
      { topic: T, acks: 1, retries: 50 },
    );
    const { sim, brokers } = c;
    produceStream(sim, 1000, 150, 20);
    sim.runUntil(2000);
    const leader = currentLeader(sim, brokers, T)!;
    const followers = brokers.filter((b) => b !== leader);
    // The followers stop hearing from the leader (they cannot fetch); producer and zk still reach it.
    sim.schedule(2000, { type: 'partition', id: 'cut', sideA: [leader], sideB: followers });
    sim.schedule(2300, { type: 'crash', node: leader });
    sim.schedule(2301, { type: 'heal', id: 'cut' });
    sim.schedule(9000, { type: 'restart', node: leader });
    sim.runUntil(15000);

    const acked = producerDisk(sim).acked;
    const newLeader = currentLeader(sim, brokers, T)!;
    expect(newLeader).not.toBe(leader);
    const finalLog = values(sim, newLeader, T);
    const lost = acked.filter((a) => !finalLog.includes(a.id));
    // Acknowledged between the cut (2000) and the crash (2300), one every 20 ms.
    expect(lost.length).toBeGreaterThanOrEqual(10);
    expect(lost.every((a) => a.leader === leader && a.at >= 2000 && a.at <= 2300)).toBe(true);

    const appends = recordFacts(sim, 'append').filter((f) => f.topic === T);
    const truncations = recordFacts(sim, 'truncate').filter((f) => f.topic === T);
    for (const a of lost) {
      // Appended only on the old leader...
      const where = appends.filter((f) => f.ids.includes(a.id));
      expect(where.map((f) => `${f.broker}/${f.role}`)).toEqual([`${leader}/leader`]);
      // ...which cut it away when it came back as a follower of the new leader.
      expect(truncations.some((t) => t.broker === leader && t.removedIds.includes(a.id))).toBe(true);
    }
    // After the restart every replica agrees again.
    for (const b of brokers) expect(values(sim, b, T)).toEqual(finalLog);
    expect(activeController(sim, brokers)).not.toBeNull();
    // Measured: 150 acknowledged, exactly the 15 sent during the cut (r-50 at 2000 .. r-64 at 2280) lost.
    expect(acked).toHaveLength(150);
    expect(lost.map((a) => a.id)).toEqual(Array.from({ length: 15 }, (_, i) => `r-${50 + i}`));
  });
});
