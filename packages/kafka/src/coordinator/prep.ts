/**
 * The leader's validation of a write (ZooKeeper's PrepRequestProcessor). It checks the request
 * against the tree as it will be once every outstanding proposal commits (the leader's prepDb)
 * and applies it there, so that the next request sees it. A multi is all or nothing: a failing
 * op rolls the earlier ones back.
 */
import type { ZkErrorCode, ZkOp } from './api';
import { applyOp, rollback, type ApplyOutcome, type Undo } from './db';
import { parentOf, sequentialSuffix } from './paths';
import type { ResolvedOp, TxnBody, WriteRequest, ZkDb } from './types';

type Resolved = { ok: true; op: ResolvedOp } | { ok: false; error: ZkErrorCode; path: string };

function resolve(db: ZkDb, op: ZkOp, sessionId: string): Resolved {
  const fail = (error: ZkErrorCode): Resolved => ({ ok: false, error, path: op.path });
  switch (op.op) {
    case 'create': {
      const parent = db.nodes[parentOf(op.path)];
      if (!parent) return fail('NoNode');
      // The suffix is the parent's cversion before this create, "%010d".
      const path = op.sequential ? op.path + sequentialSuffix(parent.stat.cversion) : op.path;
      if (db.nodes[path]) return { ok: false, error: 'NodeExists', path };
      if (parent.stat.ephemeralOwner !== null) return { ok: false, error: 'NoChildrenForEphemerals', path };
      return { ok: true, op: { op: 'create', path, data: op.data, ephemeralOwner: op.ephemeral ? sessionId : null } };
    }
    case 'setData': {
      const node = db.nodes[op.path];
      if (!node) return fail('NoNode');
      if (op.version !== -1 && op.version !== node.stat.version) return fail('BadVersion');
      return { ok: true, op: { op: 'setData', path: op.path, data: op.data, version: node.stat.version + 1 } };
    }
    case 'delete': {
      const node = db.nodes[op.path];
      if (!node) return fail('NoNode');
      if (op.version !== -1 && op.version !== node.stat.version) return fail('BadVersion');
      // The root always stays (the client library refuses to send this; ZooKeeper says BadArguments).
      if (node.children.length > 0 || op.path === '/') return fail('NotEmpty');
      return { ok: true, op: { op: 'delete', path: op.path } };
    }
    case 'check': {
      const node = db.nodes[op.path];
      if (!node) return fail('NoNode');
      if (op.version !== -1 && op.version !== node.stat.version) return fail('BadVersion');
      return { ok: true, op: { op: 'check', path: op.path } };
    }
  }
}

function opsOf(request: WriteRequest): ZkOp[] {
  switch (request.op) {
    case 'create': return [{ op: 'create', path: request.path, data: request.data, ephemeral: request.ephemeral, sequential: request.sequential }];
    case 'setData': return [{ op: 'setData', path: request.path, data: request.data, version: request.version }];
    case 'delete': return [{ op: 'delete', path: request.path, version: request.version }];
    case 'multi': return request.ops;
  }
}

/** Validates a write for `sessionId`, applies it to `db` (the leader's prepDb) and returns the txn body. */
export function prepWrite(db: ZkDb, sessionId: string, request: WriteRequest, zxid: number): TxnBody {
  const multi = request.op === 'multi';
  const undo: Undo = {};
  const scratch: ApplyOutcome = { events: [], results: [], deleted: [] };
  const ops: ResolvedOp[] = [];
  for (const op of opsOf(request)) {
    const r = resolve(db, op, sessionId);
    if (!r.ok) {
      rollback(db, undo);
      return { type: 'error', error: r.error, path: r.path, multi };
    }
    applyOp(db, r.op, zxid, scratch, undo);
    ops.push(r.op);
  }
  return { type: 'ops', multi, ops };
}
