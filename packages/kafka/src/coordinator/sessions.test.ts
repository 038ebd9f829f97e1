import { Simulation } from '@kafkasim/engine';
import { describe, expect, it } from 'vitest';
import { addEnsemble, describe as describeServer, facts, resultOf, sessionEvents, watchEvents, zkCommand, zkTestClient } from './testing/zkTestClient';

const TIMEOUT = 3000;

function setup(seed: number | string = 7) {
  const sim = new Simulation({ seed });
  const ids = addEnsemble(sim, 3);
  sim.addNode('owner', zkTestClient({ servers: ids, sessionTimeoutMs: TIMEOUT }), 300);
  sim.addNode('watcher', zkTestClient({ servers: ids, sessionTimeoutMs: TIMEOUT }), 300);
  zkCommand(sim, 1000, 'owner', 'create', { path: '/e', data: 'mine', ephemeral: true, tag: 'create' });
  zkCommand(sim, 1100, 'watcher', 'exists', { path: '/e', watch: true, tag: 'watch' });
  sim.runUntil(1200);
  const everywhere = (path: string) => ids.every((id) => describeServer(sim, id).tree.some((n) => n.path === path));
  const nowhere = (path: string) => ids.every((id) => !describeServer(sim, id).tree.some((n) => n.path === path));
  const serverOf = (client: string) => sim.node(client).state.volatile.zk.server as string;
  return { sim, ids, everywhere, nowhere, serverOf };
}

describe('sessions and ephemeral znodes', () => {
  it('keeps an ephemeral through a disconnect shorter than the session timeout (reconnect to another server)', () => {
    const { sim, everywhere, serverOf } = setup();
    expect(resultOf(sim, 'owner', 'create')).toMatchObject({ ok: true });
    expect(resultOf(sim, 'watcher', 'watch')).toMatchObject({ ok: true, stat: { ephemeralOwner: expect.any(String) } });
    const first = serverOf('owner');
    // Cut the owner off from its server only: it notices after ~2/3 of the timeout and moves on.
    sim.schedule(1200, { type: 'partition', id: 'cut', sideA: ['owner'], sideB: [first] });
    sim.runUntil(1200 + 2600);
    sim.schedule(sim.now, { type: 'heal', id: 'cut' });
    sim.runUntil(8000);
    const sessions = sessionEvents(sim, 'owner');
    expect(sessions.map((e) => e.state)).toEqual(['connected', 'disconnected', 'connected']);
    expect(new Set(sessions.map((e) => e.sessionId)).size).toBe(1);
    expect(serverOf('owner')).not.toBe(first);
    expect(everywhere('/e')).toBe(true);
    expect(watchEvents(sim, 'watcher')).toEqual([]);
    expect(facts(sim, 'zk-session-expired')).toEqual([]);
  });

  it('keeps an ephemeral through a pause of the client shorter than the session timeout', () => {
    const { sim, everywhere } = setup();
    sim.schedule(1200, { type: 'pause', node: 'owner', durationMs: 1800 });
    sim.runUntil(8000);
    expect(everywhere('/e')).toBe(true);
    expect(facts(sim, 'zk-session-expired')).toEqual([]);
    expect(watchEvents(sim, 'watcher')).toEqual([]);
  });

  it('deletes the ephemeral when the session expires, firing the watch exactly once', () => {
    const { sim, ids, everywhere, nowhere } = setup();
    const sessionId = sessionEvents(sim, 'owner')[0].sessionId;
    sim.schedule(1200, { type: 'partition', id: 'isolate', sideA: ['owner'], sideB: ids });
    sim.runUntil(1200 + TIMEOUT - 500);
    expect(everywhere('/e')).toBe(true);
    sim.runUntil(1200 + TIMEOUT + 1000);
    expect(nowhere('/e')).toBe(true);
    expect(facts(sim, 'zk-session-expired')).toMatchObject([{ sessionId, owner: 'owner' }]);
    sim.schedule(sim.now, { type: 'heal', id: 'isolate' });
    sim.runUntil(12000);
    expect(watchEvents(sim, 'watcher')).toMatchObject([{ path: '/e', event: 'NodeDeleted' }]);
    // The owner learns of the expiry when it reconnects, then gets a new session by itself.
    const states = sessionEvents(sim, 'owner');
    expect(states.map((e) => e.state)).toEqual(['connected', 'disconnected', 'expired', 'connected']);
    expect(states[3].sessionId).not.toBe(sessionId);
    expect(nowhere('/e')).toBe(true);
  });

  it('expires a session on the expire-session command sent to any server', () => {
    const { sim, ids, nowhere } = setup();
    sim.schedule(1300, { type: 'command', node: ids[0], name: 'expire-session', data: { owner: 'owner' } });
    sim.runUntil(2000);
    expect(nowhere('/e')).toBe(true);
    expect(facts(sim, 'zk-session-expired')).toMatchObject([{ owner: 'owner' }]);
    expect(watchEvents(sim, 'watcher')).toMatchObject([{ path: '/e', event: 'NodeDeleted' }]);
    expect(sessionEvents(sim, 'owner').map((e) => e.state)).toEqual(['connected', 'expired', 'connected']);
  });

  it('holds an expire-session command sent to a server without quorum until it serves again', () => {
    const { sim, ids, nowhere, everywhere } = setup();
    sim.schedule(1200, { type: 'partition', id: 'p', sideA: [ids[0]], sideB: [...ids.slice(1), 'owner', 'watcher'] });
    sim.schedule(2500, { type: 'command', node: ids[0], name: 'expire-session', data: { owner: 'owner' } });
    sim.runUntil(3500);
    expect(everywhere('/e')).toBe(true);
    sim.schedule(3500, { type: 'heal', id: 'p' });
    sim.runUntil(5000);
    expect(nowhere('/e')).toBe(true);
    expect(facts(sim, 'zk-session-expired')).toMatchObject([{ owner: 'owner' }]);
  });

  it('re-registers watches on reconnect: a change made while disconnected fires once', () => {
    const { sim, ids, serverOf } = setup();
    zkCommand(sim, 1200, 'owner', 'create', { path: '/d', data: 0, tag: 'd' });
    zkCommand(sim, 1300, 'watcher', 'getData', { path: '/d', watch: true, tag: 'watch-d' });
    zkCommand(sim, 1300, 'watcher', 'getChildren', { path: '/', watch: true, tag: 'watch-root' });
    sim.runUntil(1400);
    const first = serverOf('watcher');
    sim.schedule(1400, { type: 'partition', id: 'cut', sideA: ['watcher'], sideB: [first] });
    zkCommand(sim, 1500, 'owner', 'setData', { path: '/d', data: 1, tag: 'change' });
    sim.runUntil(6000);
    expect(serverOf('watcher')).not.toBe(first);
    zkCommand(sim, 6000, 'owner', 'setData', { path: '/d', data: 2, tag: 'change-again' });
    zkCommand(sim, 6000, 'owner', 'create', { path: '/later', tag: 'later' });
    sim.runUntil(7000);
    expect(ids).toHaveLength(3);
    expect(watchEvents(sim, 'watcher').map((w) => [w.path, w.event])).toEqual([
      ['/d', 'NodeDataChanged'],
      ['/', 'NodeChildrenChanged'],
    ]);
  });
});
