/**
 * Server-side watches (ZooKeeper's WatchManager): one-shot, registered on the server the
 * client is connected to, removed when they fire. Data watches (getData, exists) and child
 * watches (getChildren) are kept apart as in ZooKeeper's DataTree.
 */
import type { TreeEvent, WatchEventType } from './db';
import { sendClient, sortedKeys, type Srv } from './srv';
import type { WatchSet, ZkMemory } from './types';

export function addWatch(m: ZkMemory, kind: 'data' | 'child', path: string, sessionId: string): void {
  const table = kind === 'data' ? m.dataWatches : m.childWatches;
  const list = table[path] ?? [];
  if (!list.includes(sessionId)) table[path] = [...list, sessionId].sort();
}

function take(table: Record<string, string[]>, path: string): string[] {
  const list = table[path] ?? [];
  delete table[path];
  return list;
}

function notify(s: Srv, sessionId: string, path: string, event: WatchEventType, zxid: number): void {
  const conn = s.m.conns[sessionId];
  if (conn) sendClient(s, conn.owner, { proto: 'zk', type: 'watch', connId: conn.connId, path, event, zxid });
}

/** Fires (and removes) the watches a committed change triggers (DataTree's triggerWatch). */
export function triggerWatches(s: Srv, events: TreeEvent[], zxid: number): void {
  for (const { path, event } of events) {
    const fromData = event === 'NodeChildrenChanged' ? [] : take(s.m.dataWatches, path);
    const fromChild = event === 'NodeChildrenChanged' || event === 'NodeDeleted' ? take(s.m.childWatches, path) : [];
    const sessions = [...new Set([...fromData, ...fromChild])].sort();
    for (const sessionId of sessions) notify(s, sessionId, path, event, zxid);
  }
}

export function removeSessionWatches(m: ZkMemory, sessionId: string): void {
  for (const table of [m.dataWatches, m.childWatches]) {
    for (const path of sortedKeys(table)) {
      const rest = table[path].filter((id) => id !== sessionId);
      if (rest.length > 0) table[path] = rest;
      else delete table[path];
    }
  }
}

/**
 * A reconnecting client re-registers its outstanding watches with the zxid it last saw
 * (ZooKeeper's setWatches): a watch whose change already happened fires at once.
 */
export function restoreWatches(s: Srv, sessionId: string, watches: WatchSet, relativeZxid: number): void {
  const nodes = s.d.db.nodes;
  const zxid = s.d.db.zxid;
  for (const path of watches.data) {
    const node = nodes[path];
    if (!node) notify(s, sessionId, path, 'NodeDeleted', zxid);
    else if (node.stat.mzxid > relativeZxid) notify(s, sessionId, path, 'NodeDataChanged', zxid);
    else addWatch(s.m, 'data', path, sessionId);
  }
  for (const path of watches.exist) {
    if (nodes[path]) notify(s, sessionId, path, 'NodeCreated', zxid);
    else addWatch(s.m, 'data', path, sessionId);
  }
  for (const path of watches.child) {
    const node = nodes[path];
    if (!node) notify(s, sessionId, path, 'NodeDeleted', zxid);
    else if (node.pzxid > relativeZxid) notify(s, sessionId, path, 'NodeChildrenChanged', zxid);
    else addWatch(s.m, 'child', path, sessionId);
  }
}
