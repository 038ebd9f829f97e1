/**
 * Reading a Fetch request's partitions from the leader's logs (ReplicaManager.readFromLog).
 * Followers read up to the log end offset; consumers only below the high watermark
 * (read_committed: below the last stable offset, with the aborted transactions of the range).
 */
import type { ErrorCode, FetchRequest, FetchResponse } from '../protocol';
import { NO_RECORDS, readSlice } from '../storage';
import type { Broker } from './context';
import { logOf } from './partition';
import { abortedTransactionsFor, lastStableOffset } from './txnState';
import { isThrottled, recordThrottledBytes, shouldLeaderThrottle } from './replicationQuota';
import { tpKey, type PartitionReplica } from './types';

export type FetchPartitionResult = FetchResponse['partitions'][number];

/**
 * Kafka's Partition.localLogWithEpochOrThrow checks for a request's currentLeaderEpoch. A
 * partition this broker does not host is UNKNOWN_TOPIC_OR_PARTITION when the metadata cache
 * does not know it either (ReplicaManager.getPartitionOrError).
 */
export function leaderEpochError(b: Broker, topic: string, partition: number, currentLeaderEpoch: number): ErrorCode | null {
  const key = tpKey(topic, partition);
  return replicaEpochError(b, key, b.v.partitions[key], currentLeaderEpoch);
}

/** leaderEpochError for the replica `p` stored under `key` (undefined: not hosted here). */
export function replicaEpochError(b: Broker, key: string, p: PartitionReplica | undefined, currentLeaderEpoch: number): ErrorCode | null {
  if (!p) return b.v.metadata.partitions[key] ? 'NOT_LEADER_OR_FOLLOWER' : 'UNKNOWN_TOPIC_OR_PARTITION';
  if (p.role !== 'leader') return 'NOT_LEADER_OR_FOLLOWER';
  if (currentLeaderEpoch < 0) return null; // the client does not know the epoch: no check
  if (currentLeaderEpoch < p.leaderEpoch) return 'FENCED_LEADER_EPOCH';
  if (currentLeaderEpoch > p.leaderEpoch) return 'UNKNOWN_LEADER_EPOCH';
  return null;
}

/**
 * The empty aborted-transaction list of an answered partition, one frozen list for all (as
 * storage's NO_RECORDS): nearly every partition answered has none, and receivers never change it.
 */
const NO_ABORTED: FetchPartitionResult['abortedTransactions'] = Object.freeze([]) as unknown as FetchPartitionResult['abortedTransactions'];

function errorResult(topic: string, partition: number, error: ErrorCode, hw = -1, logStart = -1): FetchPartitionResult {
  return {
    topic, partition, error, highWatermark: hw, lastStableOffset: hw, logStartOffset: logStart,
    records: NO_RECORDS, abortedTransactions: NO_ABORTED,
  };
}

export interface FetchReadResult {
  partitions: FetchPartitionResult[];
  bytes: number;
  hasError: boolean;
}

export function readForFetch(b: Broker, req: FetchRequest): FetchReadResult {
  const isFollower = req.replicaId !== null;
  let budget = req.maxBytes;
  let bytes = 0;
  let hasError = false;
  // A loop, not map with a closure over the budget: every fetch answered or re-checked reads.
  // Made at its length (a pushed-to [] grows to room for 17).
  const partitions: FetchPartitionResult[] = new Array(req.partitions.length);
  for (let i = 0; i < req.partitions.length; i++) {
    const fp = req.partitions[i];
    const key = tpKey(fp.topic, fp.partition);
    const p = b.v.partitions[key];
    const epochError = replicaEpochError(b, key, p, fp.currentLeaderEpoch);
    if (epochError) {
      hasError = true;
      partitions[i] = errorResult(fp.topic, fp.partition, epochError);
      continue;
    }
    const log = logOf(b, fp.topic, fp.partition, key);
    const lso = lastStableOffset(p);
    const committedOnly = !isFollower && req.isolationLevel === 'read_committed';
    const maxOffset = isFollower ? log.logEndOffset : committedOnly ? lso : p.highWatermark;
    // KIP-74: the first partition may exceed the budget by one record so nobody starves.
    const read = readSlice(log, fp.fetchOffset, Math.max(budget, 0), maxOffset, bytes === 0);
    if (read === null) {
      hasError = true;
      partitions[i] = errorResult(fp.topic, fp.partition, 'OFFSET_OUT_OF_RANGE', p.highWatermark, log.logStartOffset);
      continue;
    }
    // KIP-73: a throttled follower out of the ISR gets no records while the leader quota is used up.
    const throttled = isFollower && shouldLeaderThrottle(b, p, req.replicaId!);
    const records = throttled ? NO_RECORDS : read.records;
    // The bytes the log holds them in: recordSizeBytes of each record, summed by the read.
    const size = throttled ? 0 : read.bytes;
    bytes += size;
    budget -= size;
    // Recorded here because a read that returns bytes is always sent (followers fetch with minBytes 1).
    if (isFollower && isThrottled(b, 'leader', fp.topic, fp.partition)) recordThrottledBytes(b, 'leader', size);
    partitions[i] = {
      topic: fp.topic, partition: fp.partition, error: 'NONE',
      highWatermark: p.highWatermark, lastStableOffset: lso, logStartOffset: log.logStartOffset,
      records, abortedTransactions: committedOnly ? abortedTransactionsFor(p, fp.fetchOffset, maxOffset) : NO_ABORTED,
    };
  }
  return { partitions, bytes, hasError };
}

/**
 * Whether readForFetch(b, req) would find nothing: no partition in error and none with a record
 * to read at its fetch offset, so the fetch waits. Answered without building the read (parked
 * fetches are asked after every append and HW move); false whenever a read might find something,
 * or would make a log (the read is then done, with what it does).
 */
export function fetchFindsNothing(b: Broker, req: FetchRequest): boolean {
  const isFollower = req.replicaId !== null;
  for (let i = 0; i < req.partitions.length; i++) {
    const fp = req.partitions[i];
    const key = tpKey(fp.topic, fp.partition);
    const p = b.v.partitions[key];
    if (replicaEpochError(b, key, p, fp.currentLeaderEpoch) !== null) return false;
    const log = b.d.logs[key];
    if (log === undefined) return false;
    const maxOffset = isFollower ? log.logEndOffset : req.isolationLevel === 'read_committed' ? lastStableOffset(p!) : p!.highWatermark;
    // As readSlice: outside [logStartOffset, LEO] is OFFSET_OUT_OF_RANGE; at or past min(maxOffset, LEO) it reads nothing.
    if (fp.fetchOffset < log.logStartOffset || fp.fetchOffset > log.logEndOffset) return false;
    if (!(fp.fetchOffset >= Math.min(maxOffset, log.logEndOffset))) return false;
  }
  return true;
}

export function fetchResponse(correlationId: number, partitions: FetchPartitionResult[]): FetchResponse {
  return { api: 'FetchResponse', correlationId, partitions };
}
