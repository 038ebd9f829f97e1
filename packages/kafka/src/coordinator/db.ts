/**
 * The data tree and how a committed txn changes it (ZooKeeper's DataTree.processTxn).
 * Applying never validates: the leader validated the request (prep.ts) and every server
 * applies the same txns in zxid order, so they reach the same tree.
 */
import type { ZkStat } from './api';
import { baseName, parentOf } from './paths';
import type { ResolvedOp, Txn, ZkDb, Znode } from './types';

export type WatchEventType = 'NodeCreated' | 'NodeDeleted' | 'NodeDataChanged' | 'NodeChildrenChanged';

/** A change a watch may observe. */
export interface TreeEvent {
  path: string;
  event: WatchEventType;
}

export interface OpResult {
  op: ResolvedOp['op'];
  path: string;
  stat?: ZkStat;
}

export interface ApplyOutcome {
  events: TreeEvent[];
  results: OpResult[];
  /** Ephemeral znodes removed by a closeSession. */
  deleted: string[];
}

/** Saved znodes (null = did not exist) to roll a failed multi back. */
export type Undo = Record<string, Znode | null>;

export function createDb(): ZkDb {
  return { zxid: 0, nodes: { '/': newZnode(null, 0, null) }, sessions: {} };
}

function newZnode(data: unknown, zxid: number, ephemeralOwner: string | null): Znode {
  return { data, stat: { version: 0, cversion: 0, czxid: zxid, mzxid: zxid, ephemeralOwner }, pzxid: zxid, children: [] };
}

function remember(db: ZkDb, path: string, undo: Undo | undefined): void {
  if (!undo || path in undo) return;
  const node = db.nodes[path];
  undo[path] = node ? structuredClone(node) : null;
}

export function rollback(db: ZkDb, undo: Undo): void {
  for (const path of Object.keys(undo)) {
    const saved = undo[path];
    if (saved) db.nodes[path] = saved;
    else delete db.nodes[path];
  }
}

function insertSorted(list: string[], name: string): void {
  list.push(name);
  list.sort();
}

export function applyOp(db: ZkDb, op: ResolvedOp, zxid: number, out: ApplyOutcome, undo?: Undo): void {
  switch (op.op) {
    case 'create': {
      const parentPath = parentOf(op.path);
      remember(db, parentPath, undo);
      remember(db, op.path, undo);
      const parent = db.nodes[parentPath];
      // DataTree.createNode: only creates bump the parent's cversion (deletes move pzxid only).
      parent.stat.cversion += 1;
      parent.pzxid = zxid;
      insertSorted(parent.children, baseName(op.path));
      db.nodes[op.path] = newZnode(op.data, zxid, op.ephemeralOwner);
      out.events.push({ path: op.path, event: 'NodeCreated' }, { path: parentPath, event: 'NodeChildrenChanged' });
      out.results.push({ op: 'create', path: op.path, stat: { ...db.nodes[op.path].stat } });
      return;
    }
    case 'setData': {
      remember(db, op.path, undo);
      const node = db.nodes[op.path];
      node.data = op.data;
      node.stat.version = op.version;
      node.stat.mzxid = zxid;
      out.events.push({ path: op.path, event: 'NodeDataChanged' });
      out.results.push({ op: 'setData', path: op.path, stat: { ...node.stat } });
      return;
    }
    case 'delete': {
      const parentPath = parentOf(op.path);
      remember(db, parentPath, undo);
      remember(db, op.path, undo);
      const parent = db.nodes[parentPath];
      const name = baseName(op.path);
      parent.children = parent.children.filter((c) => c !== name);
      if (zxid > parent.pzxid) parent.pzxid = zxid;
      delete db.nodes[op.path];
      out.events.push({ path: op.path, event: 'NodeDeleted' }, { path: parentPath, event: 'NodeChildrenChanged' });
      out.results.push({ op: 'delete', path: op.path });
      return;
    }
    case 'check':
      out.results.push({ op: 'check', path: op.path });
      return;
  }
}

export function ephemeralsOf(db: ZkDb, sessionId: string): string[] {
  return Object.keys(db.nodes)
    .filter((p) => db.nodes[p].stat.ephemeralOwner === sessionId)
    .sort();
}

/** Applies one txn to the tree; the db's zxid becomes the txn's. */
export function applyTxn(db: ZkDb, txn: Txn): ApplyOutcome {
  const out: ApplyOutcome = { events: [], results: [], deleted: [] };
  const body = txn.body;
  switch (body.type) {
    case 'createSession':
      db.sessions[body.sessionId] = { owner: body.owner, timeoutMs: body.timeoutMs };
      break;
    case 'closeSession':
      for (const path of ephemeralsOf(db, body.sessionId)) {
        applyOp(db, { op: 'delete', path }, txn.zxid, out);
        out.deleted.push(path);
      }
      delete db.sessions[body.sessionId];
      break;
    case 'ops':
      for (const op of body.ops) applyOp(db, op, txn.zxid, out);
      break;
    case 'error':
      break;
  }
  db.zxid = txn.zxid;
  return out;
}
