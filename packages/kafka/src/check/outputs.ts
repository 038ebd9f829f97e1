/**
 * Consume-process-produce: how often each processed input record's output (outputRecordId)
 * appears among the COMMITTED records of the final leader logs, as a read_committed reader sees
 * them. A transactional record counts once its producer's COMMIT marker follows it in the log;
 * records before an ABORT marker, or of a transaction still open at the end, do not count.
 */
import { sourceOfOutputId } from '../events';
import type { ReplicaView } from './replicas';

export interface OutputReport {
  /** Input ids whose output appears more than once among committed output records. */
  outputDuplicates: number;
  /** Processed input ids whose output never appears among committed output records. */
  outputMissing: number;
  /** Output records left out because their transaction was aborted (or never ended). */
  outputAborted: number;
}

const MARKER = /^marker:(COMMIT|ABORT):(-?\d+):/;

/**
 * `transactional`: `${tp}@${offset}` -> [record id, producer id] from the leaders' 'append' facts.
 * `processedIds`: every input id some group processed. Zero counts when no output record exists.
 */
export function outputReport(
  view: ReplicaView,
  authoritative: (tp: string) => string[],
  transactional: Map<string, [string, number]>,
  processedIds: Set<string>,
): OutputReport {
  const committed = new Map<string, number>();
  let aborted = 0;
  let anyOutput = false;
  for (const [tp, byBroker] of [...view.logs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const leaders = authoritative(tp);
    const log = leaders.length > 0 ? byBroker.get(leaders[0]) : undefined;
    if (!log) continue;
    const open = new Map<number, string[]>();
    const count = (ids: string[]) => { for (const id of ids) committed.set(id, (committed.get(id) ?? 0) + 1); };
    for (const offset of log.offsets()) {
      const id = log.get(offset)!;
      const marker = MARKER.exec(id);
      if (marker) {
        const pid = Number(marker[2]);
        const ids = open.get(pid) ?? [];
        open.delete(pid);
        if (marker[1] === 'COMMIT') count(ids);
        else aborted += ids.length;
        continue;
      }
      const source = sourceOfOutputId(id);
      if (source === null) continue;
      anyOutput = true;
      const txn = transactional.get(`${tp}@${offset}`);
      if (txn && txn[0] === id) open.set(txn[1], [...(open.get(txn[1]) ?? []), source]);
      else count([source]);
    }
    for (const ids of open.values()) aborted += ids.length;
  }
  if (!anyOutput) return { outputDuplicates: 0, outputMissing: 0, outputAborted: 0 };
  return {
    outputDuplicates: [...committed.values()].filter((n) => n > 1).length,
    outputMissing: [...processedIds].filter((id) => !committed.has(id)).length,
    outputAborted: aborted,
  };
}
