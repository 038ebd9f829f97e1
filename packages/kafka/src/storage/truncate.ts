/**
 * Log truncation, used when a follower's log diverged from the new leader's
 * (KIP-101/KIP-279) and after a power loss. Ports UnifiedLog.truncateTo /
 * truncateFullyAndStartAt and LocalLog.truncateTo.
 */
import { truncateEpochsFromEnd } from './epochCache';
import { activeSegment } from './log';
import { createSegment, reopenSegment, truncateSegment } from './segment';
import type { Log, StoredRecord } from './types';

/** The records with offset >= from, in offset order (what a truncation is about to remove; frozen, so kept as they are). */
function recordsFrom(log: Log, from: number): StoredRecord[] {
  const out: StoredRecord[] = [];
  for (const segment of log.segments) {
    for (const r of segment.records) if (r.offset >= from) out.push(r);
  }
  return out;
}

/**
 * Remove every record with offset >= targetOffset and return them (so the
 * broker can report which messages were lost). At or past the LEO no
 * record goes, but epochs starting at or after the LEO still do (UnifiedLog
 * .truncateTo: a broker that became leader and wrote nothing left an entry
 * at the LEO that the new leader knows nothing of); returns [].
 *
 * Segments whose baseOffset > targetOffset are deleted; the segment holding
 * targetOffset becomes active and is cut at that record (if its base offset
 * equals targetOffset it stays, empty, as in LocalLog.truncateTo), so at
 * least one segment always remains. Epochs starting at or after
 * targetOffset are forgotten (truncateFromEnd), and the recovery point and
 * high-watermark checkpoint are pulled back to the new LEO if needed.
 */
export function truncateTo(log: Log, targetOffset: number): StoredRecord[] {
  if (!(Number.isInteger(targetOffset) && targetOffset >= 0)) {
    throw new Error(`truncateTo on ${log.dir}: offset must be a non-negative integer, got ${targetOffset}`);
  }
  if (targetOffset >= log.logEndOffset) {
    // From the LEO, not from the target: an entry at the LEO has no data under it either way.
    truncateEpochsFromEnd(log.epochCache, log.logEndOffset);
    return [];
  }
  if (log.segments[0].baseOffset > targetOffset) {
    // Nothing at or below the target is local any more: start afresh there.
    return truncateFullyAndStartAt(log, targetOffset);
  }
  const removed = recordsFrom(log, targetOffset);
  while (log.segments.length > 1 && activeSegment(log).baseOffset > targetOffset) log.segments.pop();
  // The segment holding the target becomes the active one again: a sealed one is reopened.
  log.segments[log.segments.length - 1] = reopenSegment(activeSegment(log));
  truncateSegment(activeSegment(log), targetOffset);

  log.logEndOffset = targetOffset;
  log.recoveryPoint = Math.min(log.recoveryPoint, targetOffset);
  truncateEpochsFromEnd(log.epochCache, targetOffset);
  log.logStartOffset = Math.min(log.logStartOffset, targetOffset);
  log.highWatermarkCheckpoint = Math.min(log.highWatermarkCheckpoint, targetOffset);
  return removed;
}

/**
 * Delete all data and restart the log at newOffset: one empty segment,
 * logStartOffset = LEO = recoveryPoint = HW checkpoint = newOffset, and an
 * empty epoch cache (LeaderEpochFileCache.clearAndFlush). Used when a
 * follower's fetch offset is below the leader's log start offset.
 * Returns the removed records.
 */
export function truncateFullyAndStartAt(log: Log, newOffset: number): StoredRecord[] {
  if (!(Number.isInteger(newOffset) && newOffset >= 0)) {
    throw new Error(`truncateFullyAndStartAt on ${log.dir}: offset must be a non-negative integer, got ${newOffset}`);
  }
  const removed = recordsFrom(log, -1);
  log.segments.length = 0;
  log.segments.push(createSegment(newOffset));
  log.logStartOffset = newOffset;
  log.logEndOffset = newOffset;
  log.recoveryPoint = newOffset;
  log.epochCache.length = 0;
  log.highWatermarkCheckpoint = newOffset;
  return removed;
}
