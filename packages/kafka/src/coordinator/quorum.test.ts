import { Simulation } from '@kafkasim/engine';
import { describe, expect, it } from 'vitest';
import { addEnsemble, describe as describeServer, facts, leaderOf, resultOf, zkCommand, zkTestClient } from './testing/zkTestClient';

const trees = (sim: Simulation, ids: string[]) => ids.map((id) => describeServer(sim, id).tree);

describe('quorum: minority partitions, leader failover, convergence', () => {
  it('a partitioned minority cannot commit; the majority elects a new leader; after heal all trees converge', () => {
    const sim = new Simulation({ seed: 11 });
    const ids = addEnsemble(sim, 3);
    sim.runUntil(800);
    const oldLeader = leaderOf(sim, ids)!;
    expect(oldLeader).toBe('zk-3'); // same zxid everywhere: the highest id wins
    const majority = ids.filter((id) => id !== oldLeader);
    sim.addNode('minor', zkTestClient({ servers: [oldLeader], sessionTimeoutMs: 3000 }), 800);
    sim.addNode('major', zkTestClient({ servers: majority, sessionTimeoutMs: 3000 }), 800);
    zkCommand(sim, 1000, 'minor', 'create', { path: '/before', data: 1, tag: 'before' });
    sim.runUntil(1500);
    expect(resultOf(sim, 'minor', 'before')).toMatchObject({ ok: true });

    sim.schedule(1500, { type: 'partition', id: 'split', sideA: [oldLeader, 'minor'], sideB: [...majority, 'major'] });
    zkCommand(sim, 1550, 'minor', 'create', { path: '/minority', data: 'lost', tag: 'minority' });
    zkCommand(sim, 1550, 'minor', 'setData', { path: '/before', data: 2, version: -1, tag: 'minority-set' });
    sim.runUntil(4000);

    // The cut-off leader logged the proposals but could not commit them; it stepped down.
    expect(resultOf(sim, 'minor', 'minority')).toMatchObject({ ok: false, error: 'ConnectionLoss' });
    expect(resultOf(sim, 'minor', 'minority-set')).toMatchObject({ ok: false, error: 'ConnectionLoss' });
    expect(facts(sim, 'zk-write-committed').some((f) => f.path === '/minority')).toBe(false);
    expect(describeServer(sim, oldLeader).role).toBe('looking');
    expect(describeServer(sim, oldLeader).lastLoggedZxid).toBeGreaterThan(describeServer(sim, oldLeader).zxid);

    const newLeader = leaderOf(sim, majority);
    expect(newLeader).not.toBeNull();
    expect(facts(sim, 'zk-leader-elected').map((f) => [f.server, f.epoch])).toEqual([[oldLeader, 1], [newLeader, 2]]);
    zkCommand(sim, 4000, 'major', 'create', { path: '/majority', data: 'kept', tag: 'majority' });
    sim.runUntil(4500);
    expect(resultOf(sim, 'major', 'majority')).toMatchObject({ ok: true });

    sim.schedule(4500, { type: 'heal', id: 'split' });
    sim.runUntil(9000);
    expect(describeServer(sim, oldLeader)).toMatchObject({ role: 'following', leader: newLeader, serving: true });
    const [first, ...rest] = trees(sim, ids);
    for (const t of rest) expect(t).toEqual(first);
    const paths = first.map((n) => n.path);
    expect(paths).toContain('/majority');
    expect(paths).not.toContain('/minority');
    expect(first.find((n) => n.path === '/before')?.data).toBe(1);
    // The old leader's uncommitted proposals were truncated away.
    for (const id of ids) expect(describeServer(sim, id).lastLoggedZxid).toBe(describeServer(sim, id).zxid);
  });

  it('a follower cut off from the leader stops serving; its clients move to the majority', () => {
    const sim = new Simulation({ seed: 12 });
    const ids = addEnsemble(sim, 3);
    sim.addNode('c', zkTestClient({ servers: ['zk-1', 'zk-2'], sessionTimeoutMs: 3000 }), 100);
    sim.runUntil(1000);
    const server = sim.node('c').state.volatile.zk.server;
    sim.schedule(1000, { type: 'partition', id: 'p', sideA: [server], sideB: ids.filter((id) => id !== server) });
    zkCommand(sim, 1050, 'c', 'create', { path: '/w', tag: 'w1' });
    sim.runUntil(3000);
    expect(resultOf(sim, 'c', 'w1')).toMatchObject({ ok: false, error: 'ConnectionLoss' });
    expect(describeServer(sim, server).serving).toBe(false);
    zkCommand(sim, 3000, 'c', 'create', { path: '/w', tag: 'w2' });
    sim.runUntil(3500);
    expect(resultOf(sim, 'c', 'w2')).toMatchObject({ ok: true });
    expect(sim.node('c').state.volatile.zk.server).not.toBe(server);
  });

  it('serves stale reads from a follower that has not noticed it is cut off', () => {
    const sim = new Simulation({ seed: 13 });
    const ids = addEnsemble(sim, 3);
    sim.addNode('reader', zkTestClient({ servers: ['zk-1'], sessionTimeoutMs: 3000 }), 100);
    sim.addNode('writer', zkTestClient({ servers: ['zk-3'], sessionTimeoutMs: 3000 }), 100);
    zkCommand(sim, 1000, 'writer', 'create', { path: '/v', data: 'old', tag: 'c' });
    sim.schedule(1100, { type: 'partition', id: 'p', sideA: ['zk-1'], sideB: ['zk-2', 'zk-3', 'writer'] });
    zkCommand(sim, 1150, 'writer', 'setData', { path: '/v', data: 'new', version: -1, tag: 's' });
    zkCommand(sim, 1200, 'reader', 'getData', { path: '/v', tag: 'stale' });
    sim.runUntil(1300);
    expect(resultOf(sim, 'writer', 's')).toMatchObject({ ok: true });
    expect(resultOf(sim, 'reader', 'stale')).toMatchObject({ ok: true, data: 'old' });
    expect(ids).toHaveLength(3);
  });

  it('runs with 1 and 5 servers', () => {
    for (const n of [1, 5]) {
      const sim = new Simulation({ seed: n });
      const ids = addEnsemble(sim, n);
      sim.addNode('c', zkTestClient({ servers: ids, sessionTimeoutMs: 3000 }), 100);
      zkCommand(sim, 1000, 'c', 'create', { path: '/n', data: n, tag: 'c' });
      sim.runUntil(2000);
      expect(leaderOf(sim, ids)).toBe(`zk-${n}`);
      expect(resultOf(sim, 'c', 'c')).toMatchObject({ ok: true });
      const [first, ...rest] = trees(sim, ids);
      for (const t of rest) expect(t).toEqual(first);
    }
  });

  it('with 5 servers, two may fail and writes still commit; three failures stop them', () => {
    const sim = new Simulation({ seed: 5 });
    const ids = addEnsemble(sim, 5);
    sim.addNode('c', zkTestClient({ servers: ['zk-1'], sessionTimeoutMs: 3000 }), 100);
    sim.schedule(1000, { type: 'crash', node: 'zk-5' });
    sim.schedule(1000, { type: 'crash', node: 'zk-4' });
    zkCommand(sim, 3500, 'c', 'create', { path: '/two-down', tag: 'ok' });
    sim.schedule(4000, { type: 'crash', node: 'zk-3' });
    zkCommand(sim, 4010, 'c', 'create', { path: '/three-down', tag: 'no' });
    sim.runUntil(7000);
    expect(resultOf(sim, 'c', 'ok')).toMatchObject({ ok: true });
    expect(resultOf(sim, 'c', 'no')).toMatchObject({ ok: false, error: 'ConnectionLoss' });
    expect(facts(sim, 'zk-write-committed').map((f) => f.path)).not.toContain('/three-down');
    expect(leaderOf(sim, ids)).toBeNull();
  });
});
