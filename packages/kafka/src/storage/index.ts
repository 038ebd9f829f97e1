/**
 * Storage layer of a Kafka partition replica: segments, sparse offset index,
 * leader epoch cache, truncation and durability — all pure functions over
 * plain, structuredClone-able data that mutate the log passed in.
 */
export type {
  EpochEntry,
  IndexEntry,
  Log,
  LogConfig,
  RecordInput,
  Segment,
  StoredRecord,
} from './types';
export { RECORD_BATCH_OVERHEAD, recordSizeBytes, sizeOfVarint, utf8Length } from './recordSize';
export {
  UNDEFINED_EPOCH,
  UNDEFINED_EPOCH_OFFSET,
  assignEpoch,
  endOffsetFor,
  epochForOffset,
  latestEpochOf,
  truncateEpochsFromEnd,
  truncateEpochsFromStart,
  type EpochEndOffset,
} from './epochCache';
export {
  createSegment,
  lookupPosition,
  recordSizeAt,
  segmentFileStem,
  segmentNextOffset,
  type PositionLookup,
} from './segment';
export {
  activeSegment,
  allRecords,
  checkpointHighWatermark,
  createLog,
  endOffsetForEpoch,
  floorSegmentIndex,
  latestEpoch,
} from './log';
export { appendAsFollower, appendAsLeader, type AppendInfo } from './append';
export { NO_RECORDS, OffsetOutOfRangeError, read, readSlice, tryRead, type ReadOptions, type ReadResult, type ReadSlice } from './read';
export { truncateFullyAndStartAt, truncateTo } from './truncate';
export { flush, loseUnflushed, type PowerLossResult } from './durability';
export { deleteSegmentsBefore } from './retention';
export { describeLog, type LogDescription, type SegmentDescription } from './describe';
export { checkLogInvariants } from './invariants';
