/**
 * The controller's memory, as plain data (it lives in the broker's volatile state, so a broker
 * crash loses it, like Kafka's ControllerContext). Iteration order is always defined: arrays,
 * or records read through sorted keys.
 */
import type { NodeId } from '@kafkasim/engine';
import type { AlterPartitionRequest, ControlledShutdownRequest } from '../protocol';

/** A partition's leadership as stored in /brokers/topics/<t>/partitions/<p>/state. */
export interface Leadership {
  /** -1: no leader (Kafka's LeaderAndIsr.NoLeader). */
  leader: number;
  leaderEpoch: number;
  isr: number[];
  /** The epoch of the controller that wrote this state. */
  controllerEpoch: number;
  /** The state znode's version: Kafka's zkVersion, a.k.a. partitionEpoch. */
  zkVersion: number;
}

export interface PartitionContext {
  topic: string;
  partition: number;
  /** The assignment, preferred leader first. */
  replicas: number[];
  /** null: no state znode yet (Kafka's NewPartition). */
  leadership: Leadership | null;
  /** An offline episode is reported once ('partition-offline'), not at every retry. */
  reportedOffline: boolean;
  /** KIP-455 during a reassignment: AR (replicas being added) and RR (being removed); `replicas` is RS = ORS + TRS. */
  adding: number[];
  removing: number[];
}

/** Kafka's ControllerEventManager events (the ones kafkasim models). */
export type ControllerEvent =
  | { type: 'Startup' }
  | { type: 'Reelect' }
  | { type: 'ControllerChange' }
  | { type: 'BrokerChange' }
  | { type: 'TopicCreation' }
  /** kafkasim: reload everything from ZooKeeper after a request was lost with the connection (Kafka blocks and retries instead). */
  | { type: 'Resync' }
  | { type: 'AlterPartition'; from: NodeId; request: AlterPartitionRequest }
  | { type: 'ControlledShutdown'; from: NodeId; request: ControlledShutdownRequest }
  /** The auto.leader.rebalance.enable task (checkAndTriggerAutoLeaderRebalance). */
  | { type: 'AutoPreferredReplicaLeaderElection' }
  /** /admin/preferred_replica_election was created (PreferredReplicaElectionHandler). */
  | { type: 'PreferredReplicaLeaderElection' }
  /** /admin/reassign_partitions was created (PartitionReassignmentHandler). */
  | { type: 'ZkPartitionReassignment' }
  /**
   * onPartitionReassignment for one partition: to `target` (from /admin/reassign_partitions), or
   * null to go on with the one in progress (after a failover, or when its ISR changed:
   * PartitionReassignmentIsrChange, which only completes it).
   */
  | { type: 'ReassignPartition'; key: string; target: number[] | null; fromIsrChange: boolean }
  /** Children of /admin/delete_topics changed (TopicDeletionHandler). */
  | { type: 'TopicDeletion' }
  /** A broker answered a StopReplica with deletePartitions (TopicDeletionStopReplicaResponseReceived). */
  | { type: 'TopicDeletionStopReplicaResponseReceived'; broker: number; partitions: { topic: string; partition: number }[] };

/** The event being processed, waiting for zk results (Kafka blocks its event thread; kafkasim waits for tagged results). */
export interface Job {
  id: number;
  event: ControllerEvent;
  step: string;
  /** zk requests of the current step still unanswered. */
  pending: number;
  /** Plain data the steps pass along. */
  data: Record<string, any>;
}

/** One topic queued for deletion (TopicDeletionManager's view of its replicas). */
export interface TopicDeletionState {
  topic: string;
  /** Replicas whose log deletion is not confirmed yet (not ReplicaDeletionSuccessful). */
  awaiting: { key: string; broker: number }[];
  /** Replicas sent their StopReplica with delete since their broker last (re)joined (ReplicaDeletionStarted). */
  requested: { key: string; broker: number }[];
  /** Brokers down with replicas to delete, as last reported (ReplicaDeletionIneligible). */
  waitingOn: number[];
  started: boolean;
}

/** One request queued for a broker (Kafka's ControllerChannelManager keeps one queue per broker). */
export interface OutboundRequest {
  correlationId: number;
  payload: Record<string, unknown>;
}

export interface BrokerChannel {
  queue: OutboundRequest[];
  /** The resend timer of the head request, when it is in flight. */
  timerId: number | null;
}

export interface ControllerState {
  sessionId: string | null;
  /** Broker id in /controller as last read; -1 unknown/none (Kafka's activeControllerId). */
  activeControllerId: number;
  active: boolean;
  /** This controller's epoch (valid while active; kept after resigning for inspection). */
  epoch: number;
  /** Version of /controller_epoch written by this controller: every write checks it. */
  epochZkVersion: number;
  liveBrokers: { id: number; epoch: number }[];
  /** topic -> partition keys exist in `partitions`; sorted. */
  topics: string[];
  partitions: Record<string, PartitionContext>;
  /** Startup topics (and __consumer_offsets) already created or found. */
  topicsCreated: boolean;
  queue: ControllerEvent[];
  job: Job | null;
  nextJobId: number;
  nextCorrelationId: number;
  channels: Record<string, BrokerChannel>;
  /** Pending UpdateMetadata/LeaderAndIsr of the event being processed (Kafka's ControllerBrokerRequestBatch). */
  batch: RequestBatch;
  /** Timer id of the grace period after which startup topics are created with the brokers that are up. */
  topicGraceTimer: number | null;
  topicGraceExpired: boolean;
  /** The zk client's connection as last reported (requests made while disconnected fail). */
  zkConnected: boolean;
  /** A job lost its zk requests to a disconnection: wait for 'connected' (or the retry timer) before going on. */
  suspended: boolean;
  /** Kafka's shuttingDownBrokerIds: live, but never elected leader again until they re-register. */
  shuttingDown: number[];
  /** The auto.leader.rebalance.enable task's timer, while active with it enabled. */
  autoRebalanceTimer: number | null;
  /** Topics queued for deletion (TopicDeletionManager), sorted, and the replicas whose log deletion is not yet confirmed. */
  deletions: TopicDeletionState[];
  /** Startup topics deleted since (read from /kafkasim/deleted_topics at failover): never created again. */
  deletedTopics: string[];
}

export interface RequestBatch {
  /** broker id -> partition keys to send in a LeaderAndIsr. */
  leaderAndIsr: Record<string, string[]>;
  /** broker id -> partition keys for an UpdateMetadata, or 'all'. */
  updateMetadata: Record<string, string[] | 'all'>;
  /** broker id -> StopReplica requests (one per deletePartitions value), sent after the others. */
  stopReplica: Record<string, { keys: { topic: string; partition: number }[]; deletePartitions: boolean }[]>;
}

export interface ControllerSummary {
  active: boolean;
  activeControllerId: number;
  epoch: number;
  epochZkVersion: number;
  liveBrokers: number[];
  partitions: {
    topic: string;
    partition: number;
    replicas: number[];
    leader: number | null;
    leaderEpoch: number;
    isr: number[];
    partitionEpoch: number;
    state: 'New' | 'Online' | 'Offline';
  }[];
  busy: string | null;
  queued: number;
  shuttingDown: number[];
  reassigning: { topic: string; partition: number; adding: number[]; removing: number[] }[];
  deleting: string[];
}

export const emptyBatch = (): RequestBatch => ({ leaderAndIsr: {}, updateMetadata: {}, stopReplica: {} });

export function createControllerState(): ControllerState {
  return {
    sessionId: null,
    activeControllerId: -1,
    active: false,
    epoch: 0,
    epochZkVersion: -1,
    liveBrokers: [],
    topics: [],
    partitions: {},
    topicsCreated: false,
    queue: [],
    job: null,
    nextJobId: 1,
    nextCorrelationId: 1,
    channels: {},
    batch: emptyBatch(),
    topicGraceTimer: null,
    topicGraceExpired: false,
    zkConnected: false,
    suspended: false,
    shuttingDown: [],
    autoRebalanceTimer: null,
    deletions: [],
    deletedTopics: [],
  };
}

export const partitionKey = (topic: string, partition: number): string => `${topic}-${partition}`;

/** Partition keys sorted by topic then partition number (not lexicographically: p10 after p9). */
export function sortedPartitionKeys(cs: ControllerState): string[] {
  return Object.values(cs.partitions)
    .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition))
    .map((p) => partitionKey(p.topic, p.partition));
}
