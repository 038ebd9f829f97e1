/**
 * Plain-data state of the group coordinator a broker hosts (Kafka's GroupMetadata,
 * MemberMetadata and GroupMetadataManager caches). Lives in the broker's volatile state:
 * a broker crash loses it and the next leader of the __consumer_offsets partition rebuilds
 * it from the log.
 */
import type { NodeId } from '@kafkasim/engine';
import type { SubscriptionMetadata, TopicPartition } from '../protocol';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** Broker-side group settings (Kafka's group.* and offsets.* broker configs). */
export interface GroupCoordinatorConfig {
  /**
   * Kafka's default is 3000. A teaching run is a few seconds long and its consumers start
   * together, so a short delay still batches their joins into one first generation.
   */
  'group.initial.rebalance.delay.ms': number;
  'offsets.commit.timeout.ms': number;
  /** kafkasim: virtual time the coordinator spends loading a partition (0 = at once). */
  'kafkasim.offsets.load.ms': number;
}

export const defaultGroupCoordinatorConfig: GroupCoordinatorConfig = {
  'group.initial.rebalance.delay.ms': 300,
  'offsets.commit.timeout.ms': 5000,
  'kafkasim.offsets.load.ms': 0,
};

/** Kafka's GroupCoordinator.NewMemberJoinTimeoutMs: how long a new member may wait in a rebalance. */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

/** A request parked until the rebalance (JoinGroup) or the assignment (SyncGroup) completes. */
export interface ParkedRequest {
  from: NodeId;
  correlationId: number;
}

export interface MemberMetadata {
  memberId: string;
  /** The client node (Kafka's clientId/clientHost). */
  node: NodeId;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: SubscriptionMetadata }[];
  assignment: TopicPartition[];
  awaitingJoin: ParkedRequest | null;
  awaitingSync: ParkedRequest | null;
  latestHeartbeat: number;
  heartbeatTimer: number | null;
  /** Joined but has not yet received a JoinGroup response. */
  isNew: boolean;
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
  metadata: string;
  commitTimestamp: number;
}

/** The rebalance in progress (Kafka's DelayedJoin / InitialDelayedJoin in the join purgatory). */
export interface DelayedJoin {
  timerId: number;
  initial: boolean;
  delayMs: number;
  remainingMs: number;
}

export interface GroupMetadata {
  groupId: string;
  /** The __consumer_offsets partition the group lives in. */
  partition: number;
  state: GroupState;
  generationId: number;
  protocolType: 'consumer' | null;
  protocolName: string | null;
  leaderId: string | null;
  /** In join order: the first member to join leads. */
  members: MemberMetadata[];
  /** KIP-394: ids handed out with MEMBER_ID_REQUIRED, not yet joined. */
  pendingMembers: { memberId: string; timerId: number }[];
  newMemberAdded: boolean;
  delayedJoin: DelayedJoin | null;
  /** Committed (durable) offsets by `${topic}:${partition}` (topic names cannot contain ':'). */
  offsets: Record<string, CommittedOffset>;
  /** Next n of member ids `${clientId}-${n}`; persisted with the group so ids stay unique. */
  nextMemberSeq: number;
  /**
   * TxnOffsetCommit: offsets written inside a producer's open transaction, by producer id; they
   * become committed when the COMMIT marker reaches the group's partition (dropped on ABORT).
   * Absent until a transaction commits offsets here.
   */
  pendingTxnOffsets?: Record<string, (CommittedOffset & { memberId: string; generationId: number })[]>;
}

/** A write to __consumer_offsets waiting for the high watermark (acks=all). */
export type PendingAppend =
  | {
      kind: 'offsets';
      id: number;
      partition: number;
      lastOffset: number;
      timerId: number;
      groupId: string;
      memberId: string;
      generationId: number;
      reply: ParkedRequest;
      offsets: (TopicPartition & { offset: number; metadata: string })[];
      /** TxnOffsetCommit: the producer whose transaction holds these offsets. */
      producerId?: number;
    }
  | {
      kind: 'group';
      id: number;
      partition: number;
      lastOffset: number;
      timerId: number;
      groupId: string;
      generationId: number;
      /** Assignment stored by the leader's SyncGroup; null when storing an Empty group. */
      assignment: Record<string, TopicPartition[]> | null;
    };

export interface LoadingPartition {
  partition: number;
  timerId: number;
  loaded: LoadedPartition;
}

export interface LoadedPartition {
  groups: GroupRecordValue[];
  /** groupId -> committed offsets read from the log. */
  offsets: Record<string, CommittedOffset[]>;
  /** groupId -> producerId -> offsets of transactions without a marker yet (absent when none). */
  pendingTxnOffsets?: Record<string, Record<string, CommittedOffset[]>>;
}

/** Value of a `group:<group>` record (Kafka's GroupMetadataValue, as JSON). */
export interface GroupRecordValue {
  groupId: string;
  protocolType: 'consumer' | null;
  generation: number;
  protocol: string | null;
  leader: string | null;
  nextMemberSeq: number;
  members: {
    memberId: string;
    node: NodeId;
    sessionTimeoutMs: number;
    rebalanceTimeoutMs: number;
    subscription: SubscriptionMetadata | null;
    assignment: TopicPartition[];
  }[];
}

export interface GroupCoordinatorState {
  config: GroupCoordinatorConfig;
  /** __consumer_offsets partitions led here and loaded (sorted). */
  ownedPartitions: number[];
  loadingPartitions: LoadingPartition[];
  groups: Record<string, GroupMetadata>;
  pendingAppends: PendingAppend[];
  /** Last high watermark seen per __consumer_offsets partition led here. */
  highWatermarks: Record<number, number>;
  nextAppendId: number;
}
