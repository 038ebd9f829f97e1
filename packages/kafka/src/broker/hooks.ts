/**
 * What must be re-checked after a leader's log or high watermark moved: parked fetches (long
 * polls), parked acks=all produces and, for __consumer_offsets, the hosted group coordinator.
 */
import { onOffsetsHighWatermark } from '../group/coordinator';
import { OFFSETS_TOPIC } from '../group/host';
import type { Broker } from './context';
import { groupHost } from './groupHost';
import { onTxnHighWatermark } from '../txn/coordinator';
import { TXN_TOPIC } from '../txn/host';
import { txnHost } from './txnHost';
import { tryCompleteDelayedFetches, tryCompleteDelayedProduces } from './purgatory';
import type { PartitionReplica } from './types';

export function afterLeaderProgress(b: Broker, p: PartitionReplica, hwAdvanced: boolean): void {
  tryCompleteDelayedFetches(b, p);
  if (!hwAdvanced) return;
  tryCompleteDelayedProduces(b);
  if (p.topic === OFFSETS_TOPIC && p.role === 'leader') {
    onOffsetsHighWatermark(b.v.group, p.partition, p.highWatermark, b.ctx, groupHost(b));
  }
  if (p.topic === TXN_TOPIC && p.role === 'leader' && b.v.txn) {
    onTxnHighWatermark(b.v.txn, p.partition, p.highWatermark, b.ctx, txnHost(b));
  }
}
