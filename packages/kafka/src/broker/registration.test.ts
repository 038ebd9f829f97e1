import { describe, expect, it } from 'vitest';
import { buildCluster } from '../cluster';
import { describeBroker } from './index';
import { recordFacts } from './testing/cluster';

describe('broker registration in the coordinator', () => {
  it('registers an ephemeral znode per session: again after a fast restart and after a session expiry', () => {
    const { sim, brokers, zkServers } = buildCluster({ seed: 3, brokers: 3, zkServers: 3, topics: [] });
    sim.runUntil(2000);
    sim.schedule(2000, { type: 'crash', node: 'broker-2' });
    sim.schedule(2200, { type: 'restart', node: 'broker-2' });
    sim.schedule(9000, { type: 'command', node: zkServers[0], name: 'expire-session', data: { owner: 'broker-3' } });
    sim.runUntil(14000);
    const regs = recordFacts(sim, 'broker-registered');
    const of = (b: string) => regs.filter((f) => f.broker === b);
    expect(of('broker-1')).toHaveLength(1);
    const [first2, second2] = of('broker-2');
    // The old session's znode blocks the new one until that session expires (3 s).
    expect(second2.time).toBeGreaterThan(2000 + 2000);
    expect(second2.sessionId).not.toBe(first2.sessionId);
    expect(second2.brokerEpoch).toBeGreaterThan(first2.brokerEpoch);
    const [first3, second3] = of('broker-3');
    expect(second3.time).toBeGreaterThan(9000);
    expect(second3.brokerEpoch).toBeGreaterThan(first3.brokerEpoch);
    for (const b of brokers) {
      const summary = describeBroker(sim.node(b).state);
      expect(summary.registered).toBe(true);
      expect(summary.zkSession).toBe(of(b).at(-1).sessionId);
    }
    expect(recordFacts(sim, 'controller-elected').length).toBeGreaterThan(0);
  });
});
