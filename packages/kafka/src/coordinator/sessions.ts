/**
 * Session liveness (ZooKeeper's SessionTrackerImpl on the leader, LearnerSessionTracker on
 * followers). A client's traffic to any server touches its session; followers report touches
 * to the leader in their ping replies; the leader alone expires sessions, through a quorum txn.
 */
import { proposeTxn } from './leader';
import { sortedKeys, type Srv } from './srv';
import type { LeaderState } from './types';

export function touchSession(s: Srv, sessionId: string): void {
  if (s.m.role === 'leading' && s.m.lead) touchTracked(s.m.lead, sessionId, s.ctx.now);
  else if (s.m.follow) s.m.follow.touched[sessionId] = true;
}

export function touchTracked(lead: LeaderState, sessionId: string, now: number): void {
  const tracked = lead.tracker[sessionId];
  const info = lead.prepDb?.sessions[sessionId];
  if (tracked && info && !tracked.closing) tracked.expiresAt = now + info.timeoutMs;
}

/** Is the session alive? A yes also counts as a heartbeat (it comes from a reconnecting client). */
export function revalidate(lead: LeaderState, sessionId: string, now: number): { valid: boolean; timeoutMs: number } {
  const tracked = lead.tracker[sessionId];
  const info = lead.prepDb?.sessions[sessionId];
  if (!tracked || !info || tracked.closing) return { valid: false, timeoutMs: 0 };
  touchTracked(lead, sessionId, now);
  return { valid: true, timeoutMs: info.timeoutMs };
}

function closeSession(s: Srv, sessionId: string): void {
  const lead = s.m.lead!;
  const owner = lead.prepDb!.sessions[sessionId]?.owner;
  if (owner === undefined) return;
  lead.tracker[sessionId].closing = true;
  proposeTxn(s, null, () => ({ type: 'closeSession', sessionId, owner }));
}

export function expireDue(s: Srv): void {
  const lead = s.m.lead!;
  for (const sessionId of sortedKeys(lead.tracker)) {
    const tracked = lead.tracker[sessionId];
    if (!tracked.closing && tracked.expiresAt <= s.ctx.now) closeSession(s, sessionId);
  }
}

/** The 'expire-session' fault: expire every live session of that client node. */
export function expireOwner(s: Srv, owner: string): void {
  const lead = s.m.lead!;
  for (const sessionId of sortedKeys(lead.tracker)) {
    if (!lead.tracker[sessionId].closing && lead.prepDb!.sessions[sessionId]?.owner === owner) closeSession(s, sessionId);
  }
}

/** Every session in the tree starts a fresh timeout under a new leader (as ZooKeeper does). */
export function rebuildTracker(s: Srv): void {
  const lead = s.m.lead!;
  lead.tracker = {};
  for (const sessionId of sortedKeys(s.d.db.sessions)) {
    lead.tracker[sessionId] = { expiresAt: s.ctx.now + s.d.db.sessions[sessionId].timeoutMs, closing: false };
  }
}
