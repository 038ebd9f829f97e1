import { Simulation } from '@kafkasim/engine';
import { describe, expect, it } from 'vitest';
import { addEnsemble, describe as describeServer, facts, leaderOf, resultOf, zkCommand, zkTestClient } from './testing/zkTestClient';

const trees = (sim: Simulation, ids: string[]) => ids.map((id) => describeServer(sim, id).tree);

function writes(sim: Simulation, client: string, from: number, count: number, prefix: string): void {
  for (let i = 0; i < count; i++) zkCommand(sim, from + i * 10, client, 'create', { path: `/${prefix}${i}`, data: i, tag: `${prefix}${i}` });
}

describe('durability and determinism', () => {
  it('a crashed follower keeps its committed data and catches up (DIFF) after restart', () => {
    const sim = new Simulation({ seed: 21 });
    const ids = addEnsemble(sim, 3);
    sim.addNode('c', zkTestClient({ servers: ['zk-3'], sessionTimeoutMs: 3000 }), 100);
    writes(sim, 'c', 1000, 3, 'a');
    sim.schedule(1500, { type: 'crash', node: 'zk-1' });
    sim.runUntil(1500);
    const before = describeServer(sim, 'zk-1');
    expect(before.role).toBe('down');
    expect(before.tree.map((n) => n.path)).toEqual(['/', '/a0', '/a1', '/a2']);
    writes(sim, 'c', 1600, 3, 'b');
    sim.schedule(2500, { type: 'restart', node: 'zk-1' });
    sim.runUntil(4000);
    expect(describeServer(sim, 'zk-1')).toMatchObject({ role: 'following', serving: true });
    const [first, ...rest] = trees(sim, ids);
    for (const t of rest) expect(t).toEqual(first);
    expect(first).toHaveLength(7);
  });

  it('a follower that missed more than the committed log gets a SNAP', () => {
    const sim = new Simulation({ seed: 22 });
    const ids = addEnsemble(sim, 3, { committedLogSize: 3 });
    sim.addNode('c', zkTestClient({ servers: ['zk-3'], sessionTimeoutMs: 3000 }), 100);
    sim.schedule(900, { type: 'crash', node: 'zk-1' });
    writes(sim, 'c', 1000, 10, 'n');
    sim.schedule(2500, { type: 'restart', node: 'zk-1' });
    sim.runUntil(4000);
    const syncs = sim.trace.filter((e) => e.type === 'deliver' && e.node === 'zk-1' && (e.payload as any)?.type === 'sync');
    expect(syncs.map((e) => (e.payload as any).mode)).toContain('snap');
    const [first, ...rest] = trees(sim, ids);
    for (const t of rest) expect(t).toEqual(first);
    expect(first).toHaveLength(11);
  });

  it('the whole ensemble crashing and restarting keeps every committed znode and the sessions', () => {
    const sim = new Simulation({ seed: 23 });
    const ids = addEnsemble(sim, 3);
    sim.addNode('c', zkTestClient({ servers: ids, sessionTimeoutMs: 4000 }), 100);
    writes(sim, 'c', 1000, 3, 'p');
    zkCommand(sim, 1100, 'c', 'create', { path: '/eph', ephemeral: true, tag: 'eph' });
    sim.runUntil(1500);
    const committed = trees(sim, ids)[0];
    for (const id of ids) sim.schedule(1500, { type: 'crash', node: id });
    for (const id of ids) sim.schedule(2000, { type: 'restart', node: id });
    sim.runUntil(2000);
    expect(trees(sim, ids)).toEqual([committed, committed, committed]);
    sim.runUntil(5000);
    expect(leaderOf(sim, ids)).not.toBeNull();
    // The session lived on (it is in the tree; the new leader gave it a fresh timeout) and its client reconnected.
    expect(facts(sim, 'zk-session-expired')).toEqual([]);
    for (const t of trees(sim, ids)) expect(t).toEqual(committed);
    zkCommand(sim, 5000, 'c', 'getData', { path: '/p1', tag: 'read' });
    sim.runUntil(5500);
    expect(resultOf(sim, 'c', 'read')).toMatchObject({ ok: true, data: 1 });
  });

  it('continues identically from a checkpoint (server and client state are plain data)', () => {
    const sim = new Simulation({ seed: 24 });
    const ids = addEnsemble(sim, 3);
    sim.addNode('c', zkTestClient({ servers: ids, sessionTimeoutMs: 3000 }), 100);
    writes(sim, 'c', 1000, 5, 'k');
    zkCommand(sim, 1020, 'c', 'getChildren', { path: '/', watch: true, tag: 'ls' });
    sim.schedule(1600, { type: 'crash', node: 'zk-3' });
    sim.schedule(2600, { type: 'restart', node: 'zk-3' });
    sim.runUntil(1500);
    const fork = sim.forkFrom(sim.checkpoint());
    sim.runUntil(6000);
    fork.runUntil(6000);
    expect([...fork.trace]).toEqual(sim.trace.slice(sim.trace.length - fork.trace.length));
    expect(fork.trace.length).toBeGreaterThan(100);
    expect(ids.map((id) => describeServer(fork, id))).toEqual(ids.map((id) => describeServer(sim, id)));
  });

  it('is deterministic: same seed, same trace hash; another seed, another one', () => {
    const run = (seed: number) => {
      const sim = new Simulation({ seed, network: { latency: { minMs: 1, maxMs: 10 } } });
      const ids = addEnsemble(sim, 3);
      sim.addNode('c1', zkTestClient({ servers: ids, sessionTimeoutMs: 3000 }), 100);
      sim.addNode('c2', zkTestClient({ servers: ids, sessionTimeoutMs: 3000 }), 100);
      writes(sim, 'c1', 1000, 5, 'x');
      zkCommand(sim, 1000, 'c2', 'create', { path: '/e', ephemeral: true, tag: 'e' });
      zkCommand(sim, 1000, 'c1', 'exists', { path: '/e', watch: true, tag: 'w' });
      sim.schedule(1200, { type: 'partition', id: 'p', sideA: ['zk-3'], sideB: ['zk-1', 'zk-2', 'c1', 'c2'] });
      sim.schedule(3000, { type: 'heal', id: 'p' });
      sim.schedule(3500, { type: 'crash', node: 'zk-1' });
      sim.schedule(4000, { type: 'restart', node: 'zk-1' });
      sim.schedule(4200, { type: 'command', node: 'zk-2', name: 'expire-session', data: { owner: 'c2' } });
      sim.runUntil(8000);
      return sim.traceHash();
    };
    expect(run(1)).toBe(run(1));
    expect(run(1)).not.toBe(run(2));
  });
});
