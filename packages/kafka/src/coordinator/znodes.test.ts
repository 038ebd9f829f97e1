import { Simulation } from '@kafkasim/engine';
import { describe, expect, it } from 'vitest';
import { addEnsemble, describe as describeServer, facts, resultOf, zkCommand, zkTestClient } from './testing/zkTestClient';

function setup(seed = 1) {
  const sim = new Simulation({ seed });
  const ids = addEnsemble(sim, 3);
  sim.addNode('c1', zkTestClient({ servers: ids, sessionTimeoutMs: 3000 }), 300);
  return { sim, ids };
}

describe('znodes through a 3-server ensemble', () => {
  it('names sequential children name0000000000, name0000000001, ... per parent (the parent cversion)', () => {
    const { sim } = setup();
    zkCommand(sim, 1000, 'c1', 'create', { path: '/q', tag: 'q' });
    zkCommand(sim, 1000, 'c1', 'create', { path: '/r', tag: 'r' });
    for (let i = 0; i < 3; i++) zkCommand(sim, 1001, 'c1', 'create', { path: '/q/name', sequential: true, tag: `q${i}` });
    zkCommand(sim, 1002, 'c1', 'create', { path: '/r/name', sequential: true, tag: 'r0' });
    // Any create under /q bumps its cversion, so the next sequential suffix skips one (as ZooKeeper).
    zkCommand(sim, 1003, 'c1', 'create', { path: '/q/plain', tag: 'plain' });
    zkCommand(sim, 1004, 'c1', 'create', { path: '/q/name', sequential: true, ephemeral: true, tag: 'q4' });
    sim.runUntil(2000);
    expect([0, 1, 2].map((i) => resultOf(sim, 'c1', `q${i}`))).toMatchObject([
      { ok: true, createdPath: '/q/name0000000000' },
      { ok: true, createdPath: '/q/name0000000001' },
      { ok: true, createdPath: '/q/name0000000002' },
    ]);
    expect(resultOf(sim, 'c1', 'r0')).toMatchObject({ ok: true, createdPath: '/r/name0000000000' });
    expect(resultOf(sim, 'c1', 'q4')).toMatchObject({ ok: true, createdPath: '/q/name0000000004' });
  });

  it('fails conditional writes with BadVersion and reports NoNode, NodeExists, NotEmpty, NoChildrenForEphemerals', () => {
    const { sim } = setup();
    zkCommand(sim, 1000, 'c1', 'create', { path: '/a', data: 'v0', tag: 'a' });
    zkCommand(sim, 1001, 'c1', 'setData', { path: '/a', data: 'v1', version: 0, tag: 'set-ok' });
    zkCommand(sim, 1002, 'c1', 'setData', { path: '/a', data: 'v2', version: 0, tag: 'set-bad' });
    zkCommand(sim, 1003, 'c1', 'delete', { path: '/a', version: 7, tag: 'del-bad' });
    zkCommand(sim, 1004, 'c1', 'create', { path: '/a', tag: 'exists' });
    zkCommand(sim, 1004, 'c1', 'create', { path: '/missing/child', tag: 'no-parent' });
    zkCommand(sim, 1005, 'c1', 'create', { path: '/a/b', tag: 'b' });
    zkCommand(sim, 1006, 'c1', 'delete', { path: '/a', version: -1, tag: 'not-empty' });
    zkCommand(sim, 1007, 'c1', 'create', { path: '/e', ephemeral: true, tag: 'e' });
    zkCommand(sim, 1008, 'c1', 'create', { path: '/e/child', tag: 'eph-child' });
    zkCommand(sim, 1009, 'c1', 'getData', { path: '/a', tag: 'get' });
    zkCommand(sim, 1009, 'c1', 'exists', { path: '/nope', tag: 'exists-nope' });
    sim.runUntil(2000);
    expect(resultOf(sim, 'c1', 'set-ok')).toMatchObject({ ok: true, stat: { version: 1 } });
    expect(resultOf(sim, 'c1', 'set-bad')).toMatchObject({ ok: false, error: 'BadVersion' });
    expect(resultOf(sim, 'c1', 'del-bad')).toMatchObject({ ok: false, error: 'BadVersion' });
    expect(resultOf(sim, 'c1', 'exists')).toMatchObject({ ok: false, error: 'NodeExists' });
    expect(resultOf(sim, 'c1', 'no-parent')).toMatchObject({ ok: false, error: 'NoNode' });
    expect(resultOf(sim, 'c1', 'not-empty')).toMatchObject({ ok: false, error: 'NotEmpty' });
    expect(resultOf(sim, 'c1', 'eph-child')).toMatchObject({ ok: false, error: 'NoChildrenForEphemerals' });
    expect(resultOf(sim, 'c1', 'get')).toMatchObject({ ok: true, data: 'v1', stat: { version: 1, cversion: 1 } });
    expect(resultOf(sim, 'c1', 'exists-nope')).toMatchObject({ ok: true, stat: null });
    expect(facts(sim, 'zk-write-refused').map((f) => f.reason)).toEqual(['BadVersion', 'BadVersion', 'NodeExists', 'NoNode', 'NotEmpty', 'NoChildrenForEphemerals']);
  });

  it('applies a multi atomically: a failing check or op leaves nothing behind', () => {
    const { sim, ids } = setup();
    zkCommand(sim, 1000, 'c1', 'create', { path: '/controller_epoch', data: 1, tag: 'ce' });
    zkCommand(sim, 1001, 'c1', 'multi', {
      tag: 'fenced',
      ops: [
        { op: 'check', path: '/controller_epoch', version: 5 },
        { op: 'create', path: '/brokers', data: null },
      ],
    });
    zkCommand(sim, 1002, 'c1', 'multi', {
      tag: 'late-failure',
      ops: [
        { op: 'create', path: '/x', data: null },
        { op: 'create', path: '/x/y', data: null },
        { op: 'setData', path: '/controller_epoch', data: 2, version: 9 },
      ],
    });
    zkCommand(sim, 1003, 'c1', 'multi', {
      tag: 'ok',
      ops: [
        { op: 'check', path: '/controller_epoch', version: 0 },
        { op: 'setData', path: '/controller_epoch', data: 2, version: 0 },
        { op: 'create', path: '/seq-', data: null, sequential: true },
        { op: 'create', path: '/brokers', data: null },
      ],
    });
    sim.runUntil(2000);
    expect(resultOf(sim, 'c1', 'fenced')).toMatchObject({ ok: false, error: 'BadVersion' });
    expect(resultOf(sim, 'c1', 'late-failure')).toMatchObject({ ok: false, error: 'BadVersion' });
    expect(resultOf(sim, 'c1', 'ok')).toMatchObject({
      ok: true,
      // '/' had one child (the rolled-back /x did not count): suffix 1.
      data: [{ op: 'check' }, { op: 'setData', stat: { version: 1 } }, { op: 'create', path: '/seq-0000000001' }, { op: 'create', path: '/brokers' }],
    });
    for (const id of ids) {
      const paths = describeServer(sim, id).tree.map((n) => n.path);
      expect(paths).toEqual(['/', '/brokers', '/controller_epoch', '/seq-0000000001']);
    }
    // All ops of a multi share one zxid.
    const committed = facts(sim, 'zk-write-committed').filter((f) => f.path !== '/controller_epoch' || f.op === 'setData');
    expect(new Set(committed.slice(-3).map((f) => f.zxid)).size).toBe(1);
  });
});
