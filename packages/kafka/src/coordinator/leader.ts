/**
 * The leader (ZooKeeper's Leader + LearnerHandler, Zab phases): discovery (a quorum reports its
 * accepted epoch, the leader picks a larger one), synchronisation (each follower gets DIFF/TRUNC/
 * SNAP; the leader's whole history commits once a quorum has it), then broadcast: every write is
 * a proposal with the next zxid, committed when a quorum (the leader included) logged it.
 */
import type { NodeId } from '@kafkasim/engine';
import { emit } from '../events';
import { commitUpTo } from './commit';
import { quorumSize } from './config';
import { lastLoggedZxid } from './log';
import type { Forwarded } from './messages';
import { prepWrite } from './prep';
import { applyTxn } from './db';
import { goLooking } from './roles';
import { onRevalidated, startServing } from './serve';
import { expireDue, expireOwner, rebuildTracker, revalidate, touchTracked } from './sessions';
import { sendPeer, sortedKeys, type Srv } from './srv';
import { planSync } from './sync';
import type { FollowerInfo, LeaderState, TxnBody, TxnOrigin, WriteRequest } from './types';
import { makeZxid, zxidHex } from './zxid';

export function newLeaderState(now: number): LeaderState {
  return {
    epoch: 0, phase: 'discovery', startedAt: now, infos: {}, learners: {}, establishZxid: 0, knownCommitted: 0,
    prepDb: null, counter: 0, tracker: {}, lastXid: {},
  };
}

/** Discovery ends once a quorum (us included) reported: the new epoch beats every accepted one. */
export function tryFinishDiscovery(s: Srv): void {
  const lead = s.m.lead!;
  const reporters = sortedKeys(lead.infos);
  if (lead.phase !== 'discovery' || reporters.length + 1 < quorumSize(s.cfg)) return;
  lead.epoch = Math.max(s.d.acceptedEpoch, ...reporters.map((f) => lead.infos[f].acceptedEpoch)) + 1;
  s.d.acceptedEpoch = lead.epoch;
  lead.phase = 'sync';
  lead.establishZxid = lastLoggedZxid(s.d);
  for (const f of reporters) syncLearner(s, f, lead.infos[f]);
  checkEstablished(s);
}

function syncLearner(s: Srv, follower: NodeId, info: FollowerInfo): void {
  const lead = s.m.lead!;
  lead.learners[follower] = { acked: -1, lastHeard: s.ctx.now, seq: info.seq };
  lead.knownCommitted = Math.max(lead.knownCommitted, info.committedZxid);
  sendPeer(s, follower, planSync(s.d, info, lead.epoch, lead.phase === 'established'));
}

export function onFollowerInfo(s: Srv, from: NodeId, info: FollowerInfo): void {
  const lead = s.m.lead;
  if (s.m.role !== 'leading' || !lead) return;
  if (lead.phase === 'discovery') {
    lead.infos[from] = info;
    tryFinishDiscovery(s);
    return;
  }
  // Followers repeat their info until synced: sync each following attempt once.
  if (lead.learners[from]?.seq === info.seq) return;
  if (info.acceptedEpoch > lead.epoch) {
    // It promised a newer epoch (to a leader that never established, whose LEADERINFO we
    // missed) and cannot follow ours (Learner.registerWithLeader refuses). Learn that epoch
    // and step down, so the next election picks an epoch every server can accept.
    s.d.acceptedEpoch = Math.max(s.d.acceptedEpoch, info.acceptedEpoch);
    goLooking(s);
    return;
  }
  syncLearner(s, from, info);
}

function checkEstablished(s: Srv): void {
  const lead = s.m.lead!;
  if (lead.phase !== 'sync') return;
  const synced = sortedKeys(lead.learners).filter((f) => lead.learners[f].acked >= lead.establishZxid).length;
  if (synced + 1 < quorumSize(s.cfg)) return;
  lead.phase = 'established';
  s.d.currentEpoch = lead.epoch;
  emit(s.ctx, { event: 'zk-leader-elected', server: s.cfg.id, epoch: lead.epoch, zxid: lead.establishZxid });
  // A quorum holds our whole history now: all of it is committed (Zab's NEWLEADER).
  commitUpTo(s, lead.establishZxid);
  lead.prepDb = structuredClone(s.d.db);
  rebuildTracker(s);
  startServing(s);
  for (const f of sortedKeys(lead.learners)) sendPeer(s, f, { proto: 'zab', type: 'commit', epoch: lead.epoch, zxid: s.d.db.zxid, uptodate: true });
}

export function onAck(s: Srv, from: NodeId, epoch: number, zxid: number): void {
  const lead = s.m.lead;
  const learner = lead?.learners[from];
  if (s.m.role !== 'leading' || !lead || !learner || epoch !== lead.epoch) return;
  learner.acked = Math.max(learner.acked, zxid);
  learner.lastHeard = s.ctx.now;
  if (lead.phase === 'sync') checkEstablished(s);
  else maybeCommit(s);
}

export function onPong(s: Srv, from: NodeId, epoch: number, touched: string[]): void {
  const lead = s.m.lead;
  const learner = lead?.learners[from];
  if (s.m.role !== 'leading' || !lead || !learner || epoch !== lead.epoch) return;
  learner.lastHeard = s.ctx.now;
  for (const sessionId of touched) touchTracked(lead, sessionId, s.ctx.now);
}

/** A follower that went back to LOOKING dropped its connection to us. */
export function dropLearner(s: Srv, follower: NodeId): void {
  if (s.m.lead) {
    delete s.m.lead.learners[follower];
    delete s.m.lead.infos[follower];
  }
}

function maybeCommit(s: Srv): void {
  const lead = s.m.lead!;
  if (lead.phase !== 'established') return;
  const logged = [lastLoggedZxid(s.d), ...sortedKeys(lead.learners).map((f) => lead.learners[f].acked).filter((z) => z >= 0)];
  const q = quorumSize(s.cfg);
  if (logged.length < q) return;
  const committable = logged.sort((a, b) => b - a)[q - 1];
  if (committable <= s.d.db.zxid) return;
  commitUpTo(s, committable);
  for (const f of sortedKeys(lead.learners)) sendPeer(s, f, { proto: 'zab', type: 'commit', epoch: lead.epoch, zxid: s.d.db.zxid, uptodate: true });
}

/** Logs a proposal with the next zxid and sends it to every follower. */
export function proposeTxn(s: Srv, origin: TxnOrigin | null, build: (zxid: number) => TxnBody): void {
  const lead = s.m.lead!;
  const prepDb = lead.prepDb!;
  lead.counter += 1;
  const zxid = makeZxid(lead.epoch, lead.counter);
  const prevZxid = lastLoggedZxid(s.d);
  const body = build(zxid);
  const txn = { zxid, origin, body };
  // prepWrite already applied an 'ops' body to prepDb; sessions are applied here.
  if (body.type === 'createSession' || body.type === 'closeSession') applyTxn(prepDb, txn);
  prepDb.zxid = zxid;
  s.d.log.push(txn);
  for (const f of sortedKeys(lead.learners)) sendPeer(s, f, { proto: 'zab', type: 'propose', epoch: lead.epoch, prevZxid, txn });
  maybeCommit(s);
}

function submitWrite(s: Srv, origin: TxnOrigin, request: WriteRequest): void {
  const lead = s.m.lead!;
  const sessionId = origin.sessionId!;
  if ((lead.lastXid[sessionId] ?? 0) >= origin.xid) return;
  lead.lastXid[sessionId] = origin.xid;
  const tracked = lead.tracker[sessionId];
  const alive = tracked && !tracked.closing && lead.prepDb!.sessions[sessionId];
  const path = request.op === 'multi' ? (request.ops[0]?.path ?? '/') : request.path;
  proposeTxn(s, origin, (zxid) =>
    alive ? prepWrite(lead.prepDb!, sessionId, request, zxid) : { type: 'error', error: 'SessionExpired', path, multi: request.op === 'multi' },
  );
}

function createSession(s: Srv, origin: TxnOrigin, timeoutMs: number): void {
  const lead = s.m.lead!;
  proposeTxn(s, origin, (zxid) => {
    // Session ids are unique and deterministic: the hex zxid of the createSession txn.
    const sessionId = zxidHex(zxid);
    lead.tracker[sessionId] = { expiresAt: s.ctx.now + timeoutMs, closing: false };
    return { type: 'createSession', sessionId, owner: origin.owner, timeoutMs };
  });
}

/** Requests that only the leader can handle, forwarded by followers (or from our own clients). */
export function handleForward(s: Srv, from: NodeId, fwd: Forwarded): void {
  const lead = s.m.lead;
  if (s.m.role !== 'leading' || !lead || lead.phase !== 'established') return;
  if (from !== s.cfg.id) {
    if (!lead.learners[from]) return;
    lead.learners[from].lastHeard = s.ctx.now;
  }
  switch (fwd.kind) {
    case 'write': return submitWrite(s, fwd.origin, fwd.request);
    case 'createSession': return createSession(s, fwd.origin, fwd.timeoutMs);
    case 'expire': return expireOwner(s, fwd.owner);
    case 'revalidate': {
      const { valid, timeoutMs } = revalidate(lead, fwd.sessionId, s.ctx.now);
      if (from === s.cfg.id) onRevalidated(s, fwd.sessionId, valid, timeoutMs);
      else sendPeer(s, from, { proto: 'zab', type: 'revalidated', epoch: lead.epoch, sessionId: fwd.sessionId, valid, timeoutMs });
    }
  }
}

export function leaderTick(s: Srv): void {
  const lead = s.m.lead!;
  const ping = { proto: 'zab', type: 'ping', epoch: lead.epoch, lastZxid: lastLoggedZxid(s.d), commitZxid: s.d.db.zxid, uptodate: lead.phase === 'established' } as const;
  for (const f of sortedKeys(lead.learners)) sendPeer(s, f, ping);
  if (lead.phase !== 'established') {
    if (s.ctx.now - lead.startedAt > s.cfg.initLimit * s.cfg.tickMs) goLooking(s);
    return;
  }
  // Leader.lead(): step down when fewer than a quorum of followers are still in touch.
  const limit = s.cfg.syncLimit * s.cfg.tickMs;
  const inTouch = sortedKeys(lead.learners).filter((f) => s.ctx.now - lead.learners[f].lastHeard <= limit).length;
  if (inTouch + 1 < quorumSize(s.cfg)) {
    goLooking(s);
    return;
  }
  expireDue(s);
}
