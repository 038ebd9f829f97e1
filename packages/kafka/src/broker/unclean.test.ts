import { describe, expect, it } from 'vitest';
import { clusterWithProducer, currentLeader, produceStream, producerDisk, recordFacts, values } from './testing/cluster';

const T = 'ledger';

function run(unclean: boolean) {
  const c = clusterWithProducer(
    {
      seed: 9, brokers: 3, zkServers: 1,
      topics: [{ name: T, partitions: 1, replicationFactor: 2, assignment: [[1, 2]], config: { 'unclean.leader.election.enable': unclean } }],
    },
    { topic: T, acks: 1, retries: 1000, requestTimeoutMs: 1000 },
  );
  const { sim } = c;
  sim.schedule(1500, { type: 'crash', node: 'broker-2' });
  // broker-2 drops out of the ISR; broker-1 alone acknowledges these.
  const ids = produceStream(sim, 6000, 10, 50, 'u');
  sim.schedule(7000, { type: 'crash', node: 'broker-1' });
  sim.schedule(7100, { type: 'restart', node: 'broker-2' });
  sim.runUntil(13000);
  const midLeader = currentLeader(sim, c.brokers, T);
  const midFacts = recordFacts(sim, 'partition-offline').filter((f) => f.topic === T);
  sim.schedule(14000, { type: 'restart', node: 'broker-1' });
  sim.runUntil(22000);
  return { c, ids, midLeader, midFacts };
}

describe('unclean leader election (real coordinator and controller)', () => {
  it('on: the out-of-sync replica becomes leader and acknowledged records disappear', () => {
    const { c, ids, midLeader } = run(true);
    const { sim } = c;
    expect(midLeader).toBe('broker-2');
    const elected = recordFacts(sim, 'leader-elected').filter((f) => f.topic === T && f.leader === 'broker-2');
    expect(elected.some((f) => f.unclean)).toBe(true);
    const acked = producerDisk(sim).acked.filter((a) => ids.includes(a.id));
    expect(acked.map((a) => a.id)).toEqual(ids);
    for (const b of ['broker-1', 'broker-2']) {
      const log = values(sim, b, T);
      for (const id of ids) expect(log).not.toContain(id);
    }
    const cut = recordFacts(sim, 'truncate').filter((f) => f.broker === 'broker-1' && f.topic === T);
    expect(cut.flatMap((f) => f.removedIds)).toEqual(ids);
  });

  it('off: the partition stays offline until an ISR member returns, and nothing is lost', () => {
    const { c, ids, midLeader, midFacts } = run(false);
    const { sim } = c;
    expect(midLeader).toBeNull();
    expect(midFacts.length).toBeGreaterThan(0);
    expect(recordFacts(sim, 'leader-elected').filter((f) => f.topic === T).every((f) => !f.unclean)).toBe(true);
    expect(currentLeader(sim, c.brokers, T)).toBe('broker-1');
    for (const b of ['broker-1', 'broker-2']) expect(values(sim, b, T)).toEqual(expect.arrayContaining(ids));
    expect(recordFacts(sim, 'truncate').filter((f) => f.topic === T && f.removedIds.length > 0)).toEqual([]);
  });
});
