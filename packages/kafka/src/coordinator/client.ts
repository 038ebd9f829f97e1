/**
 * The coordinator client library (api.ts): plain-data state in the host node, driven by the
 * host's handler. Requests go to the server the client is connected to; results, watch events
 * and session changes come back as outputs of zkClientHandle.
 *
 * Session outputs: 'connected' after every (re)connection — with the same sessionId when the
 * session survived a disconnect, with a new one after 'expired'; 'disconnected' when the
 * connection dropped (the session may still be alive: ephemerals stay until it EXPIRES).
 */
import type { NodeContext, NodeEvent } from '@kafkasim/engine';
import type { ZkClientOutput, ZkOp } from './api';
import { connect, onRetryTimer, onServerMessage, onTick, tickInterval } from './clientConnection';
import { zkClientCreate, type PendingRequest, type ZkClientState } from './clientState';
import type { ServerToClient } from './messages';
import { assertValidPath } from './paths';
import type { ZkRequest } from './types';

export { zkClientCreate, type ZkClientState };

export function zkClientStart(state: ZkClientState, ctx: NodeContext): void {
  state.owner = ctx.self;
  // Spread clients over the ensemble, then go round it in order.
  state.serverIndex = ctx.rng.int(0, state.servers.length - 1);
  ctx.setTimer(tickInterval(state), 'zk:tick');
  connect(state, ctx);
}

function drain(state: ZkClientState): ZkClientOutput[] {
  const out = state.outbox;
  state.outbox = [];
  return out;
}

export function zkClientHandle(state: ZkClientState, event: NodeEvent, ctx: NodeContext): ZkClientOutput[] | null {
  if (event.type === 'message' && event.payload?.proto === 'zk') {
    onServerMessage(state, ctx, event.from, event.payload as ServerToClient);
    return drain(state);
  }
  if (event.type === 'timer' && event.name.startsWith('zk:')) {
    if (event.name === 'zk:tick') onTick(state, ctx);
    else if (event.name === 'zk:retry') onRetryTimer(state, ctx, event.data?.connId);
    else if (event.name === 'zk:flush') state.flushScheduled = false;
    return drain(state);
  }
  return null;
}

export function zkSessionId(state: ZkClientState): string | null {
  return state.sessionId;
}

export function zkIsConnected(state: ZkClientState): boolean {
  return state.phase === 'connected';
}

function submit(state: ZkClientState, ctx: NodeContext, request: ZkRequest, tag: string, op: PendingRequest['op'], path: string, watch = false): void {
  if (state.phase !== 'connected' || !state.sessionId) {
    // Delivered through zkClientHandle on a zero-delay timer, as an asynchronous callback.
    state.outbox.push({ type: 'result', tag, op, path, ok: false, error: 'ConnectionLoss' });
    if (!state.flushScheduled) {
      state.flushScheduled = true;
      ctx.setTimer(0, 'zk:flush');
    }
    return;
  }
  const xid = state.nextXid++;
  state.pending.push({ xid, tag, op, path, sentAt: ctx.now, watch });
  ctx.send(state.server!, { proto: 'zk', type: 'request', connId: state.connId, sessionId: state.sessionId, xid, request });
  state.lastSentAt = ctx.now;
}

export function zkCreate(
  state: ZkClientState, ctx: NodeContext, path: string, data: unknown,
  options: { ephemeral?: boolean; sequential?: boolean }, tag: string,
): void {
  const sequential = options.sequential ?? false;
  assertValidPath(path, sequential);
  submit(state, ctx, { op: 'create', path, data: structuredClone(data), ephemeral: options.ephemeral ?? false, sequential }, tag, 'create', path);
}

export function zkGetData(state: ZkClientState, ctx: NodeContext, path: string, options: { watch?: boolean }, tag: string): void {
  assertValidPath(path);
  const watch = options.watch ?? false;
  submit(state, ctx, { op: 'getData', path, watch }, tag, 'getData', path, watch);
}

/** version -1 matches any version. */
export function zkSetData(state: ZkClientState, ctx: NodeContext, path: string, data: unknown, version: number, tag: string): void {
  assertValidPath(path);
  submit(state, ctx, { op: 'setData', path, data: structuredClone(data), version }, tag, 'setData', path);
}

export function zkDelete(state: ZkClientState, ctx: NodeContext, path: string, version: number, tag: string): void {
  assertValidPath(path);
  if (path === '/') throw new Error('Invalid path "/": the root cannot be deleted');
  submit(state, ctx, { op: 'delete', path, version }, tag, 'delete', path);
}

export function zkGetChildren(state: ZkClientState, ctx: NodeContext, path: string, options: { watch?: boolean }, tag: string): void {
  assertValidPath(path);
  const watch = options.watch ?? false;
  submit(state, ctx, { op: 'getChildren', path, watch }, tag, 'getChildren', path, watch);
}

export function zkExists(state: ZkClientState, ctx: NodeContext, path: string, options: { watch?: boolean }, tag: string): void {
  assertValidPath(path);
  const watch = options.watch ?? false;
  submit(state, ctx, { op: 'exists', path, watch }, tag, 'exists', path, watch);
}

/**
 * Atomic: every op applies, or none. Success: `data` is one { op, path, stat? } per op (a
 * create's path carries its sequential suffix). Failure: the first failing op's error.
 */
export function zkMulti(state: ZkClientState, ctx: NodeContext, ops: ZkOp[], tag: string): void {
  for (const op of ops) {
    assertValidPath(op.path, op.op === 'create' && (op.sequential ?? false));
    if (op.op === 'delete' && op.path === '/') throw new Error('Invalid path "/": the root cannot be deleted');
  }
  const copies = ops.map((op) => ('data' in op ? { ...op, data: structuredClone(op.data) } : { ...op }));
  submit(state, ctx, { op: 'multi', ops: copies }, tag, 'multi', ops[0]?.path ?? '/');
}
