/**
 * CONTRACT: the Kafka wire protocol as simulated messages. Every payload has `api`; requests
 * carry a client-chosen `correlationId` that the response echoes (as in Kafka). Field names
 * follow Kafka's request/response schemas, flattened where nesting teaches nothing.
 * Node ids: brokers are 'broker-<id>' (id = broker.id), coordinator servers 'zk-<n>'.
 */
import type { NodeId } from '@kafkasim/engine';
import type { RecordInput, StoredRecord } from './storage';

export interface TopicPartition {
  topic: string;
  partition: number;
}

export type ErrorCode =
  | 'NONE'
  | 'NOT_LEADER_OR_FOLLOWER'
  | 'UNKNOWN_TOPIC_OR_PARTITION'
  | 'LEADER_NOT_AVAILABLE'
  | 'NOT_ENOUGH_REPLICAS'
  | 'NOT_ENOUGH_REPLICAS_AFTER_APPEND'
  | 'REQUEST_TIMED_OUT'
  | 'OFFSET_OUT_OF_RANGE'
  | 'FENCED_LEADER_EPOCH'
  | 'UNKNOWN_LEADER_EPOCH'
  | 'STALE_CONTROLLER_EPOCH'
  | 'STALE_BROKER_EPOCH'
  | 'NOT_CONTROLLER'
  | 'DUPLICATE_SEQUENCE_NUMBER'
  | 'OUT_OF_ORDER_SEQUENCE_NUMBER'
  | 'INVALID_PRODUCER_EPOCH'
  | 'UNKNOWN_PRODUCER_ID'
  | 'INVALID_REQUIRED_ACKS'
  | 'COORDINATOR_NOT_AVAILABLE'
  | 'NOT_COORDINATOR'
  | 'COORDINATOR_LOAD_IN_PROGRESS'
  | 'ILLEGAL_GENERATION'
  | 'UNKNOWN_MEMBER_ID'
  | 'REBALANCE_IN_PROGRESS'
  | 'MEMBER_ID_REQUIRED'
  | 'INVALID_TXN_STATE'
  | 'CONCURRENT_TRANSACTIONS'
  | 'PRODUCER_FENCED'
  | 'TRANSACTIONAL_ID_NOT_FOUND'
  | 'BROKER_NOT_AVAILABLE';

/** A producer batch for one partition (Kafka's RecordBatch header + records). */
export interface RecordBatch {
  /** -1 when the producer is not idempotent. */
  producerId: number;
  producerEpoch: number;
  /** Sequence of the first record; -1 when not idempotent. */
  baseSequence: number;
  transactional: boolean;
  records: Omit<RecordInput, 'leaderEpoch'>[];
}

interface Req { correlationId: number }

// ---- metadata -------------------------------------------------------------------------
export interface PartitionMetadata {
  partition: number;
  leader: NodeId | null;
  leaderEpoch: number;
  replicas: NodeId[];
  isr: NodeId[];
  error: ErrorCode;
}
export interface MetadataRequest extends Req { api: 'Metadata'; topics: string[] | null }
export interface MetadataResponse extends Req {
  api: 'MetadataResponse';
  brokers: NodeId[];
  controller: NodeId | null;
  topics: { name: string; error: ErrorCode; partitions: PartitionMetadata[] }[];
}

// ---- produce ---------------------------------------------------------------------------
export interface ProduceRequest extends Req {
  api: 'Produce';
  /** 0, 1 or -1 (all). */
  acks: 0 | 1 | -1;
  timeoutMs: number;
  transactionalId: string | null;
  partitions: (TopicPartition & { batch: RecordBatch })[];
}
export interface ProduceResponse extends Req {
  api: 'ProduceResponse';
  partitions: (TopicPartition & { error: ErrorCode; baseOffset: number; logStartOffset: number })[];
}

// ---- fetch (followers and consumers) ---------------------------------------------------
export interface FetchRequest extends Req {
  api: 'Fetch';
  /** The fetching follower's broker node id; null for a consumer. */
  replicaId: NodeId | null;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: 'read_uncommitted' | 'read_committed';
  partitions: (TopicPartition & { fetchOffset: number; currentLeaderEpoch: number })[];
}
export interface FetchResponse extends Req {
  api: 'FetchResponse';
  partitions: (TopicPartition & {
    error: ErrorCode;
    highWatermark: number;
    lastStableOffset: number;
    logStartOffset: number;
    records: StoredRecord[];
    abortedTransactions: { producerId: number; firstOffset: number }[];
  })[];
}

/** KIP-101: a new follower asks the leader where its history for an epoch ends (KIP-320: consumers too). */
export interface OffsetsForLeaderEpochRequest extends Req {
  api: 'OffsetsForLeaderEpoch';
  /** The follower's broker node id; null for a consumer validating its position (KIP-320). */
  replicaId: NodeId | null;
  partitions: (TopicPartition & { currentLeaderEpoch: number; leaderEpoch: number })[];
}
export interface OffsetsForLeaderEpochResponse extends Req {
  api: 'OffsetsForLeaderEpochResponse';
  partitions: (TopicPartition & { error: ErrorCode; leaderEpoch: number; endOffset: number })[];
}

export interface ListOffsetsRequest extends Req {
  api: 'ListOffsets';
  /**
   * As in Kafka: a follower sets its broker node id and gets the leader's log end offset for
   * 'latest' (it needs it after OFFSET_OUT_OF_RANGE); consumers leave it out (or null) and get
   * the high watermark / last stable offset.
   */
  replicaId?: NodeId | null;
  isolationLevel: 'read_uncommitted' | 'read_committed';
  /** timestamp -2 = earliest, -1 = latest (as Kafka). */
  partitions: (TopicPartition & { timestamp: -1 | -2 })[];
}
export interface ListOffsetsResponse extends Req {
  api: 'ListOffsetsResponse';
  partitions: (TopicPartition & { error: ErrorCode; offset: number; leaderEpoch: number })[];
}

// ---- controller -> brokers ---------------------------------------------------------------
export interface PartitionState extends TopicPartition {
  leader: NodeId | null;
  leaderEpoch: number;
  isr: NodeId[];
  replicas: NodeId[];
  /** The znode version of the partition state (Kafka's zkVersion / partitionEpoch). */
  partitionEpoch: number;
}
export interface LeaderAndIsrRequest extends Req {
  api: 'LeaderAndIsr';
  controllerId: NodeId;
  controllerEpoch: number;
  partitions: PartitionState[];
}
export interface LeaderAndIsrResponse extends Req {
  api: 'LeaderAndIsrResponse';
  error: ErrorCode;
  partitions: (TopicPartition & { error: ErrorCode })[];
}
export interface UpdateMetadataRequest extends Req {
  api: 'UpdateMetadata';
  controllerId: NodeId;
  controllerEpoch: number;
  liveBrokers: NodeId[];
  partitions: PartitionState[];
  /** Partitions of a topic being deleted (Kafka sends them with leader LeaderDuringDelete): drop them from the cache. */
  deletedPartitions?: TopicPartition[];
}
export interface UpdateMetadataResponse extends Req { api: 'UpdateMetadataResponse'; error: ErrorCode }
export interface StopReplicaRequest extends Req {
  api: 'StopReplica';
  controllerId: NodeId;
  controllerEpoch: number;
  partitions: TopicPartition[];
  /** Kafka's deletePartitions: also delete the replica's log (reassignment away, topic deletion). Absent: false. */
  deletePartitions?: boolean;
}
export interface StopReplicaResponse extends Req {
  api: 'StopReplicaResponse';
  error: ErrorCode;
  /** The partitions stopped (Kafka's partitionErrors), so the controller knows which deletions are done. */
  partitions?: TopicPartition[];
  deletePartitions?: boolean;
}

/** A broker about to stop asks the controller to move its leaderships away (KafkaServer.controlledShutdown). */
export interface ControlledShutdownRequest extends Req {
  api: 'ControlledShutdown';
  brokerId: NodeId;
  brokerEpoch: number;
}
export interface ControlledShutdownResponse extends Req {
  api: 'ControlledShutdownResponse';
  error: ErrorCode;
  /** Partitions the broker still leads (with other replicas): the broker retries while any remain. */
  partitionsRemaining: TopicPartition[];
}

/** KIP-497 (Kafka 2.7+): a leader asks the controller to change the ISR. */
export interface AlterPartitionRequest extends Req {
  api: 'AlterPartition';
  brokerId: NodeId;
  brokerEpoch: number;
  partitions: (TopicPartition & { leaderEpoch: number; newIsr: NodeId[]; partitionEpoch: number })[];
}
export interface AlterPartitionResponse extends Req {
  api: 'AlterPartitionResponse';
  error: ErrorCode;
  partitions: (PartitionState & { error: ErrorCode })[];
}

// ---- idempotence / transactions ---------------------------------------------------------
export interface InitProducerIdRequest extends Req {
  api: 'InitProducerId';
  transactionalId: string | null;
  transactionTimeoutMs: number;
}
export interface InitProducerIdResponse extends Req {
  api: 'InitProducerIdResponse';
  error: ErrorCode;
  producerId: number;
  producerEpoch: number;
}

/** The transactional producer adds a partition to its transaction before its first send to it. */
export interface AddPartitionsToTxnRequest extends Req {
  api: 'AddPartitionsToTxn';
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  partitions: TopicPartition[];
}
export interface AddPartitionsToTxnResponse extends Req { api: 'AddPartitionsToTxnResponse'; error: ErrorCode }
/** sendOffsetsToTransaction, first half: the group's __consumer_offsets partition joins the transaction. */
export interface AddOffsetsToTxnRequest extends Req {
  api: 'AddOffsetsToTxn';
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  groupId: string;
}
export interface AddOffsetsToTxnResponse extends Req { api: 'AddOffsetsToTxnResponse'; error: ErrorCode }
/** commitTransaction / abortTransaction. */
export interface EndTxnRequest extends Req {
  api: 'EndTxn';
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  committed: boolean;
}
export interface EndTxnResponse extends Req { api: 'EndTxnResponse'; error: ErrorCode }
/** The transaction coordinator asks a partition leader to append a COMMIT or ABORT control record. */
export interface WriteTxnMarkersRequest extends Req {
  api: 'WriteTxnMarkers';
  markers: { producerId: number; producerEpoch: number; transactionResult: 'COMMIT' | 'ABORT'; coordinatorEpoch: number; partitions: TopicPartition[] }[];
}
export interface WriteTxnMarkersResponse extends Req {
  api: 'WriteTxnMarkersResponse';
  markers: { producerId: number; partitions: (TopicPartition & { error: ErrorCode })[] }[];
}
/** sendOffsetsToTransaction, second half: offsets stored in the transaction, visible at its COMMIT marker. */
export interface TxnOffsetCommitRequest extends Req {
  api: 'TxnOffsetCommit';
  transactionalId: string;
  groupId: string;
  producerId: number;
  producerEpoch: number;
  generationId: number;
  memberId: string;
  offsets: (TopicPartition & { offset: number; metadata: string })[];
}
export interface TxnOffsetCommitResponse extends Req { api: 'TxnOffsetCommitResponse'; partitions: (TopicPartition & { error: ErrorCode })[] }

export type TxnRequest = AddPartitionsToTxnRequest | AddOffsetsToTxnRequest | EndTxnRequest;

// ---- groups ----------------------------------------------------------------------------
export interface FindCoordinatorRequest extends Req { api: 'FindCoordinator'; key: string; keyType: 'group' | 'transaction' }
export interface FindCoordinatorResponse extends Req { api: 'FindCoordinatorResponse'; error: ErrorCode; coordinator: NodeId | null }

export interface SubscriptionMetadata {
  topics: string[];
  ownedPartitions: TopicPartition[];
  generation: number;
}
export interface JoinGroupRequest extends Req {
  api: 'JoinGroup';
  groupId: string;
  /** '' for a new member (KIP-394: the coordinator answers MEMBER_ID_REQUIRED with an id). */
  memberId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: 'consumer';
  protocols: { name: string; metadata: SubscriptionMetadata }[];
}
export interface JoinGroupResponse extends Req {
  api: 'JoinGroupResponse';
  error: ErrorCode;
  generationId: number;
  protocolName: string | null;
  leader: string;
  memberId: string;
  /** Only the leader gets the members and their subscriptions. */
  members: { memberId: string; groupInstanceId: string | null; metadata: SubscriptionMetadata }[];
}
export interface SyncGroupRequest extends Req {
  api: 'SyncGroup';
  groupId: string;
  generationId: number;
  memberId: string;
  assignments: { memberId: string; assignment: TopicPartition[] }[];
}
export interface SyncGroupResponse extends Req { api: 'SyncGroupResponse'; error: ErrorCode; assignment: TopicPartition[] }
export interface HeartbeatRequest extends Req { api: 'Heartbeat'; groupId: string; generationId: number; memberId: string }
export interface HeartbeatResponse extends Req { api: 'HeartbeatResponse'; error: ErrorCode }
export interface LeaveGroupRequest extends Req { api: 'LeaveGroup'; groupId: string; memberId: string }
export interface LeaveGroupResponse extends Req { api: 'LeaveGroupResponse'; error: ErrorCode }
export interface OffsetCommitRequest extends Req {
  api: 'OffsetCommit';
  groupId: string;
  generationId: number;
  memberId: string;
  offsets: (TopicPartition & { offset: number; metadata: string })[];
}
export interface OffsetCommitResponse extends Req { api: 'OffsetCommitResponse'; partitions: (TopicPartition & { error: ErrorCode })[] }
export interface OffsetFetchRequest extends Req { api: 'OffsetFetch'; groupId: string; partitions: TopicPartition[] }
export interface OffsetFetchResponse extends Req {
  api: 'OffsetFetchResponse';
  error: ErrorCode;
  /** offset -1: nothing committed. */
  partitions: (TopicPartition & { offset: number; error: ErrorCode })[];
}

export type KafkaRequest =
  | MetadataRequest | ProduceRequest | FetchRequest | OffsetsForLeaderEpochRequest | ListOffsetsRequest
  | LeaderAndIsrRequest | UpdateMetadataRequest | StopReplicaRequest | AlterPartitionRequest | ControlledShutdownRequest
  | InitProducerIdRequest | FindCoordinatorRequest | JoinGroupRequest | SyncGroupRequest
  | HeartbeatRequest | LeaveGroupRequest | OffsetCommitRequest | OffsetFetchRequest
  | AddPartitionsToTxnRequest | AddOffsetsToTxnRequest | EndTxnRequest | WriteTxnMarkersRequest | TxnOffsetCommitRequest;

export type KafkaResponse =
  | MetadataResponse | ProduceResponse | FetchResponse | OffsetsForLeaderEpochResponse | ListOffsetsResponse
  | LeaderAndIsrResponse | UpdateMetadataResponse | StopReplicaResponse | AlterPartitionResponse | ControlledShutdownResponse
  | InitProducerIdResponse | FindCoordinatorResponse | JoinGroupResponse | SyncGroupResponse
  | HeartbeatResponse | LeaveGroupResponse | OffsetCommitResponse | OffsetFetchResponse
  | AddPartitionsToTxnResponse | AddOffsetsToTxnResponse | EndTxnResponse | WriteTxnMarkersResponse | TxnOffsetCommitResponse;

export type GroupRequest =
  | FindCoordinatorRequest | JoinGroupRequest | SyncGroupRequest | HeartbeatRequest
  | LeaveGroupRequest | OffsetCommitRequest | OffsetFetchRequest | TxnOffsetCommitRequest;

export const brokerNodeId = (brokerId: number): NodeId => `broker-${brokerId}`;
export const brokerIdOf = (node: NodeId): number => Number(node.slice('broker-'.length));
