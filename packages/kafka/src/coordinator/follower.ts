/**
 * A follower (ZooKeeper's Follower/Learner): reports its history to the leader, syncs, then logs
 * and acks proposals in zxid order and applies commits. It goes back to LOOKING when the leader
 * is silent for syncLimit ticks, or never syncs it within initLimit ticks.
 */
import type { NodeId } from '@kafkasim/engine';
import { commitUpTo } from './commit';
import { lastLoggedZxid } from './log';
import type { ServerToServer, SyncMessage } from './messages';
import { goLooking } from './roles';
import { onRevalidated, startServing } from './serve';
import { sendPeer, sortedKeys, type Srv } from './srv';
import { applySync } from './sync';

function sendInfo(s: Srv): void {
  const f = s.m.follow!;
  sendPeer(s, f.leader, {
    proto: 'zab', type: 'followerinfo',
    info: { acceptedEpoch: s.d.acceptedEpoch, lastZxid: lastLoggedZxid(s.d), committedZxid: s.d.db.zxid, seq: f.seq },
  });
}

export function startFollowing(s: Srv, leader: NodeId): void {
  s.m.followSeq += 1;
  s.m.follow = { leader, epoch: null, seq: s.m.followSeq, startedAt: s.ctx.now, lastHeard: s.ctx.now, touched: {} };
  sendInfo(s);
}

function onSync(s: Srv, msg: SyncMessage): void {
  const f = s.m.follow!;
  // Learner.registerWithLeader: never go back to an epoch older than one we accepted.
  if (msg.epoch < s.d.acceptedEpoch) return goLooking(s);
  s.d.acceptedEpoch = msg.epoch;
  applySync(s.d, msg);
  commitUpTo(s, Math.min(msg.commitZxid, lastLoggedZxid(s.d)));
  s.d.currentEpoch = msg.epoch;
  f.epoch = msg.epoch;
  sendPeer(s, f.leader, { proto: 'zab', type: 'ack', epoch: msg.epoch, zxid: lastLoggedZxid(s.d) });
  if (msg.uptodate) startServing(s);
}

/** Messages from the leader we follow. */
export function onLeaderMessage(s: Srv, from: NodeId, msg: ServerToServer): void {
  const f = s.m.follow;
  if (s.m.role !== 'following' || !f || from !== f.leader) return;
  f.lastHeard = s.ctx.now;
  if (msg.type === 'sync') return onSync(s, msg);
  if (!('epoch' in msg) || msg.epoch !== f.epoch) return;
  switch (msg.type) {
    case 'propose': {
      const last = lastLoggedZxid(s.d);
      if (msg.txn.zxid <= last) return;
      // A lost proposal leaves a hole in the log: ZooKeeper's TCP link would have broken.
      if (msg.prevZxid !== last) return goLooking(s);
      s.d.log.push(msg.txn);
      sendPeer(s, f.leader, { proto: 'zab', type: 'ack', epoch: f.epoch, zxid: msg.txn.zxid });
      return;
    }
    case 'commit':
      commitUpTo(s, Math.min(msg.zxid, lastLoggedZxid(s.d)));
      if (msg.uptodate) startServing(s);
      return;
    case 'ping':
      // Links are FIFO: a ping announcing more than we logged means a proposal was lost.
      if (msg.lastZxid > lastLoggedZxid(s.d)) return goLooking(s);
      commitUpTo(s, Math.min(msg.commitZxid, lastLoggedZxid(s.d)));
      if (msg.uptodate) startServing(s);
      sendPeer(s, f.leader, { proto: 'zab', type: 'pong', epoch: f.epoch, touched: sortedKeys(f.touched) });
      f.touched = {};
      return;
    case 'revalidated':
      onRevalidated(s, msg.sessionId, msg.valid, msg.timeoutMs);
  }
}

export function followerTick(s: Srv): void {
  const f = s.m.follow!;
  if (f.epoch === null) {
    if (s.ctx.now - f.startedAt > s.cfg.initLimit * s.cfg.tickMs) return goLooking(s);
    // The leader may not have finished its own election yet: ask again.
    sendInfo(s);
    return;
  }
  if (s.ctx.now - f.lastHeard > s.cfg.syncLimit * s.cfg.tickMs) goLooking(s);
}
