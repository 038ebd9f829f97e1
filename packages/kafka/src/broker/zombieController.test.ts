import { describe, expect, it } from 'vitest';
import type { BrokerState } from './types';
import { activeController, clusterWithProducer, produceStream, recordFacts } from './testing/cluster';

const T = 'audit';

describe('zombie controller (real coordinator and controller)', () => {
  it('a paused controller that wakes after a new one was elected cannot change leadership', () => {
    const c = clusterWithProducer(
      { seed: 13, brokers: 4, zkServers: 3, topics: [{ name: T, partitions: 1, replicationFactor: 3 }], tracePayloads: 'full' },
      { topic: T, acks: -1 },
    );
    const { sim, brokers } = c;
    produceStream(sim, 1000, 100, 100);
    sim.runUntil(2000);
    const zombie = activeController(sim, brokers)!;
    const zombieEpoch = (sim.node(zombie).state as BrokerState).volatile.controller.epoch;
    // A LeaderAndIsr the zombie sent while it was the real controller (resent later as a replay).
    const captured = sim.trace.find((e: any) => e.type === 'deliver' && e.from === zombie && e.payload?.api === 'LeaderAndIsr') as any;
    sim.schedule(2000, { type: 'pause', node: zombie, durationMs: 7000 });
    // While it sleeps, a broker dies: the new controller must move leaderships.
    const victim = brokers.find((b) => b !== zombie)!;
    sim.schedule(2500, { type: 'crash', node: victim });
    sim.runUntil(9500);

    const successor = recordFacts(sim, 'controller-elected').find((f) => f.time > 2000);
    expect(successor.controller).not.toBe(zombie);
    expect(successor.controllerEpoch).toBeGreaterThan(zombieEpoch);

    // The zombie resumed at 9000; replay its old request to every live broker, as a late packet would arrive.
    const targets = brokers.filter((b) => b !== victim && b !== zombie);
    for (const to of targets) {
      sim.schedule(9600, { type: 'command', node: 'probe', name: 'send', data: { to, payload: { ...captured.payload, correlationId: 9_000_000 } } });
    }
    const leadership = () => targets.map((b) => Object.values((sim.node(b).state as BrokerState).volatile.partitions)
      .map((p) => `${p.topic}-${p.partition}:${p.leader}@${p.leaderEpoch}`).sort().join(' '));
    const before = leadership();
    sim.runUntil(15000);

    const rejected = recordFacts(sim, 'stale-controller-rejected');
    expect(rejected.filter((f) => f.controller === zombie && f.controllerEpoch === zombieEpoch).length).toBeGreaterThanOrEqual(targets.length);
    for (const f of rejected) expect(f.currentEpoch).toBeGreaterThan(f.controllerEpoch);
    // Every leadership a broker holds came from the successor's epoch or later.
    for (const b of targets) {
      const v = (sim.node(b).state as BrokerState).volatile;
      expect(v.controllerEpoch).toBeGreaterThanOrEqual(successor.controllerEpoch);
    }
    // No election by the zombie's epoch took effect after it was deposed.
    const zombieElections = recordFacts(sim, 'leader-elected').filter((f) => f.time > 2000 && f.controllerEpoch === zombieEpoch);
    const becameLeader = recordFacts(sim, 'become-leader').filter((f) => f.time > 2000);
    for (const z of zombieElections) {
      expect(becameLeader.some((bl) => bl.topic === z.topic && bl.partition === z.partition && bl.leaderEpoch === z.leaderEpoch && bl.time > z.time)).toBe(false);
    }
    // The replay changed nothing.
    expect(leadership()).toEqual(before);
    expect(activeController(sim, brokers)).not.toBe(zombie);
  });
});
