import { describe, expect, it } from 'vitest';
import type { BrokerConfig } from '../config';
import { detachedCluster, facts } from './testing/harness';
import { elect, logValues, partitionOn, produce, response } from './testing/scenarios';

const T = 'kip101';
const AB = ['broker-1', 'broker-2'];

/**
 * KIP-101 "Scenario 1: High Watermark Truncation followed by Immediate Leader Election" leading
 * into "Scenario 2: Replica Divergence": B (broker-2) has m2 but its HW is still 1 when it
 * restarts; A (broker-1) has HW 2 (m2 was acknowledged with acks=all). B comes back, A dies
 * before B fetched again, B leads, takes m3, and A comes back as follower.
 */
function kip101(truncation: BrokerConfig['kafkasim.truncation']) {
  const c = detachedCluster({ seed: 101, brokers: 3, config: { 'kafkasim.truncation': truncation } });
  const { sim } = c;
  elect(sim, 10, T, 'broker-1', 1, AB, AB);
  produce(sim, 100, 'broker-1', T, ['m1'], 1);
  const m2 = produce(sim, 300, 'broker-1', T, ['m2'], -1);
  // B fetched m2 (HW 1 in that response) and its next fetch told A it has 2 records: A's HW is 2.
  sim.schedule(350, { type: 'crash', node: 'broker-2' });
  sim.schedule(360, { type: 'partition', id: 'ab', sideA: ['broker-1'], sideB: ['broker-2'] });
  sim.schedule(400, { type: 'restart', node: 'broker-2' });
  elect(sim, 450, T, 'broker-1', 1, AB, AB); // the controller tells the restarted B who leads
  sim.schedule(500, { type: 'crash', node: 'broker-1' });
  elect(sim, 600, T, 'broker-2', 2, ['broker-2'], AB); // B was in the ISR: a clean election
  produce(sim, 700, 'broker-2', T, ['m3'], 1);
  sim.schedule(800, { type: 'heal', id: 'ab' });
  sim.schedule(800, { type: 'restart', node: 'broker-1' });
  elect(sim, 900, T, 'broker-2', 2, ['broker-2'], AB);
  produce(sim, 1500, 'broker-2', T, ['m4'], 1);
  sim.runUntil(4000);
  return { c, m2Response: response(sim, m2) };
}

describe('follower truncation (KIP-101)', () => {
  it("legacy 'high-watermark' truncation: an acknowledged record is lost and the replicas diverge at the same offset", () => {
    const { c, m2Response } = kip101('high-watermark');
    expect(m2Response.partitions[0]).toMatchObject({ error: 'NONE', baseOffset: 1 });
    const a = logValues(c.sim, 'broker-1', T);
    const b = logValues(c.sim, 'broker-2', T);
    expect(a).toEqual(['m1', 'm2', 'm4']);
    expect(b).toEqual(['m1', 'm3', 'm4']);
    // Same offset 1, different records: the divergence KIP-101 fixed.
    expect(a[1]).not.toBe(b[1]);
    const truncations = facts(c.sim, 'truncate');
    expect(truncations).toEqual([
      expect.objectContaining({ broker: 'broker-2', from: 2, to: 1, rule: 'high-watermark', removedIds: ['m2'] }),
    ]);
  });

  it("default 'leader-epoch' truncation: no loss, no divergence", () => {
    const { c, m2Response } = kip101('leader-epoch');
    expect(m2Response.partitions[0]).toMatchObject({ error: 'NONE', baseOffset: 1 });
    expect(logValues(c.sim, 'broker-1', T)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(logValues(c.sim, 'broker-2', T)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(facts(c.sim, 'truncate')).toEqual([]);
    // A asked B where its epoch 1 ended: at 2, where B's epoch 2 began.
    const epochs = c.sim.trace.filter((e: any) => e.type === 'deliver' && e.payload?.api === 'OffsetsForLeaderEpochResponse' && e.node === 'broker-1');
    expect((epochs.at(-1) as any).payload.partitions[0]).toMatchObject({ leaderEpoch: 1, endOffset: 2 });
  });

  it('a diverged suffix written by an old leader is truncated away by the epoch rule', () => {
    const c = detachedCluster({ seed: 5, brokers: 3 });
    const { sim } = c;
    elect(sim, 10, T, 'broker-1', 1, AB, AB);
    produce(sim, 100, 'broker-1', T, ['m1'], -1);
    // A is cut off from B and takes a record with acks=1 that B never sees.
    sim.schedule(1000, { type: 'partition', id: 'ab', sideA: ['broker-1'], sideB: ['broker-2'] });
    const lost = produce(sim, 1100, 'broker-1', T, ['lost'], 1);
    sim.schedule(1200, { type: 'crash', node: 'broker-1' });
    elect(sim, 1300, T, 'broker-2', 2, ['broker-2'], AB);
    produce(sim, 1400, 'broker-2', T, ['new-1', 'new-2'], 1);
    sim.schedule(1500, { type: 'heal', id: 'ab' });
    sim.schedule(1500, { type: 'restart', node: 'broker-1' });
    elect(sim, 1600, T, 'broker-2', 2, ['broker-2'], AB);
    sim.runUntil(3000);
    expect(response(sim, lost).partitions[0]).toMatchObject({ error: 'NONE', baseOffset: 1 });
    expect(logValues(sim, 'broker-1', T)).toEqual(['m1', 'new-1', 'new-2']);
    expect(logValues(sim, 'broker-2', T)).toEqual(['m1', 'new-1', 'new-2']);
    expect(facts(sim, 'truncate')).toEqual([
      expect.objectContaining({ broker: 'broker-1', from: 2, to: 1, rule: 'leader-epoch', removedIds: ['lost'] }),
    ]);
  });
});

/**
 * KIP-279's "fast leader fail-over": A leads epoch 1 and takes `a-1` that B never gets; B leads
 * epoch 2 and takes `b-1` at the same offset; A leads again in epoch 3 before B fetched from it.
 * B's latest epoch (2) is one A never had: A answers "epoch 1 ended at 2".
 */
function fastFailover(truncation: BrokerConfig['kafkasim.truncation']) {
  const c = detachedCluster({ seed: 279, brokers: 2, config: { 'kafkasim.truncation': truncation } });
  const { sim } = c;
  elect(sim, 10, T, 'broker-1', 1, AB, AB);
  produce(sim, 100, 'broker-1', T, ['m0'], -1);
  sim.schedule(1000, { type: 'partition', id: 'ab', sideA: ['broker-1'], sideB: ['broker-2'] });
  produce(sim, 1100, 'broker-1', T, ['a-1'], 1);
  elect(sim, 1200, T, 'broker-2', 2, AB, AB);
  produce(sim, 1300, 'broker-2', T, ['b-1'], 1);
  elect(sim, 1400, T, 'broker-1', 3, AB, AB);
  sim.schedule(1500, { type: 'heal', id: 'ab' });
  produce(sim, 2500, 'broker-1', T, ['m2'], 1);
  sim.runUntil(5000);
  return c;
}

describe('follower truncation after fast leader changes (KIP-279)', () => {
  it("'kip-101': one round to the offset the leader names keeps the old leader's record: the replicas diverge", () => {
    const { sim } = fastFailover('kip-101');
    expect(logValues(sim, 'broker-1', T)).toEqual(['m0', 'a-1', 'm2']);
    expect(logValues(sim, 'broker-2', T)).toEqual(['m0', 'b-1', 'm2']);
    expect(facts(sim, 'truncate').filter((f) => f.broker === 'broker-2')).toEqual([]);
  });

  it("'kip-279': the follower learns the answer was about epoch 1, cuts to where its own epoch 1 ended, and matches", () => {
    const { sim } = fastFailover('kip-279');
    expect(logValues(sim, 'broker-1', T)).toEqual(['m0', 'a-1', 'm2']);
    expect(logValues(sim, 'broker-2', T)).toEqual(['m0', 'a-1', 'm2']);
    expect(facts(sim, 'truncate').filter((f) => f.broker === 'broker-2')).toEqual([
      expect.objectContaining({ from: 2, to: 1, rule: 'leader-epoch', removedIds: ['b-1'] }),
    ]);
  });

  it("'leader-epoch' (the old name) behaves as the newest rule", () => {
    const { sim } = fastFailover('leader-epoch');
    expect(logValues(sim, 'broker-2', T)).toEqual(['m0', 'a-1', 'm2']);
  });
});

const ABC = ['broker-1', 'broker-2', 'broker-3'];

/**
 * KIP-320's follower case: C (broker-3) is cut off from the controller, so it never learns of
 * epochs 2 and 3 and keeps fetching from A as the epoch-1 leader. Meanwhile A lost `x-1` to B's
 * epoch 2 (truncated as B's follower) and leads again in epoch 3.
 */
function staleFollower(truncation: BrokerConfig['kafkasim.truncation']) {
  const c = detachedCluster({ seed: 320, brokers: 3, config: { 'kafkasim.truncation': truncation } });
  const { sim } = c;
  elect(sim, 10, T, 'broker-1', 1, ABC, ABC);
  produce(sim, 100, 'broker-1', T, ['m0'], -1);
  sim.schedule(1000, { type: 'partition', id: 'c', sideA: ['controller'], sideB: ['broker-3'] });
  sim.schedule(1000, { type: 'partition', id: 'ab', sideA: ['broker-1'], sideB: ['broker-2'] });
  produce(sim, 1100, 'broker-1', T, ['x-1'], 1);
  elect(sim, 1700, T, 'broker-2', 2, ['broker-2', 'broker-1'], ABC);
  produce(sim, 1800, 'broker-2', T, ['y-1'], 1);
  sim.schedule(1900, { type: 'heal', id: 'ab' });
  // A's OffsetsForLeaderEpoch sent into the partition times out at 3.2 s, it backs off 1 s, then truncates x-1.
  elect(sim, 5000, T, 'broker-1', 3, ABC, ABC);
  produce(sim, 5100, 'broker-1', T, ['m2'], 1);
  sim.runUntil(6500);
  return c;
}

describe('fetches fenced by leader epoch (KIP-320)', () => {
  it("'kip-279': the stale follower's fetch is served, its log diverges below the leader's high watermark", () => {
    const { sim } = staleFollower('kip-279');
    expect(logValues(sim, 'broker-1', T)).toEqual(['m0', 'y-1', 'm2']);
    expect(logValues(sim, 'broker-3', T)).toEqual(['m0', 'x-1', 'm2']);
    expect(partitionOn(sim, 'broker-1', T).highWatermark).toBe(3);
  });

  it("'kip-320': the leader answers FENCED_LEADER_EPOCH and the follower appends nothing until it hears of the new epoch", () => {
    const { sim } = staleFollower('kip-320');
    expect(logValues(sim, 'broker-3', T)).toEqual(['m0', 'x-1']);
    const fenced = sim.trace.filter((e: any) => e.type === 'deliver' && e.node === 'broker-3' && e.payload?.api === 'FetchResponse'
      && e.payload.partitions[0].error === 'FENCED_LEADER_EPOCH');
    expect(fenced.length).toBeGreaterThan(0);
    // The epoch-3 LeaderAndIsr reaches it at last: it truncates x-1 and catches up.
    sim.schedule(6600, { type: 'heal', id: 'c' });
    elect(sim, 6700, T, 'broker-1', 3, ABC, ABC);
    sim.runUntil(9000);
    expect(logValues(sim, 'broker-3', T)).toEqual(['m0', 'y-1', 'm2']);
  });
});

describe('a new leader epoch under the same leader', () => {
  const epochRequests = (truncation: BrokerConfig['kafkasim.truncation']) => {
    const { sim } = detachedCluster({ seed: 21, brokers: 2, config: { 'kafkasim.truncation': truncation } });
    elect(sim, 10, T, 'broker-1', 1, AB, AB);
    produce(sim, 100, 'broker-1', T, ['m0'], -1);
    elect(sim, 1000, T, 'broker-1', 2, AB, AB);
    sim.runUntil(2000);
    return sim.trace.filter((e: any) => e.type === 'deliver' && e.node === 'broker-1' && e.payload?.api === 'OffsetsForLeaderEpoch').length;
  };

  it("'kip-320' truncates again (Kafka 2.1+); 'kip-279' goes on fetching, as Partition.makeFollower reported no change before 2.1", () => {
    // The first LeaderAndIsr found an empty log (nothing to ask); only the second can ask.
    expect(epochRequests('kip-320')).toBe(1);
    expect(epochRequests('kip-279')).toBe(0);
  });
});
