/** A compact, read-only summary of a log for the visualizer and CLI. */
import { activeSegment } from './log';
import { segmentNextOffset } from './segment';
import type { EpochEntry, Log } from './types';

export interface SegmentDescription {
  fileName: string;
  indexFileName: string;
  baseOffset: number;
  /** One past the last offset in the segment (= baseOffset when empty). */
  nextOffset: number;
  recordCount: number;
  sizeBytes: number;
  indexEntries: number;
  active: boolean;
}

export interface LogDescription {
  dir: string;
  logStartOffset: number;
  logEndOffset: number;
  recoveryPoint: number;
  highWatermarkCheckpoint: number;
  sizeBytes: number;
  recordCount: number;
  segments: SegmentDescription[];
  epochCache: EpochEntry[];
}

export function describeLog(log: Log): LogDescription {
  const active = activeSegment(log);
  const segments = log.segments.map((s) => ({
    fileName: s.fileName,
    indexFileName: s.indexFileName,
    baseOffset: s.baseOffset,
    nextOffset: segmentNextOffset(s),
    recordCount: s.records.length,
    sizeBytes: s.sizeBytes,
    indexEntries: s.index.length,
    active: s === active,
  }));
  return {
    dir: log.dir,
    logStartOffset: log.logStartOffset,
    logEndOffset: log.logEndOffset,
    recoveryPoint: log.recoveryPoint,
    highWatermarkCheckpoint: log.highWatermarkCheckpoint,
    sizeBytes: segments.reduce((sum, s) => sum + s.sizeBytes, 0),
    recordCount: segments.reduce((sum, s) => sum + s.recordCount, 0),
    segments,
    epochCache: log.epochCache.map((e) => ({ ...e })),
  };
}
