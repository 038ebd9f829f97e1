/**
 * A server's side of client connections: connect (new session or revalidation), requests
 * (reads answered locally, writes forwarded to the leader and answered when the txn is applied
 * here), pings, and dropping every connection when the server stops serving.
 *
 * Reads are served from this server's committed tree: a follower that lags the leader, or that
 * is cut off and has not noticed yet, returns stale data (as ZooKeeper does without sync()).
 * A session's read waits behind its own earlier writes, so a client reads its own writes.
 */
import type { NodeId } from '@kafkasim/engine';
import { handleForward } from './leader';
import type { ClientToServer, Forwarded, ZkResult } from './messages';
import { sendClient, sendPeer, sortedKeys, type Srv } from './srv';
import { touchSession } from './sessions';
import type { ClientConn, PendingConnect, QueuedRequest, Txn, WriteRequest } from './types';
import { addWatch, removeSessionWatches, restoreWatches } from './watchManager';

/** Sends to the leader, or handles it here when this server leads. */
export function toLeader(s: Srv, fwd: Forwarded): void {
  if (s.m.role === 'leading') handleForward(s, s.cfg.id, fwd);
  else if (s.m.follow && s.m.follow.epoch !== null) sendPeer(s, s.m.follow.leader, { proto: 'zab', type: 'forward', epoch: s.m.follow.epoch, fwd });
}

/** Accept clients from now on (an established leader, an up-to-date follower). */
export function startServing(s: Srv): void {
  if (s.m.serving) return;
  s.m.serving = true;
  const owners = s.m.pendingExpires;
  s.m.pendingExpires = [];
  for (const owner of owners) toLeader(s, { kind: 'expire', owner });
}

function clampTimeout(s: Srv, requested: number): number {
  return Math.min(s.cfg.maxSessionTimeoutMs, Math.max(s.cfg.minSessionTimeoutMs, requested));
}

function isWrite(request: QueuedRequest['request']): request is WriteRequest {
  return request.op === 'create' || request.op === 'setData' || request.op === 'delete' || request.op === 'multi';
}

export function onClientMessage(s: Srv, from: NodeId, msg: ClientToServer): void {
  if (msg.type === 'connect') return onConnect(s, from, msg);
  const conn = s.m.conns[msg.sessionId];
  if (!conn || conn.owner !== from || conn.connId !== msg.connId) {
    // Unknown connection (we dropped it, or restarted): tell the client to reconnect.
    if (msg.type !== 'close') sendClient(s, from, { proto: 'zk', type: 'closed', connId: msg.connId });
    return;
  }
  conn.lastHeard = s.ctx.now;
  touchSession(s, msg.sessionId);
  switch (msg.type) {
    case 'ping':
      sendClient(s, from, { proto: 'zk', type: 'pong', connId: conn.connId, zxid: s.d.db.zxid });
      return;
    case 'close':
      closeConn(s, msg.sessionId);
      return;
    case 'request': {
      if (msg.xid <= conn.lastXid) return;
      conn.lastXid = msg.xid;
      conn.queue.push({ xid: msg.xid, request: msg.request });
      if (isWrite(msg.request)) {
        toLeader(s, { kind: 'write', origin: { server: s.cfg.id, owner: from, connId: conn.connId, sessionId: msg.sessionId, xid: msg.xid }, request: msg.request });
      }
      serveQueue(s, msg.sessionId);
    }
  }
}

function onConnect(s: Srv, from: NodeId, msg: Extract<ClientToServer, { type: 'connect' }>): void {
  const refuse = (reason: string) => sendClient(s, from, { proto: 'zk', type: 'refused', connId: msg.connId, reason });
  if (!s.m.serving) return refuse('not serving: no quorum');
  // A client must never see the tree go back in time: it has seen zxids this server lacks.
  if (msg.lastZxid > s.d.db.zxid) return refuse('server is behind the client');
  const pending: PendingConnect = {
    owner: from, connId: msg.connId, sessionId: msg.sessionId, timeoutMs: clampTimeout(s, msg.timeoutMs),
    watches: msg.watches, lastZxid: msg.lastZxid, at: s.ctx.now,
  };
  if (msg.sessionId === null) {
    s.m.pendingConnects[`new:${from}:${msg.connId}`] = pending;
    toLeader(s, { kind: 'createSession', origin: { server: s.cfg.id, owner: from, connId: msg.connId, sessionId: null, xid: 0 }, timeoutMs: pending.timeoutMs });
    return;
  }
  if (!s.d.db.sessions[msg.sessionId]) {
    sendClient(s, from, { proto: 'zk', type: 'expired', connId: msg.connId, sessionId: msg.sessionId });
    return;
  }
  // Only the leader knows whether the session is still alive (Learner.validateSession).
  s.m.pendingConnects[msg.sessionId] = pending;
  toLeader(s, { kind: 'revalidate', sessionId: msg.sessionId });
}

function establish(s: Srv, pending: PendingConnect, sessionId: string, timeoutMs: number): void {
  if (s.m.conns[sessionId]) closeConn(s, sessionId);
  const conn: ClientConn = { owner: pending.owner, connId: pending.connId, timeoutMs, lastHeard: s.ctx.now, queue: [], lastXid: 0 };
  s.m.conns[sessionId] = conn;
  sendClient(s, conn.owner, { proto: 'zk', type: 'connected', connId: conn.connId, sessionId, timeoutMs, zxid: s.d.db.zxid });
  restoreWatches(s, sessionId, pending.watches, pending.lastZxid);
  touchSession(s, sessionId);
}

/** The leader's answer to a revalidation. */
export function onRevalidated(s: Srv, sessionId: string, valid: boolean, timeoutMs: number): void {
  const pending = s.m.pendingConnects[sessionId];
  if (!pending) return;
  delete s.m.pendingConnects[sessionId];
  if (valid) establish(s, pending, sessionId, timeoutMs);
  else sendClient(s, pending.owner, { proto: 'zk', type: 'expired', connId: pending.connId, sessionId });
}

/** Called when a committed txn that a client of this server asked for is applied here. */
export function answerOrigin(s: Srv, txn: Txn, result: ZkResult): void {
  const origin = txn.origin;
  if (!origin) return;
  if (txn.body.type === 'createSession') {
    const key = `new:${origin.owner}:${origin.connId}`;
    const pending = s.m.pendingConnects[key];
    if (!pending) return;
    delete s.m.pendingConnects[key];
    establish(s, pending, txn.body.sessionId, txn.body.timeoutMs);
    return;
  }
  const conn = origin.sessionId === null ? undefined : s.m.conns[origin.sessionId];
  if (!conn || conn.connId !== origin.connId) return;
  const index = conn.queue.findIndex((q) => q.xid === origin.xid);
  if (index < 0) return;
  conn.queue.splice(index, 1);
  sendClient(s, conn.owner, { proto: 'zk', type: 'response', connId: conn.connId, xid: origin.xid, zxid: s.d.db.zxid, result });
  serveQueue(s, origin.sessionId!);
}

/** Answers the reads at the head of a session's queue; stops at a write still in flight. */
function serveQueue(s: Srv, sessionId: string): void {
  const conn = s.m.conns[sessionId];
  while (conn && conn.queue.length > 0 && !isWrite(conn.queue[0].request)) {
    const { xid, request } = conn.queue.shift()!;
    const result = read(s, sessionId, request);
    sendClient(s, conn.owner, { proto: 'zk', type: 'response', connId: conn.connId, xid, zxid: s.d.db.zxid, result });
  }
}

function read(s: Srv, sessionId: string, request: QueuedRequest['request']): ZkResult {
  if (request.op !== 'getData' && request.op !== 'exists' && request.op !== 'getChildren') throw new Error(`not a read: ${request.op}`);
  const node = s.d.db.nodes[request.path];
  switch (request.op) {
    case 'getData':
      if (!node) return { ok: false, error: 'NoNode' };
      if (request.watch) addWatch(s.m, 'data', request.path, sessionId);
      return { ok: true, data: node.data, stat: { ...node.stat } };
    case 'exists':
      // exists() watches a missing node too: it fires NodeCreated.
      if (request.watch) addWatch(s.m, 'data', request.path, sessionId);
      return { ok: true, stat: node ? { ...node.stat } : null };
    case 'getChildren':
      if (!node) return { ok: false, error: 'NoNode' };
      if (request.watch) addWatch(s.m, 'child', request.path, sessionId);
      return { ok: true, children: [...node.children], stat: { ...node.stat } };
  }
}

function closeConn(s: Srv, sessionId: string): void {
  delete s.m.conns[sessionId];
  removeSessionWatches(s.m, sessionId);
}

/** The session was closed by a committed txn: a client connected here learns it expired. */
export function endSession(s: Srv, sessionId: string): void {
  const conn = s.m.conns[sessionId];
  if (conn) sendClient(s, conn.owner, { proto: 'zk', type: 'expired', connId: conn.connId, sessionId });
  closeConn(s, sessionId);
}

/** The server stops serving (lost its leader or quorum): every client sees ConnectionLoss. */
export function dropClients(s: Srv): void {
  for (const sessionId of sortedKeys(s.m.conns)) {
    const conn = s.m.conns[sessionId];
    sendClient(s, conn.owner, { proto: 'zk', type: 'closed', connId: conn.connId });
  }
  for (const key of sortedKeys(s.m.pendingConnects)) {
    const p = s.m.pendingConnects[key];
    sendClient(s, p.owner, { proto: 'zk', type: 'refused', connId: p.connId, reason: 'server lost its quorum' });
  }
  s.m.conns = {};
  s.m.pendingConnects = {};
  s.m.dataWatches = {};
  s.m.childWatches = {};
}

/** A connection nobody heard from for a whole session timeout is gone (the client moved on). */
export function reapIdle(s: Srv): void {
  for (const sessionId of sortedKeys(s.m.conns)) {
    if (s.ctx.now - s.m.conns[sessionId].lastHeard > s.m.conns[sessionId].timeoutMs) closeConn(s, sessionId);
  }
  for (const key of sortedKeys(s.m.pendingConnects)) {
    if (s.ctx.now - s.m.pendingConnects[key].at > s.m.pendingConnects[key].timeoutMs) delete s.m.pendingConnects[key];
  }
}
