import { describe, expect, it } from 'vitest';
import type { BrokerConfig } from '../config';
import { detachedCluster, facts } from './testing/harness';
import { elect, logValues, produce, response } from './testing/scenarios';

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
