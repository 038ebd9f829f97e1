/**
 * Durability: what survives which kind of crash.
 *
 * Kafka writes appends into the OS page cache and does not fsync per
 * message (log.flush.interval.* default to "never"; durability comes from
 * replication). The recovery point is the offset below which data is known
 * to be fsync'ed to disk.
 *
 * - Process crash (kill -9, OOM kill, broker bug): the OS keeps running and
 *   so does its page cache, which it writes back later. EVERYTHING appended
 *   survives. The simulator's broker crash therefore keeps the log as is.
 * - Power loss / OS crash: the page cache is gone. Only data below the
 *   recovery point survives; the rest is lost. This is loseUnflushed(), which
 *   the simulator offers as an optional, harsher kind of failure.
 */
import type { Log, StoredRecord } from './types';
import { truncateTo } from './truncate';

/**
 * fsync the log up to `upToOffset` (exclusive, default the LEO): the recovery
 * point only ever moves forward and never past the LEO. Returns it.
 */
export function flush(log: Log, upToOffset: number = log.logEndOffset): number {
  const target = Math.min(upToOffset, log.logEndOffset);
  if (target > log.recoveryPoint) log.recoveryPoint = target;
  return log.recoveryPoint;
}

export interface PowerLossResult {
  /** Offsets [lostFrom, lostTo) were in the page cache only and are gone. */
  lostFrom: number;
  lostTo: number;
  /** The lost records themselves, in offset order. */
  lost: StoredRecord[];
}

/**
 * Model a power loss: the log is cut back to the recovery point. Kafka's log
 * recovery on restart arrives at the same state: the leader-epoch checkpoint
 * (fsync'ed on every new epoch) is truncated to the recovered LEO, and the
 * high-watermark checkpoint is clamped to it — truncateTo does both.
 */
export function loseUnflushed(log: Log): PowerLossResult {
  const lostFrom = log.recoveryPoint;
  const lostTo = log.logEndOffset;
  const lost = truncateTo(log, lostFrom);
  return { lostFrom, lostTo, lost };
}
