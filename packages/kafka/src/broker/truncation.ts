/**
 * How a follower cuts its log back to the part it shares with its leader.
 *
 * - 'leader-epoch' (KIP-101 / KIP-279, Kafka >= 0.11/2.0): ask the leader where the follower's
 *   latest epoch ended (OffsetsForLeaderEpoch) and truncate there
 *   (AbstractFetcherThread.getOffsetTruncationState, reproduced below).
 * - 'high-watermark' (Kafka < 0.11): truncate to the follower's own high watermark when it
 *   becomes follower. The HW can lag behind what the follower really shares with the leader,
 *   which is what loses acknowledged records and lets replicas diverge (KIP-101's scenarios).
 */
import { emit } from '../events';
import type { OffsetsForLeaderEpochResponse } from '../protocol';
import { allRecords, endOffsetForEpoch, truncateTo, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from '../storage';
import type { Broker } from './context';
import { logOf } from './partition';
import type { PartitionReplica } from './types';

export type TruncationRule = 'leader-epoch' | 'high-watermark';

/** Truncates the replica's log to `offset` (no-op at or past the LEO); emits 'truncate' when it removed records. */
export function truncateReplica(b: Broker, p: PartitionReplica, offset: number, rule: TruncationRule): void {
  const log = logOf(b, p.topic, p.partition);
  const from = log.logEndOffset;
  if (offset >= from) {
    // Nothing to cut; storage still forgets epochs starting at or after the LEO (an epoch this
    // broker began as leader without writing in it would otherwise be asked about forever).
    truncateTo(log, offset);
    return;
  }
  const removedIds = allRecords(log).filter((r) => r.offset >= offset).map((r) => r.value);
  truncateTo(log, offset);
  p.highWatermark = Math.min(p.highWatermark, log.logEndOffset);
  emit(b.ctx, { event: 'truncate', topic: p.topic, partition: p.partition, broker: b.self, from, to: log.logEndOffset, rule, removedIds });
}

export interface TruncationStep {
  offset: number;
  /** false: truncate, then ask again with the (new) latest epoch. */
  completed: boolean;
}

/** AbstractFetcherThread.getOffsetTruncationState for one partition. */
export function truncationFor(b: Broker, p: PartitionReplica, answer: OffsetsForLeaderEpochResponse['partitions'][number]): TruncationStep {
  const log = logOf(b, p.topic, p.partition);
  const replicaEnd = log.logEndOffset;
  if (answer.endOffset === UNDEFINED_EPOCH_OFFSET) {
    // The leader knows nothing of that epoch: fall back to the follower's high watermark.
    return { offset: p.highWatermark, completed: true };
  }
  if (answer.leaderEpoch === UNDEFINED_EPOCH) return { offset: Math.min(answer.endOffset, replicaEnd), completed: true };
  const mine = endOffsetForEpoch(log, answer.leaderEpoch);
  if (mine.endOffset === UNDEFINED_EPOCH_OFFSET) {
    return { offset: Math.min(answer.endOffset, replicaEnd), completed: true };
  }
  if (mine.epoch !== answer.leaderEpoch) {
    // We never wrote in the epoch the leader named: cut to where our largest smaller epoch ended, ask again.
    return { offset: Math.min(mine.endOffset, replicaEnd), completed: false };
  }
  return { offset: Math.min(mine.endOffset, answer.endOffset, replicaEnd), completed: true };
}
