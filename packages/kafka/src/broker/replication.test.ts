import { describe, expect, it } from 'vitest';
import { allRecords } from '../storage';
import { summarizeBroker } from './describe';
import { brokerState, command, detachedCluster, facts, produceRequest } from './testing/harness';

const T = 'orders';
const state = (leader: string, leaderEpoch: number, isr: string[], replicas = ['broker-1', 'broker-2', 'broker-3']) =>
  ({ topic: T, partition: 0, leader, leaderEpoch, isr, replicas, partitionEpoch: 0 });
const values = (sim: any, node: string) => allRecords(brokerState(sim, node).durable.logs[`${T}-0`]).map((r) => r.value);

describe('replication with a scripted controller', () => {
  it('replicates to followers, advances the HW and answers acks=all once the ISR has the records', () => {
    const c = detachedCluster({ seed: 1, brokers: 3, config: { 'min.insync.replicas': 2 } });
    command(c.sim, 'controller', 'elect', { states: [state('broker-1', 1, c.brokers)] }, 10);
    command(c.sim, 'probe', 'send', { to: 'broker-1', payload: produceRequest(T, 0, ['a', 'b', 'c'], -1) }, 100);
    c.sim.runUntil(2000);
    for (const b of c.brokers) expect(values(c.sim, b)).toEqual(['a', 'b', 'c']);
    const response = brokerProbe(c.sim).responses[1];
    expect(response.partitions[0]).toMatchObject({ error: 'NONE', baseOffset: 0 });
    const hw = facts(c.sim, 'high-watermark').filter((f) => f.broker === 'broker-1');
    expect(hw.at(-1).highWatermark).toBe(3);
    // Followers learn the HW from the leader's next fetch response.
    for (const b of c.brokers) expect(brokerState(c.sim, b).volatile.partitions[`${T}-0`].highWatermark).toBe(3);
    expect(facts(c.sim, 'append').filter((f) => f.role === 'follower')).toHaveLength(2);

    // What the visualizer sees: the leader's view of every replica, the records with their epochs, the segments.
    const leader = summarizeBroker(brokerState(c.sim, 'broker-1')).partitions[0];
    expect(leader).toMatchObject({ role: 'leader', leader: 'broker-1', leaderEpoch: 1, isr: c.brokers, logEndOffset: 3, highWatermark: 3 });
    expect(leader.replicaStates.map((r) => [r.broker, r.logEndOffset, r.inSync])).toEqual([
      ['broker-1', 3, true], ['broker-2', 3, true], ['broker-3', 3, true],
    ]);
    expect(leader.records).toEqual([
      { offset: 0, key: null, value: 'a', epoch: 1 }, { offset: 1, key: null, value: 'b', epoch: 1 }, { offset: 2, key: null, value: 'c', epoch: 1 },
    ]);
    expect(leader.log.segments).toHaveLength(1);
    const follower = summarizeBroker(brokerState(c.sim, 'broker-2')).partitions[0];
    expect(follower).toMatchObject({ role: 'follower', leader: 'broker-1', followerSync: { phase: 'fetching' } });
  });
});

function brokerProbe(sim: any) {
  return sim.node('probe').state.durable;
}
