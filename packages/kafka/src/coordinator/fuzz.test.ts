import { Simulation, type ControlAction } from '@kafkasim/engine';
import { describe, expect, it } from 'vitest';
import type { Txn, ZkDisk } from './types';
import { addEnsemble, describe as describeServer, facts, leaderOf, outputsOf, zkCommand, zkTestClient } from './testing/zkTestClient';

/** Random faults for a while, then calm: the ensemble must agree and have lost no acknowledged write. */
function chaos(seed: number, n: number) {
  const sim = new Simulation({ seed, network: { latency: { minMs: 1, maxMs: 8 } } });
  const ids = addEnsemble(sim, n);
  const clients = ['c1', 'c2', 'c3'];
  for (const c of clients) sim.addNode(c, zkTestClient({ servers: ids, sessionTimeoutMs: 3000 }), 50);
  const rng = (() => {
    let x = seed * 2654435761 % 4294967296 || 1;
    return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  })();
  const pick = <T,>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
  const faults: ControlAction[] = [];
  for (let t = 1000; t < 15000; t += 400 + Math.floor(rng() * 800)) {
    const r = rng();
    const node = pick(ids);
    if (r < 0.25) {
      const side = ids.filter(() => rng() < 0.5);
      const oneWay = rng() < 0.2;
      sim.schedule(t, { type: 'partition', id: `p${t}`, sideA: [...side, ...clients.filter(() => rng() < 0.3)], sideB: ids.filter((id) => !side.includes(id)), oneWay });
      sim.schedule(t + 500 + Math.floor(rng() * 3000), { type: 'heal', id: `p${t}` });
    } else if (r < 0.45) {
      sim.schedule(t, { type: 'crash', node });
      sim.schedule(t + 200 + Math.floor(rng() * 2500), { type: 'restart', node });
    } else if (r < 0.55) {
      sim.schedule(t, { type: 'pause', node: pick([...ids, ...clients]), durationMs: 300 + Math.floor(rng() * 2500) });
    } else if (r < 0.65) {
      sim.schedule(t, { type: 'link-fault', id: `l${t}`, from: [pick([...ids, ...clients])], drop: 0.3, duplicate: 0.2, extraDelayMs: 5 });
      sim.schedule(t + 1000, { type: 'clear-link-fault', id: `l${t}` });
    } else if (r < 0.7) {
      sim.schedule(t, { type: 'command', node, name: 'expire-session', data: { owner: pick(clients) } });
    }
  }
  void faults;
  let k = 0;
  for (let t = 500; t < 16000; t += 50 + Math.floor(rng() * 150)) {
    const c = pick(clients);
    const r = rng();
    const tag = `${c}-${k++}`;
    if (r < 0.4) zkCommand(sim, t, c, 'create', { path: `/${tag}`, data: t, tag });
    else if (r < 0.55) zkCommand(sim, t, c, 'create', { path: '/s', data: t, tag, ephemeral: rng() < 0.5 });
    else if (r < 0.7) zkCommand(sim, t, c, 'setData', { path: '/s', data: t, version: -1, tag });
    else if (r < 0.8) zkCommand(sim, t, c, 'delete', { path: '/s', version: -1, tag });
    else zkCommand(sim, t, c, 'getData', { path: '/s', watch: true, tag });
  }
  sim.schedule(17000, { type: 'heal' });
  sim.schedule(17000, { type: 'clear-link-fault' });
  for (const id of ids) sim.schedule(17000, { type: 'restart', node: id });
  for (const node of [...ids, ...clients]) sim.schedule(17000, { type: 'resume', node });
  sim.runUntil(24000);
  return { sim, ids, clients };
}

describe('chaos: random partitions, crashes, pauses, lossy links', () => {
  for (const [seed, n] of [[1, 3], [2, 3], [3, 5], [4, 3], [5, 5], [6, 3], [7, 3], [8, 5], [9, 3], [10, 3]] as const) {
    it(`seed ${seed}, ${n} servers: one leader per epoch, same log everywhere, acknowledged writes kept, trees converge`, () => {
      const { sim, ids, clients } = chaos(seed, n);
      const elected = facts(sim, 'zk-leader-elected');
      const byEpoch = new Map<unknown, Set<unknown>>();
      for (const f of elected) byEpoch.set(f.epoch, (byEpoch.get(f.epoch) ?? new Set()).add(f.server));
      for (const servers of byEpoch.values()) expect(servers.size).toBe(1);

      // A zxid names one txn everywhere.
      const seen = new Map<number, string>();
      for (const id of ids) {
        for (const txn of (sim.node(id).state.durable as ZkDisk).log as Txn[]) {
          const body = JSON.stringify(txn.body);
          if (seen.has(txn.zxid)) expect(body).toBe(seen.get(txn.zxid));
          seen.set(txn.zxid, body);
        }
      }

      expect(leaderOf(sim, ids)).not.toBeNull();
      const [first, ...rest] = ids.map((id) => describeServer(sim, id));
      for (const d of rest) {
        expect(d.zxid).toBe(first.zxid);
        expect(d.tree).toEqual(first.tree);
        expect(d.sessions.map((s) => s.id)).toEqual(first.sessions.map((s) => s.id));
      }
      // Every unique persistent znode whose create was acknowledged is still there.
      const paths = new Set(first.tree.map((t) => t.path));
      for (const c of clients) {
        for (const o of outputsOf(sim, c)) {
          if (o.type === 'result' && o.op === 'create' && o.ok && o.path !== '/s') expect(paths.has(o.path)).toBe(true);
        }
      }
      // Ephemerals belong to live sessions only.
      const live = new Set(first.sessions.map((s) => s.id));
      for (const t of first.tree) if (t.stat.ephemeralOwner) expect(live.has(t.stat.ephemeralOwner)).toBe(true);
    });
  }
});
