/**
 * Plain-data state of the simulated KafkaConsumer (KafkaConsumer + ConsumerCoordinator + Fetcher +
 * SubscriptionState) and of the application around it (the processing model).
 */
import type { NodeId } from '@kafkasim/engine';
import type { ConsumerConfig } from '../../config';
import type { FetchRequest, TopicPartition } from '../../protocol';
import type { StoredRecord } from '../../storage';
import type { ZkOffsetsState } from './zkOffsets';

/**
 * What the application does with the records poll() returns.
 *  - mode 'auto-commit': enable.auto.commit; the consumer commits the positions of the previous
 *    poll every auto.commit.interval.ms, inside poll().
 *  - 'commit-before-process' (at-most-once): commitSync of the batch's end positions, then process.
 *  - 'commit-after-process' (at-least-once): process the batch, then commitSync.
 * Threading (the two patterns of KafkaConsumer's javadoc): one thread polls and processes
 * ('thread-per-consumer', when `workers` is absent), or a poller hands records to `workers.count`
 * worker threads ('poller-with-workers'); with keyOrdered the records of one key go to one worker
 * and complete in order, otherwise any free worker takes the next record. Workers commit only
 * offsets below which every record completed.
 */
export interface ProcessingModel {
  mode: 'auto-commit' | 'commit-before-process' | 'commit-after-process' | 'exactly-once';
  processingTimeMsPerRecord: number;
  /**
   * Consume-process-produce: for every processed record the application writes one output record
   * (value outputRecordId(input id)) to this topic. In 'exactly-once' mode the writes and the
   * offsets go in one transaction per batch (transactional.id `${group.id}-${node id}`); in the
   * other manual modes they are plain (non-idempotent) produces flushed before the commit.
   */
  outputTopic?: string;
  workers?: { count: number; keyOrdered: boolean };
  /** Manual modes: commitSync (default) or commitAsync. */
  commit?: 'sync' | 'async';
  /**
   * Spread of a record's processing time in poller-with-workers mode: it takes
   * processingTimeMsPerRecord × U[1 - jitter, 1 + jitter). Default 0.5 with workers (threads run
   * at different speeds, which is what reorders a key without keyOrdered), 0 without.
   */
  jitter?: number;
  /**
   * A scripted crash of this consumer node (ctx.crashSelf, an engine crash): right after its n-th
   * 'processed' record, before anything else it would do in that step (such as the commit that
   * follows the last record of a batch); restarted restartAfterMs later if given. Counted from
   * the node's first boot, so it happens once.
   */
  crash?: { afterProcessed: number; restartAfterMs?: number };
}

/** ConsumerConfig plus the Kafka settings kafkasim's ConsumerConfig does not list. */
export interface ResolvedConsumerConfig extends ConsumerConfig {
  /**
   * Kafka's default is 30000. Shortened like the other teaching defaults: a crashed node in the
   * simulator is silent (no TCP reset), so this is how fast a consumer notices a dead broker.
   */
  'request.timeout.ms': number;
  'retry.backoff.ms': number;
  'fetch.max.bytes': number;
  'metadata.max.age.ms': number;
  /** commitSync's budget (Kafka's default.api.timeout.ms). */
  'default.api.timeout.ms': number;
  /** The consumer's own ZooKeeper session, used only with kafkasim.offsets.storage=zookeeper. */
  'zookeeper.session.timeout.ms': number;
}

export interface ConsumerOptions {
  config: Partial<ResolvedConsumerConfig>;
  /** bootstrap.servers: broker node ids. */
  bootstrap: NodeId[];
  /** subscribe(topics). */
  topics: string[];
  processing: ProcessingModel;
  /** When the node first boots (addConsumer's default start time). A restart is immediate. */
  startAtMs?: number;
  /**
   * zookeeper.connect: the coordinator servers' node ids. Needed (and used) only with
   * kafkasim.offsets.storage=zookeeper, where committed offsets live in znodes.
   */
  zkServers?: NodeId[];
}

export type TpKey = string;

/** SubscriptionState.TopicPartitionState. */
export interface PartitionState {
  topic: string;
  partition: number;
  /** Next offset to return; null until known. */
  position: number | null;
  /**
   * awaiting-committed: an OffsetFetch will tell where the group left off;
   * awaiting-reset: auto.offset.reset applies (ListOffsets);
   * fetching: position valid;
   * no-offset: auto.offset.reset=none and nothing committed (NoOffsetForPartitionException),
   *   or a truncation found by validation with no reset policy (LogTruncationException);
   * awaiting-validation: the leader epoch moved on since the position was set (KIP-320): an
   *   OffsetsForLeaderEpoch for `offsetEpoch` tells whether the log was truncated below it.
   */
  status: 'awaiting-committed' | 'awaiting-reset' | 'fetching' | 'no-offset' | 'awaiting-validation';
  /**
   * KIP-320 (FetchPosition.offsetEpoch): the leader epoch of the record just before `position`,
   * absent (undefined) while unknown (a committed offset: kafkasim's OffsetCommit carries no epoch).
   */
  offsetEpoch?: number;
  /** FetchPosition.currentLeader.epoch: the leader epoch the position was last known good under; absent until then. */
  validatedLeaderEpoch?: number;
}

export interface InFlightRequest {
  correlationId: number;
  node: NodeId;
  api: 'Metadata' | 'FindCoordinator' | 'JoinGroup' | 'SyncGroup' | 'Heartbeat' | 'LeaveGroup' | 'OffsetCommit' | 'OffsetFetch' | 'Fetch' | 'ListOffsets'
    | 'OffsetsForLeaderEpoch' | OutputApi;
  sentMs: number;
  timerId: number;
  /** For OffsetCommit: which commit; for OffsetsForLeaderEpoch: the positions validated. */
  commitId?: number;
  fetchOffsets?: Record<TpKey, number>;
  /** For Fetch: the partitions and offsets asked for, the request's own list (never changed after sending). */
  fetchPartitions?: FetchRequest['partitions'];
}

/** AbstractCoordinator.MemberState. */
export type MemberState = 'UNJOINED' | 'PREPARING_REBALANCE' | 'COMPLETING_REBALANCE' | 'STABLE';

export interface GroupState {
  state: MemberState;
  memberId: string;
  generation: number;
  protocol: string | null;
  leaderId: string;
  coordinator: NodeId | null;
  /** Round-robin start for FindCoordinator (a broker may only know itself as coordinator). */
  findIndex: number;
  /** Retry a failed step no earlier than this (retry.backoff.ms). */
  backoffUntil: number;
  rejoinNeeded: boolean;
  rejoinReason: string;
  /** onJoinPrepare ran for the rebalance in progress (Kafka's needsJoinPrepare = false). */
  joinPrepared: boolean;
  /** The leader waits for metadata of every member's topics before assigning. */
  pendingLeaderAssignment: { members: { memberId: string; topics: string[]; ownedPartitions: TopicPartition[]; generation: number }[] } | null;
  /** SyncGroup succeeded; the assignment takes effect in the application's next poll (onJoinComplete). */
  pendingAssignment: TopicPartition[] | null;
  /** Eager sticky: the previous assignment (its userData). */
  lastAssignment: TopicPartition[];
  lastAssignmentGeneration: number;
  /** The leader's view of partition counts when it assigned, to rejoin when they change. */
  assignedMetadata: Record<string, number> | null;
  lastHeartbeatSentMs: number;
  lastHeartbeatReceivedMs: number;
  heartbeatTimer: number | null;
}

export interface Commit {
  id: number;
  offsets: (TopicPartition & { offset: number })[];
  sync: boolean;
  /** Who waits: the app (commitSync), a rebalance step, or nobody (commitAsync / auto). */
  purpose: 'app' | 'rebalance' | 'auto' | 'async';
  startedMs: number;
  sent: boolean;
  result: 'ok' | 'failed' | null;
}

export interface BufferedFetch {
  topic: string;
  partition: number;
  records: StoredRecord[];
}

export interface WorkerState {
  queue: BufferedRecord[];
  busy: BufferedRecord | null;
  timerId: number | null;
}

export interface BufferedRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: string;
}

/** Requests of the output writer (output.ts); 'FindTxnCoordinator' is a FindCoordinator with keyType 'transaction'. */
export type OutputApi = 'FindTxnCoordinator' | 'InitProducerId' | 'AddPartitionsToTxn' | 'Produce' | 'AddOffsetsToTxn' | 'TxnOffsetCommit' | 'EndTxn';

export interface OutputRecord {
  partition: number;
  key: string | null;
  value: string;
}

/** The batch's transaction, step by step (KafkaProducer's TransactionManager, reduced). */
export interface OutputTxn {
  step: 'add-partitions' | 'open' | 'add-offsets' | 'offset-commit' | 'end' | 'done';
  /** EndTxn(commit) or, after an error, EndTxn(abort). */
  commit: boolean;
  partitions: number[];
  offsets: (TopicPartition & { offset: number })[];
  /** The current step's request is in flight. */
  sent: boolean;
}

/** The consume-process-produce writer (one per consumer node; see ProcessingModel.outputTopic). */
export interface OutputState {
  topic: string;
  transactional: boolean;
  transactionalId: string;
  coordinator: NodeId | null;
  producerId: number;
  producerEpoch: number;
  /** InitProducerId done (always true without transactions). */
  ready: boolean;
  initSent: boolean;
  findSent: boolean;
  sequences: Record<string, number>;
  queue: OutputRecord[];
  /** The one Produce in flight (kept for a retry with the same sequence). */
  sending: { partition: number; records: OutputRecord[]; baseSequence: number; sent: boolean } | null;
  txn: OutputTxn | null;
  backoffUntil: number;
  counters: { produced: number; committedTxns: number; abortedTxns: number };
}

/** The application thread (thread-per-consumer) or the poller (poller-with-workers). */
export type AppState =
  | { phase: 'polling' }
  | { phase: 'committing-before'; records: BufferedRecord[]; commitId: number }
  | { phase: 'processing'; records: BufferedRecord[]; index: number; timerId: number | null }
  | { phase: 'committing-after'; commitId: number }
  /** Output written for the batch must be flushed (plain) or its transaction ended (exactly-once). */
  | { phase: 'finishing-output' }
  | { phase: 'poller-committing'; commitId: number; then: BufferedRecord[] | null };

export interface ConsumerMemory {
  inFlight: InFlightRequest[];
  nextCorrelationId: number;
  metadata: {
    nodes: NodeId[];
    topics: Record<string, { partition: number; leader: NodeId | null; leaderEpoch: number }[]>;
    /** Topics to ask about (own subscription plus, for a leader, the group's). */
    wanted: string[];
    needUpdate: boolean;
    lastRefreshMs: number;
    /** No metadata request before this (retry.backoff.ms after a failure). */
    retryAt: number;
    nodeIndex: number;
  };
  group: GroupState;
  /** Assigned partitions in assignment order with their positions. */
  assignment: PartitionState[];
  /** Last offsets known committed, for describeConsumer. */
  committed: Record<TpKey, number>;
  commits: Commit[];
  nextCommitId: number;
  autoCommitDeadline: number;
  buffer: BufferedFetch[];
  /** No Fetch / ListOffsets to this broker before the time (retry.backoff.ms after an error). */
  nodeBackoff: Record<NodeId, number>;
  /**
   * Brokers whose request timed out, until when: Kafka closed the connection and a new one to a
   * dead broker cannot be set up, so the client turns to other brokers (leastLoadedNode skips it)
   * and waits for metadata naming a new leader. A response from the broker clears it.
   */
  unreachableUntil: Record<NodeId, number>;
  app: AppState;
  lastPollMs: number;
  /** Poller-with-workers: when the current poll(POLL_TIMEOUT) call began. */
  pollStartedMs: number;
  workers: WorkerState[];
  /** Poller-with-workers without keyOrdered: records any free worker takes next. */
  sharedQueue: BufferedRecord[];
  /** Poller-with-workers: offsets handed to workers and not yet completed, per partition. */
  outstanding: Record<TpKey, number[]>;
  /** Poller-with-workers: one past the highest offset handed out, per partition. */
  dispatchedUpTo: Record<TpKey, number>;
  roundRobin: number;
  wakeTimer: { id: number; at: number } | null;
  /** Only with processing.outputTopic. */
  output?: OutputState;
  /** Only with kafkasim.offsets.storage=zookeeper: the ZooKeeper session and its offset reads and writes. */
  zkOffsets?: ZkOffsetsState;
  /** ctx.crashSelf was called: the node does nothing more until the engine crashes it. */
  crashing: boolean;
  counters: {
    polls: number;
    recordsReturned: number;
    processed: number;
    commitsSent: number;
    commitsFailed: number;
    rebalances: number;
    requestTimeouts: number;
  };
}

export interface ConsumerDisk {
  boots: number;
  /** Records processed over all incarnations (the application's own counter, for crash points). */
  processed: number;
}
