/**
 * Retention (UnifiedLog.deleteOldSegments, simplified): whole segments are
 * deleted, never part of one, so the log start offset moves to a segment
 * boundary. Deciding WHICH offset has expired (retention.ms / retention.bytes,
 * and never beyond the high watermark) is the caller's job.
 */
import { truncateEpochsFromStart } from './epochCache';
import type { Log } from './types';

/**
 * Delete every segment all of whose records are below `offset`, i.e. whose
 * successor starts at or before it. The active segment is never deleted
 * (Kafka would roll first; the simulator keeps it simple). Returns the
 * deleted `.log` file names.
 */
export function deleteSegmentsBefore(log: Log, offset: number): string[] {
  let n = 0;
  while (n + 1 < log.segments.length && log.segments[n + 1].baseOffset <= offset) n++;
  if (n === 0) return [];
  const deleted = log.segments.splice(0, n).map((s) => s.fileName);

  const newStart = Math.max(log.logStartOffset, log.segments[0].baseOffset);
  log.logStartOffset = newStart;
  // UnifiedLog.maybeIncrementLogStartOffset -> leaderEpochCache.truncateFromStart.
  truncateEpochsFromStart(log.epochCache, newStart);
  // Deleted data cannot be "unflushed" or "not yet high-watermarked" any more.
  log.recoveryPoint = Math.max(log.recoveryPoint, newStart);
  log.highWatermarkCheckpoint = Math.max(log.highWatermarkCheckpoint, newStart);
  return deleted;
}
