/** The txn log on a server's disk: accepted proposals in zxid order, committed ones up to db.zxid. */
import type { Txn, ZkDisk } from './types';

export function lastLoggedZxid(d: ZkDisk): number {
  return d.log.length > 0 ? d.log[d.log.length - 1].zxid : d.db.zxid;
}

/** True when `zxid` is a point of this server's history from which a DIFF can start. */
export function inHistory(d: ZkDisk, zxid: number): boolean {
  if (zxid === d.logBase) return true;
  return d.log.some((t) => t.zxid === zxid);
}

export function txnsAfter(d: ZkDisk, zxid: number): Txn[] {
  return d.log.filter((t) => t.zxid > zxid);
}

export function uncommitted(d: ZkDisk): Txn[] {
  return txnsAfter(d, d.db.zxid);
}

/** Drops the oldest committed entries beyond `keep` (they live on in the db, our snapshot). */
export function trimLog(d: ZkDisk, keep: number): void {
  let committed = 0;
  while (committed < d.log.length && d.log[committed].zxid <= d.db.zxid) committed++;
  const drop = committed - keep;
  if (drop <= 0) return;
  d.logBase = d.log[drop - 1].zxid;
  d.log = d.log.slice(drop);
}
