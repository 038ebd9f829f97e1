import { describe, expect, it } from 'vitest';
import { detachedCluster, facts } from './testing/harness';
import { elect, partitionOn, THREE } from './testing/scenarios';

const T = 'fenced';

describe('controller epoch fencing', () => {
  it('rejects LeaderAndIsr, UpdateMetadata and StopReplica from an older controller epoch', () => {
    const c = detachedCluster({ seed: 21, brokers: 3 });
    elect(c.sim, 10, T, 'broker-1', 1, THREE, THREE, 1);
    elect(c.sim, 100, T, 'broker-2', 2, THREE, THREE, 2);
    // The zombie (epoch 1) wakes up and tries to move leadership back.
    elect(c.sim, 200, T, 'broker-3', 3, THREE, THREE, 1);
    c.sim.runUntil(1000);
    for (const b of c.brokers) {
      expect(partitionOn(c.sim, b, T)).toMatchObject({ leader: 'broker-2', leaderEpoch: 2 });
    }
    const rejected = facts(c.sim, 'stale-controller-rejected');
    const seen = rejected.map((f) => `${f.node} ${f.api} ${f.controllerEpoch}<${f.currentEpoch}`).sort();
    expect(seen).toEqual(THREE.flatMap((b) => [`${b} LeaderAndIsr 1<2`, `${b} UpdateMetadata 1<2`]));
    const responses = c.sim.trace.filter((e: any) => e.type === 'deliver' && e.node === 'controller' && e.payload.error === 'STALE_CONTROLLER_EPOCH');
    expect(responses).toHaveLength(6);
  });
});
