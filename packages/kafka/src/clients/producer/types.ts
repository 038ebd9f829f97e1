/**
 * Plain-data state of the simulated KafkaProducer. Every object here survives structuredClone:
 * Java's object graph (a ProducerBatch referenced from a deque, an in-flight request and the
 * TransactionManager at once) becomes one batch table keyed by id, with ids everywhere else.
 */
import type { NodeId } from '@kafkasim/engine';
import type { ProducerConfig } from '../../config';
import type { ErrorCode } from '../../protocol';
import type { PartitionerState } from '../partitioner';
import { topicPartitionKey } from '../../topicPartitionKey';

export type KeySpec =
  | { kind: 'none' }
  | { kind: 'fixed'; key: string }
  /** Keys `key-0` .. `key-(cardinality-1)`, uniformly. */
  | { kind: 'uniform'; cardinality: number }
  /** `key-0` with probability hotShare, otherwise uniform over the other keys. */
  | { kind: 'hot'; cardinality: number; hotShare: number };

/** What the application on top of the producer does: send records at a fixed rate. */
export interface ProducerWorkload {
  topic: string;
  /** Records per second, > 0. */
  ratePerSec: number;
  startAtMs: number;
  /** The application makes no send() call at or after this time. */
  stopAtMs?: number;
  /** Maximum number of records over the producer's whole life (crashes included). */
  count?: number;
  keys: KeySpec;
  /** ProducerRecord.partition(): every record goes to this partition. */
  partition?: number;
}

export interface ProducerOptions {
  config: Partial<ProducerConfig>;
  /** bootstrap.servers: broker node ids. */
  bootstrap: NodeId[];
  workload: ProducerWorkload;
}

/**
 * Why a record failed, as reported in the 'produce-failed' fact: a broker ErrorCode (the last one seen,
 * once retries are exhausted or the error is not retriable) or one of the client-side exceptions.
 *  - NETWORK_EXCEPTION: the connection was closed under the request (Kafka closes it on request.timeout.ms).
 *  - DELIVERY_TIMEOUT: TimeoutException "Expiring N record(s) ... since batch creation" (delivery.timeout.ms).
 *  - METADATA_TIMEOUT: TimeoutException "Topic not present in metadata after max.block.ms".
 *  - BUFFER_EXHAUSTED: BufferExhaustedException, no buffer.memory freed up within max.block.ms.
 *  - RECORD_TOO_LARGE: RecordTooLargeException (bigger than max.request.size or buffer.memory).
 *  - FATAL: the idempotent producer hit a fatal error (e.g. InitProducerId refused) and aborted its batches.
 */
export type ProduceError =
  | ErrorCode
  | 'NETWORK_EXCEPTION'
  | 'DELIVERY_TIMEOUT'
  | 'METADATA_TIMEOUT'
  | 'BUFFER_EXHAUSTED'
  | 'RECORD_TOO_LARGE'
  | 'FATAL';

/** ProducerConfig after KafkaProducer's constructor checks, plus the settings kafkasim does not expose. */
export interface ResolvedProducerConfig extends ProducerConfig {
  /** max.request.size (Kafka default 1 MiB): a bigger record fails; drain stops a request at this size. */
  'max.request.size': number;
  /** metadata.max.age.ms (Kafka default 5 min): periodic metadata refresh. */
  'metadata.max.age.ms': number;
  /** reconnect.backoff.ms (Kafka default 50): a node is not used for this long after a disconnect. */
  'reconnect.backoff.ms': number;
}

export type TpKey = string;

/** Made by newBatchRecord, frozen and in the key order of a record on the wire: the request sends it as it is. */
export interface BatchRecord {
  readonly key: string | null;
  /** The record's value, which is its unique id (see events.ts). */
  readonly value: string;
  readonly timestamp: number;
}

/** ProducerBatch. */
export interface Batch {
  id: number;
  topic: string;
  partition: number;
  records: BatchRecord[];
  /** estimatedSizeInBytes: one v2 batch header plus each record's body. */
  sizeBytes: number;
  /** Bytes taken from buffer.memory for this batch (its write limit): max(batch.size, first record). */
  capacity: number;
  /** Closed for appends: found full by an append, or drained. */
  closed: boolean;
  createdMs: number;
  lastAttemptMs: number;
  lastAppendTimeMs: number;
  drainedMs: number;
  /** How many times the batch was re-enqueued (Kafka's attempts()); the first send is attempt 0. */
  attempts: number;
  inRetry: boolean;
  producerId: number;
  producerEpoch: number;
  /** -1 until an idempotent producer drains it the first time. */
  baseSequence: number;
  /** ProducerBatch.sequenceHasBeenReset(): an epoch bump rewrote its sequence. */
  sequenceReset: boolean;
  finalState: 'succeeded' | 'failed' | null;
  /** Its memory went back to buffer.memory. */
  deallocated: boolean;
  /** The broker the latest attempt went to. */
  destination: NodeId | null;
}

export interface InFlightRequest {
  correlationId: number;
  api: 'Produce' | 'Metadata' | 'InitProducerId';
  sentMs: number;
  /** The request.timeout.ms timer; cancelled when the response arrives. */
  timeoutTimerId: number;
  batchIds: number[];
}

/** One broker connection of the NetworkClient. */
export interface Connection {
  inFlight: InFlightRequest[];
  /**
   * Responses that arrived while an older request on this connection is still unanswered. Over TCP
   * they could not be read before the older one (head-of-line blocking), so they wait here; if the
   * connection is closed first, they are lost with it.
   */
  held: { correlationId: number; payload: unknown }[];
  /** When Kafka last closed it (request timeout); the node is skipped for reconnect.backoff.ms. */
  lastDisconnectMs: number | null;
}

export interface NetworkState {
  connections: Record<NodeId, Connection>;
  nextCorrelationId: number;
}

export interface PartitionInfo {
  partition: number;
  leader: NodeId | null;
  leaderEpoch: number;
}

/** ProducerMetadata: the client's cached cluster view. */
export interface MetadataState {
  /** Nodes a metadata request may go to: bootstrap first, then the brokers the cluster reported. */
  nodes: NodeId[];
  /** Topics the application has sent to (ProducerMetadata.topics). */
  topics: string[];
  /** Partition metadata per topic, sorted by partition; absent until known. */
  partitions: Record<string, PartitionInfo[]>;
  topicErrors: Record<string, ErrorCode>;
  needUpdate: boolean;
  /** Last update attempt (success or failure), for retry.backoff.ms between attempts. */
  lastRefreshMs: number | null;
  lastSuccessfulRefreshMs: number | null;
  inFlight: { node: NodeId; correlationId: number } | null;
  /** Bumped on every successful update. */
  version: number;
}

export interface AccumulatorState {
  /** Deque of batch ids per partition; the key order is the order partitions were first used. */
  deques: Record<TpKey, number[]>;
  /** BufferPool: bytes handed out to batches not yet deallocated. */
  bufferUsed: number;
  /** Partitions muted while a batch is in flight (only when max.in.flight.requests.per.connection = 1). */
  muted: TpKey[];
  /** Per node: where the next drain starts, so that no partition starves. */
  drainIndex: Record<NodeId, number>;
}

export interface TxnPartitionEntry {
  producerId: number;
  producerEpoch: number;
  nextSequence: number;
  lastAckedSequence: number;
  lastAckedOffset: number;
  /** Ids of batches with a sequence that are not complete, sorted by (pid, epoch, baseSequence). */
  inflight: number[];
}

/** The idempotence half of TransactionManager. */
export interface IdempotenceState {
  state: 'UNINITIALIZED' | 'INITIALIZING' | 'READY' | 'FATAL_ERROR';
  lastError: string | null;
  producerId: number;
  producerEpoch: number;
  epochBumpRequired: boolean;
  partitionsToRewriteSequences: TpKey[];
  /** partitionsWithUnresolvedSequences: partition -> the next sequence after the expired batch. */
  unresolved: Record<TpKey, number>;
  partitions: Record<TpKey, TxnPartitionEntry>;
  /** The InitProducerId request: waiting to be sent (not before retryAtMs) or in flight. */
  initRequest: { status: 'pending'; retryAtMs: number } | { status: 'in-flight'; node: NodeId; correlationId: number } | null;
  epochBumps: number;
}

export interface AppRecord {
  id: string;
  key: string | null;
  topic: string;
  /** Explicit partition of the ProducerRecord, or null. */
  partition: number | null;
}

/** A KafkaProducer.send() call blocked in waitOnMetadata or BufferPool.allocate. */
export interface BlockedSend {
  record: AppRecord;
  reason: 'metadata' | 'buffer';
  sinceMs: number;
  /** sinceMs of the send() call + max.block.ms. */
  deadlineMs: number;
  timerId: number;
  /** When blocked on memory: the chosen partition, the bytes asked for and the record's timestamp. */
  partition: number | null;
  allocSize: number;
  timestamp: number;
}

export interface AppState {
  /** The generator's time origin for this incarnation and the record count at that moment. */
  originMs: number;
  originCount: number;
  tickTimer: { id: number; at: number } | null;
  blocked: BlockedSend | null;
}

export interface ProducerCounters {
  requested: number;
  appended: number;
  acked: number;
  failed: number;
  produceRequests: number;
  batchesSent: number;
  retries: number;
  requestTimeouts: number;
  metadataRequests: number;
  /** Responses never processed: they arrived after their connection was closed, or were held behind a lost one. */
  responsesDiscarded: number;
}

/**
 * What survives a producer crash. Not the client's state (a restarted KafkaProducer starts empty) but
 * the application's record counter, so that record ids stay unique, and a boot count that keeps the
 * correlation ids of a new incarnation apart from the old one's (standing in for its new TCP connections).
 */
export interface ProducerDisk {
  generated: number;
  boots: number;
}

export interface ProducerMemory {
  app: AppState;
  partitioner: PartitionerState;
  metadata: MetadataState;
  net: NetworkState;
  accumulator: AccumulatorState;
  /**
   * Sender.inFlightBatches: per partition, drained batches not yet complete, in drain order. A
   * list of entries in the order partitions got one (an emptied entry is removed, and a partition
   * sending again goes last), rather than an object whose keys come and go: deleting keys puts an
   * object in V8's dictionary mode, where every scan of it (two per Sender round) sorts its keys.
   */
  inFlightBatches: InFlightPartition[];
  /** null when enable.idempotence is false. */
  idempotence: IdempotenceState | null;
  /**
   * The batches not yet dropped, by id: batches[id - batchesFrom], null for one dropped after a
   * later one was made; dropped batches at the front are cut off. An array over the ids that are
   * live (ids only grow) rather than an object whose keys are deleted: deleting puts the object
   * in dictionary mode, and every lookup (several per record) becomes a hash lookup.
   */
  batches: (Batch | null)[];
  batchesFrom: number;
  nextBatchId: number;
  /**
   * Completed batches still in m.batches, in completion order (collectCompletedBatches drops the
   * ones nothing refers to): a list, so that it need not walk m.batches.
   */
  finishedBatchIds: number[];
  /** The sender thread's next wake-up (linger, backoff, expiry, metadata). */
  pollTimer: { id: number; at: number } | null;
  counters: ProducerCounters;
}

export interface InFlightPartition {
  tp: TpKey;
  ids: number[];
}

export const tpKey = (topic: string, partition: number): TpKey => topicPartitionKey(topic, partition);
