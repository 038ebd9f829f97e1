/**
 * Transactions as a partition leader sees them (Kafka's ProducerStateManager + the aborted
 * transaction index): the first offset of every open transaction, which bounds the last stable
 * offset (LSO = min(HW, first offset of the earliest open transaction)), and the aborted
 * transactions that read_committed fetches report so consumers can drop their records.
 */
import type { StoredRecord } from '../storage';
import type { PartitionReplica, PartitionTxns } from './types';

const txnsOf = (p: PartitionReplica): PartitionTxns => (p.txns ??= { ongoing: {}, aborted: [] });

/** A transactional batch was appended at [firstOffset, ...]: it may open a transaction here. */
export function trackTransactionalAppend(p: PartitionReplica, producerId: number, firstOffset: number): void {
  const txns = txnsOf(p);
  if (txns.ongoing[String(producerId)] === undefined) txns.ongoing[String(producerId)] = firstOffset;
}

/** A COMMIT/ABORT marker for `producerId` was appended at `offset`: its transaction closes here. */
export function applyMarker(p: PartitionReplica, producerId: number, result: 'COMMIT' | 'ABORT', offset: number): void {
  const txns = txnsOf(p);
  const first = txns.ongoing[String(producerId)];
  delete txns.ongoing[String(producerId)];
  if (result === 'ABORT' && first !== undefined) txns.aborted.push({ producerId, firstOffset: first, lastOffset: offset });
}

/** On becoming leader: replay the log (absent when the log has no transactional records). */
export function rebuildTxnsFromLog(records: readonly StoredRecord[]): PartitionTxns | undefined {
  if (!records.some((r) => r.transactional || r.control)) return undefined;
  const p = { txns: { ongoing: {}, aborted: [] } } as unknown as PartitionReplica;
  for (const r of records) {
    if (r.producerId === undefined || r.producerId < 0) continue;
    if (r.control) applyMarker(p, r.producerId, r.control, r.offset);
    else if (r.transactional) trackTransactionalAppend(p, r.producerId, r.offset);
  }
  return p.txns;
}

export function lastStableOffset(p: PartitionReplica): number {
  if (!p.txns) return p.highWatermark;
  return Math.min(p.highWatermark, ...Object.values(p.txns.ongoing));
}

/** FetchResponse.abortedTransactions for a read_committed fetch of [fetchOffset, upTo). */
export function abortedTransactionsFor(p: PartitionReplica, fetchOffset: number, upTo: number): { producerId: number; firstOffset: number }[] {
  if (!p.txns) return [];
  return p.txns.aborted
    .filter((a) => a.lastOffset >= fetchOffset && a.firstOffset < upTo)
    .map((a) => ({ producerId: a.producerId, firstOffset: a.firstOffset }));
}
