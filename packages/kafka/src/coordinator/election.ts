/**
 * FastLeaderElection: every LOOKING server votes for the best (leader, zxid, epoch) it knows —
 * higher epoch, then higher last logged zxid, then higher server id — and sends its vote to all.
 * Once a quorum of the same round agrees and no better vote arrives within finalizeWait, the
 * vote is final. A server that finds the others already following a leader joins it.
 */
import type { NodeId } from '@kafkasim/engine';
import { quorumSize } from './config';
import { dropLearner } from './leader';
import { lastLoggedZxid } from './log';
import { becomeFollower, becomeLeader } from './roles';
import { peers, sendPeer, sortedKeys, type Srv } from './srv';
import type { Role, Vote } from './types';

type Notification = { round: number; state: Role; vote: Vote };

function serverRank(s: Srv, id: NodeId): number {
  const digits = /(\d+)$/.exec(id);
  return digits ? Number(digits[1]) : s.cfg.ensemble.indexOf(id);
}

/** FastLeaderElection.totalOrderPredicate: does `a` beat `b`? */
export function betterVote(s: Srv, a: Vote, b: Vote): boolean {
  if (a.epoch !== b.epoch) return a.epoch > b.epoch;
  if (a.zxid !== b.zxid) return a.zxid > b.zxid;
  return serverRank(s, a.leader) > serverRank(s, b.leader);
}

function ownVote(s: Srv): Vote {
  return { leader: s.cfg.id, zxid: lastLoggedZxid(s.d), epoch: s.d.currentEpoch };
}

const sameVote = (a: Vote, b: Vote) => a.leader === b.leader && a.zxid === b.zxid && a.epoch === b.epoch;

function notification(s: Srv): { proto: 'zab'; type: 'notification' } & Notification {
  return { proto: 'zab', type: 'notification', round: s.m.election.round, state: s.m.role, vote: s.m.election.vote };
}

function broadcast(s: Srv): void {
  for (const peer of peers(s)) sendPeer(s, peer, notification(s));
}

function hasQuorum(s: Srv, votes: Record<NodeId, Vote>, vote: Vote): boolean {
  return sortedKeys(votes).filter((id) => sameVote(votes[id], vote)).length >= quorumSize(s.cfg);
}

export function startElection(s: Srv): void {
  const el = s.m.election;
  el.round += 1;
  el.vote = ownVote(s);
  el.recv = { [s.cfg.id]: el.vote };
  el.outOf = {};
  broadcast(s);
  checkRecv(s);
}

function checkRecv(s: Srv): void {
  const el = s.m.election;
  if (!hasQuorum(s, el.recv, el.vote) || el.finalizePending) return;
  el.finalizePending = true;
  s.ctx.setTimer(s.cfg.finalizeWaitMs, 'finalize', { round: el.round });
}

/** finalizeWait is over: decide if the vote still has its quorum (no better vote came). */
export function onFinalize(s: Srv, round: number): void {
  const el = s.m.election;
  el.finalizePending = false;
  if (s.m.role !== 'looking') return;
  if (round === el.round && hasQuorum(s, el.recv, el.vote)) decide(s, el.vote);
  else checkRecv(s);
}

function decide(s: Srv, vote: Vote): void {
  s.m.election.vote = vote;
  if (vote.leader === s.cfg.id) becomeLeader(s);
  else becomeFollower(s, vote.leader);
}

export function onNotification(s: Srv, from: NodeId, n: Notification): void {
  const el = s.m.election;
  if (s.m.role !== 'looking') {
    // Tell a LOOKING peer who leads; if it followed us, it has left.
    if (n.state === 'looking') {
      if (s.m.role === 'leading') dropLearner(s, from);
      sendPeer(s, from, notification(s));
    }
    return;
  }
  if (n.state === 'looking') {
    if (n.round > el.round) {
      el.round = n.round;
      el.recv = {};
      const own = ownVote(s);
      el.vote = betterVote(s, n.vote, own) ? n.vote : own;
      broadcast(s);
    } else if (n.round < el.round) {
      sendPeer(s, from, notification(s));
      return;
    } else if (betterVote(s, n.vote, el.vote)) {
      el.vote = n.vote;
      broadcast(s);
    }
    el.recv[from] = n.vote;
    el.recv[s.cfg.id] = el.vote;
    checkRecv(s);
    return;
  }
  const leader = n.vote.leader;
  // The sender decided in our round (our votes to it got through, its replies to us did not):
  // count it as a vote of this round. If it chose us, we lead (FLE's checkLeader).
  if (n.round === el.round) {
    el.recv[from] = n.vote;
    const leaderKnown = leader === s.cfg.id || el.outOf[leader]?.state === 'leading' || (from === leader && n.state === 'leading');
    if (hasQuorum(s, el.recv, n.vote) && leaderKnown) return decide(s, n.vote);
  }
  // The sender already follows or leads: join that leader if a quorum is with it and it leads.
  el.outOf[from] = { vote: n.vote, state: n.state };
  const supporters = sortedKeys(el.outOf).filter((id) => el.outOf[id].vote.leader === leader).length;
  if (supporters >= quorumSize(s.cfg) && leader !== s.cfg.id && el.outOf[leader]?.state === 'leading') {
    el.round = Math.max(el.round, n.round);
    decide(s, n.vote);
  }
}

/** While LOOKING, notifications are resent every tick (they may have been lost). */
export function electionTick(s: Srv): void {
  broadcast(s);
}
