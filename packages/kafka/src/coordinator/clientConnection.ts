/**
 * The client's connection to one server at a time (ZooKeeper's ClientCnxn): connect, ping at a
 * third of the session timeout, declare the connection lost when the server is silent for two
 * thirds of it (or closes it), then move on to the next server and keep the session if the
 * leader still has it. Requests outstanding when a connection drops fail with ConnectionLoss.
 */
import type { NodeContext } from '@kafkasim/engine';
import type { ZkClientOutput, ZkErrorCode } from './api';
import type { ClientToServer, ServerToClient, ZkResult } from './messages';
import type { PendingRequest, ZkClientState } from './clientState';

function send(state: ZkClientState, ctx: NodeContext, msg: ClientToServer): void {
  ctx.send(state.server!, msg);
  state.lastSentAt = ctx.now;
}

export function tickInterval(state: ZkClientState): number {
  return Math.max(10, Math.round(state.requestedTimeoutMs / 15));
}

export function connect(state: ZkClientState, ctx: NodeContext): void {
  state.connId += 1;
  state.server = state.servers[state.serverIndex];
  state.phase = 'connecting';
  state.attemptStartedAt = ctx.now;
  send(state, ctx, {
    proto: 'zk', type: 'connect', connId: state.connId, sessionId: state.sessionId,
    timeoutMs: state.requestedTimeoutMs, lastZxid: state.lastZxid,
    watches: { data: [...state.watches.data], exist: [...state.watches.exist], child: [...state.watches.child] },
  });
}

function failPending(state: ZkClientState, error: ZkErrorCode): void {
  for (const p of state.pending) state.outbox.push({ type: 'result', tag: p.tag, op: p.op, path: p.path, ok: false, error });
  state.pending = [];
}

/** Tell the old server we left (best effort, like closing the socket) and try the next one. */
function abandon(state: ZkClientState, ctx: NodeContext): void {
  if (state.server && state.sessionId) send(state, ctx, { proto: 'zk', type: 'close', connId: state.connId, sessionId: state.sessionId });
  state.serverIndex = (state.serverIndex + 1) % state.servers.length;
}

function attemptFailed(state: ZkClientState, ctx: NodeContext): void {
  abandon(state, ctx);
  state.failedAttempts += 1;
  if (state.failedAttempts % state.servers.length !== 0) return connect(state, ctx);
  // Every server failed in turn: wait a little before the next round.
  state.phase = 'backoff';
  ctx.setTimer(Math.round(state.timeoutMs / 10), 'zk:retry', { connId: state.connId });
}

function connectionLost(state: ZkClientState, ctx: NodeContext): void {
  failPending(state, 'ConnectionLoss');
  state.outbox.push({ type: 'session', state: 'disconnected', sessionId: state.sessionId! });
  abandon(state, ctx);
  connect(state, ctx);
}

function sessionExpired(state: ZkClientState, ctx: NodeContext): void {
  const expired = state.sessionId!;
  failPending(state, 'SessionExpired');
  state.watches = { data: [], exist: [], child: [] };
  state.outbox.push({ type: 'session', state: 'expired', sessionId: expired });
  // api.ts: the client opens a new session by itself; the host re-creates its ephemerals then.
  state.sessionId = null;
  state.failedAttempts = 0;
  state.serverIndex = (state.serverIndex + 1) % state.servers.length;
  connect(state, ctx);
}

export function onRetryTimer(state: ZkClientState, ctx: NodeContext, connId: number): void {
  if (state.phase === 'backoff' && connId === state.connId) connect(state, ctx);
}

export function onTick(state: ZkClientState, ctx: NodeContext): void {
  const now = ctx.now;
  if (state.phase === 'connecting') {
    // ClientCnxn's connectTimeout: the session timeout shared among the servers.
    if (now - state.attemptStartedAt >= state.timeoutMs / state.servers.length) attemptFailed(state, ctx);
  } else if (state.phase === 'connected') {
    const readTimeout = (state.timeoutMs * 2) / 3;
    const oldest = state.pending[0];
    if (now - state.lastHeardAt >= readTimeout || (oldest && now - oldest.sentAt >= readTimeout)) connectionLost(state, ctx);
    else if (now - state.lastSentAt >= state.timeoutMs / 3) send(state, ctx, { proto: 'zk', type: 'ping', connId: state.connId, sessionId: state.sessionId! });
  }
  ctx.setTimer(tickInterval(state), 'zk:tick');
}

function registerWatch(state: ZkClientState, p: PendingRequest, result: ZkResult): void {
  if (!p.watch || !result.ok) return;
  const add = (list: string[]) => (list.includes(p.path) ? list : [...list, p.path].sort());
  if (p.op === 'getData') state.watches.data = add(state.watches.data);
  else if (p.op === 'getChildren') state.watches.child = add(state.watches.child);
  else if (p.op === 'exists') {
    if (result.stat) state.watches.data = add(state.watches.data);
    else state.watches.exist = add(state.watches.exist);
  }
}

function resultOutput(p: PendingRequest, result: ZkResult): ZkClientOutput {
  if (!result.ok) return { type: 'result', tag: p.tag, op: p.op, path: p.path, ok: false, error: result.error };
  const out: ZkClientOutput = { type: 'result', tag: p.tag, op: p.op, path: p.path, ok: true };
  // Copies: the host may mutate what it gets, and must not reach into a server's tree.
  if ('data' in result) out.data = structuredClone(result.data);
  if ('stat' in result) out.stat = result.stat ? { ...result.stat } : null;
  if (result.children) out.children = [...result.children];
  if (result.createdPath) out.createdPath = result.createdPath;
  return out;
}

/** ZKWatchManager.materialize: a watch event is delivered once, to the watches still outstanding. */
function deliverWatch(state: ZkClientState, msg: Extract<ServerToClient, { type: 'watch' }>): void {
  const w = state.watches;
  const had = (list: string[]) => list.includes(msg.path);
  const without = (list: string[]) => list.filter((p) => p !== msg.path);
  let fired = false;
  if (msg.event !== 'NodeChildrenChanged' && (had(w.data) || had(w.exist))) {
    fired = true;
    w.data = without(w.data);
    w.exist = without(w.exist);
  }
  if ((msg.event === 'NodeChildrenChanged' || msg.event === 'NodeDeleted') && had(w.child)) {
    fired = true;
    w.child = without(w.child);
  }
  if (fired) state.outbox.push({ type: 'watch', path: msg.path, event: msg.event });
}

export function onServerMessage(state: ZkClientState, ctx: NodeContext, from: string, msg: ServerToClient): void {
  if (from !== state.server || msg.connId !== state.connId) return;
  state.lastHeardAt = ctx.now;
  if ('zxid' in msg) state.lastZxid = Math.max(state.lastZxid, msg.zxid);
  switch (msg.type) {
    case 'connected':
      if (state.phase !== 'connecting') return;
      state.phase = 'connected';
      state.sessionId = msg.sessionId;
      state.timeoutMs = msg.timeoutMs;
      state.failedAttempts = 0;
      state.outbox.push({ type: 'session', state: 'connected', sessionId: msg.sessionId });
      return;
    case 'refused':
      if (state.phase === 'connecting') attemptFailed(state, ctx);
      return;
    case 'closed':
      if (state.phase === 'connecting') attemptFailed(state, ctx);
      else if (state.phase === 'connected') connectionLost(state, ctx);
      return;
    case 'expired':
      if (state.sessionId === msg.sessionId) sessionExpired(state, ctx);
      return;
    case 'response': {
      const index = state.pending.findIndex((p) => p.xid === msg.xid);
      if (index < 0) return;
      const [p] = state.pending.splice(index, 1);
      registerWatch(state, p, msg.result);
      state.outbox.push(resultOutput(p, msg.result));
      return;
    }
    case 'watch':
      deliverWatch(state, msg);
      return;
    case 'pong':
      return;
  }
}
