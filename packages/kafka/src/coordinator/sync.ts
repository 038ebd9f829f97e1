/**
 * Bringing a follower's history in line with the leader's (ZooKeeper's LearnerHandler.syncFollower
 * and Learner.syncWithLeader): DIFF when the follower's last zxid is in the leader's history,
 * TRUNC to the follower's last committed zxid (dropping proposals the new leader never had) then
 * DIFF, or SNAP (the leader's committed tree) when the log no longer reaches back far enough.
 */
import { inHistory, lastLoggedZxid, txnsAfter, uncommitted } from './log';
import type { SyncMessage } from './messages';
import type { FollowerInfo, ZkDisk } from './types';

export function planSync(d: ZkDisk, info: FollowerInfo, epoch: number, uptodate: boolean): SyncMessage {
  const base = { proto: 'zab', type: 'sync', epoch, commitZxid: d.db.zxid, uptodate } as const;
  if (inHistory(d, info.lastZxid)) {
    return { ...base, mode: 'diff', truncTo: null, snapshot: null, txns: txnsAfter(d, info.lastZxid) };
  }
  // A committed txn is in every later leader's history (Zab), so the follower's committed
  // prefix is common ground: only its uncommitted tail can have diverged.
  if (info.committedZxid <= lastLoggedZxid(d) && inHistory(d, info.committedZxid)) {
    return { ...base, mode: 'trunc', truncTo: info.committedZxid, snapshot: null, txns: txnsAfter(d, info.committedZxid) };
  }
  return { ...base, mode: 'snap', truncTo: null, snapshot: structuredClone(d.db), txns: uncommitted(d) };
}

/**
 * Follower side: reshapes the log (and the tree, for a SNAP) and appends the leader's txns.
 * Committing them is the caller's job. A stale sync (a duplicate) never moves the tree back.
 */
export function applySync(d: ZkDisk, msg: SyncMessage): void {
  if (msg.mode === 'snap' && msg.snapshot && msg.snapshot.zxid >= d.db.zxid) {
    d.db = structuredClone(msg.snapshot);
    d.log = [];
    d.logBase = d.db.zxid;
  }
  if (msg.mode === 'trunc' && msg.truncTo !== null) {
    const keepUpTo = Math.max(msg.truncTo, d.db.zxid);
    d.log = d.log.filter((t) => t.zxid <= keepUpTo);
  }
  for (const txn of msg.txns) {
    if (txn.zxid > lastLoggedZxid(d)) d.log.push(txn);
  }
}
