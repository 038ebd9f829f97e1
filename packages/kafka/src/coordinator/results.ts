/** What a client gets back for a committed write, from what applying the txn did. */
import type { ApplyOutcome } from './db';
import type { ZkResult } from './messages';
import type { TxnBody } from './types';

export function writeResult(body: TxnBody, outcome: ApplyOutcome): ZkResult {
  if (body.type === 'error') return { ok: false, error: body.error };
  if (body.type !== 'ops') return { ok: true };
  if (body.multi) {
    // One entry per op, in order, as ZooKeeper's OpResult list.
    return { ok: true, data: outcome.results.map((r) => ({ op: r.op, path: r.path, ...(r.stat ? { stat: r.stat } : {}) })) };
  }
  const r = outcome.results[0];
  if (r.op === 'create') return { ok: true, createdPath: r.path, stat: r.stat };
  if (r.op === 'setData') return { ok: true, stat: r.stat };
  return { ok: true };
}
