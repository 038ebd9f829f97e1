/**
 * Applying committed txns, in zxid order, on any server: the tree changes, watches fire, the
 * server the client asked answers it, and the leader records the facts (events.ts).
 */
import { applyTxn, type ApplyOutcome } from './db';
import { emit } from '../events';
import { trimLog } from './log';
import { writeResult } from './results';
import { answerOrigin, endSession } from './serve';
import type { Srv } from './srv';
import type { Txn } from './types';
import { triggerWatches } from './watchManager';

/**
 * Facts are recorded by the leader when it commits. A new leader commits its whole history
 * again; it skips what its quorum knew committed, but if the old leader's commit reached no
 * one of that quorum, the fact appears twice with the same zxid.
 */
function recordFacts(s: Srv, txn: Txn, outcome: ApplyOutcome): void {
  const body = txn.body;
  switch (body.type) {
    case 'createSession':
      emit(s.ctx, { event: 'zk-session-created', sessionId: body.sessionId, owner: body.owner, server: txn.origin?.server ?? s.cfg.id });
      return;
    case 'closeSession':
      emit(s.ctx, { event: 'zk-session-expired', sessionId: body.sessionId, owner: body.owner });
      for (const path of outcome.deleted) emit(s.ctx, { event: 'zk-write-committed', zxid: txn.zxid, op: 'delete', path });
      return;
    case 'ops':
      for (const r of outcome.results) {
        if (r.op !== 'check') emit(s.ctx, { event: 'zk-write-committed', zxid: txn.zxid, op: r.op, path: r.path });
      }
      return;
    case 'error':
      emit(s.ctx, { event: 'zk-write-refused', reason: body.error, path: body.path });
  }
}

function applyCommitted(s: Srv, txn: Txn): void {
  const outcome = applyTxn(s.d.db, txn);
  triggerWatches(s, outcome.events, txn.zxid);
  if (txn.body.type === 'closeSession') endSession(s, txn.body.sessionId);
  if (txn.origin?.server === s.cfg.id) answerOrigin(s, txn, writeResult(txn.body, outcome));
  if (s.m.role === 'leading' && s.m.lead) {
    if (txn.zxid > s.m.lead.knownCommitted) recordFacts(s, txn, outcome);
    if (txn.body.type === 'closeSession') delete s.m.lead.tracker[txn.body.sessionId];
  }
}

/** Applies every logged txn up to `zxid` that is not applied yet. */
export function commitUpTo(s: Srv, zxid: number): void {
  const from = s.d.log.findIndex((t) => t.zxid > s.d.db.zxid);
  if (from < 0) return;
  for (let i = from; i < s.d.log.length && s.d.log[i].zxid <= zxid; i++) applyCommitted(s, s.d.log[i]);
  trimLog(s.d, s.cfg.committedLogSize);
}
