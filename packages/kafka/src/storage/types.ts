/**
 * Plain-data model of one partition replica's on-disk log.
 *
 * Everything here must survive `structuredClone` unchanged (the simulator
 * checkpoints whole cluster states that way), so: only objects, arrays,
 * strings, numbers, booleans and null. No classes, Maps, Sets or functions.
 */

/** What a producer hands to the leader: a record before it has an offset. */
export interface RecordInput {
  key: string | null;
  value: string;
  timestamp: number;
  producerId?: number;
  producerEpoch?: number;
  sequence?: number;
  transactional?: boolean;
  /** Set on transaction markers written by the coordinator. */
  control?: 'COMMIT' | 'ABORT';
  headers?: Record<string, string>;
}

/** A record once it is in a log: it has an offset and the epoch of the leader that wrote it. */
export interface StoredRecord extends RecordInput {
  offset: number;
  /** Partition leader epoch stamped by the leader at append time (KIP-101). */
  leaderEpoch: number;
}

/** One entry of the sparse offset index (`.index` file): 8 bytes in Kafka (4 + 4). */
export interface IndexEntry {
  /** offset - segment.baseOffset; relative so it fits in 4 bytes. */
  relativeOffset: number;
  /** Byte position of that record in the segment's `.log` file. */
  position: number;
}

export interface Segment {
  baseOffset: number;
  /** 20-digit zero-padded base offset + ".log", e.g. 00000000000000000042.log */
  fileName: string;
  /** Same stem + ".index". */
  indexFileName: string;
  /**
   * Frozen (headers too), keys in the order a read returns them: a read hands out these very
   * objects instead of copies, and checkpoints and messages share them.
   */
  records: StoredRecord[];
  /** positions[i]: byte position of records[i] in the `.log` file (kept beside, not in, the record). */
  positions: number[];
  sizeBytes: number;
  index: IndexEntry[];
  /**
   * Bytes appended since the last index entry (LogSegment.bytesSinceLastIndexEntry).
   * Kept in the data so that a checkpointed-and-restored log indexes exactly
   * like the original would have.
   */
  bytesSinceLastIndexEntry: number;
}

export interface LogConfig {
  /** segment.bytes: roll to a new segment before the active one would exceed this. */
  segmentBytes: number;
  /** index.interval.bytes: add a sparse index entry roughly every this many bytes. */
  indexIntervalBytes: number;
}

/** One line of the leader-epoch-checkpoint file: first offset written in `epoch`. */
export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

export interface Log {
  /** Directory name `<topic>-<partition>`. */
  dir: string;
  config: LogConfig;
  /** Sorted by baseOffset; never empty; the last one is the active segment. */
  segments: Segment[];
  logStartOffset: number;
  logEndOffset: number;
  /** Offsets below this are fsync'ed; a power loss keeps them. */
  recoveryPoint: number;
  /** Sorted by epoch and startOffset, both strictly increasing. */
  epochCache: EpochEntry[];
  /** Value of this partition in replication-offset-checkpoint. */
  highWatermarkCheckpoint: number;
}
