import { describe, expect, it } from 'vitest';
import { replicaLagCountdowns, sessionCountdowns } from './countdowns';

describe('countdowns of timeouts that are running out', () => {
  it('a session counts down once a third of its timeout has gone without a heartbeat', () => {
    const s = [{ owner: 'broker-1', timeoutMs: 3000, expiresAt: 6000 }];
    expect(sessionCountdowns('zk-1', s, 3500)).toEqual([]);
    expect(sessionCountdowns('zk-1', s, 4500)).toMatchObject([{ kind: 'session', subject: 'broker-1', deadline: 6000 }]);
    expect(sessionCountdowns('zk-1', s, 6001)).toEqual([]);
  });

  it("a follower counts down when behind the leader's LEO and not caught up for a third of replica.lag.time.max.ms", () => {
    const partition = { followers: { 'broker-2': { logEndOffset: 90, lastCaughtUpTimeMs: 1000 }, 'broker-3': { logEndOffset: 100, lastCaughtUpTimeMs: 1000 } } };
    const isr = ['broker-1', 'broker-2', 'broker-3'];
    expect(replicaLagCountdowns('broker-1', 'orders-0', partition, 100, isr, 1500, 3000)).toEqual([]);
    const c = replicaLagCountdowns('broker-1', 'orders-0', partition, 100, isr, 2500, 3000);
    expect(c).toMatchObject([{ kind: 'replica-lag', subject: 'broker-2', deadline: 4000 }]);
    // Out of the ISR already: nothing left to count.
    expect(replicaLagCountdowns('broker-1', 'orders-0', partition, 100, ['broker-1', 'broker-3'], 2500, 3000)).toEqual([]);
  });
});
