/**
 * The broker's state as plain data. `BrokerDurable` is the broker's disk: the partition logs
 * (segments, epoch cache, HW checkpoint live inside each Log) and the producer-id block.
 * `BrokerVolatile` is memory: lost on a crash and rebuilt from zk, the controller and the
 * logs after a restart.
 */
import type { NodeId } from '@kafkasim/engine';
import type { BrokerConfig, TopicConfig } from '../config';
import type { GroupCoordinatorState } from '../group/coordinator';
import type { ErrorCode, FetchRequest, PartitionState } from '../protocol';
import type { Log } from '../storage';
import type { TxnCoordinatorState } from '../txn/types';
import { topicPartitionKey } from '../topicPartitionKey';

/** What every broker of a cluster is built with (immutable). */
export interface BrokerEnv {
  zkServers: NodeId[];
  config: BrokerConfig;
  /** Topics the cluster is created with (the controller creates them; the broker reads overrides). */
  topics: TopicConfig[];
  allBrokerIds: number[];
  /** The cluster uses transactions: __transaction_state exists and brokers host the transaction coordinator. */
  transactions?: boolean;
  /** Admin tools write /admin/* znodes in this cluster (see ControllerEnv.admin). */
  admin?: boolean;
}

export interface BrokerDurable {
  brokerId: number;
  /** Partition logs by `<topic>-<partition>`. */
  logs: Record<string, Log>;
  /** Counter behind InitProducerId (producer id = brokerId * 1_000_000 + counter). */
  nextProducerSeq: number;
  /** How many times this broker registered itself (the znode's data 'epoch'). */
  registrations: number;
  /** What the last power loss cut from each log, reported as 'truncate' facts at the next boot. */
  powerLosses: { topic: string; partition: number; from: number; to: number; removedIds: string[] }[];
}

/** The leader's view of one follower (Kafka's Replica / ReplicaState). */
export interface FollowerView {
  /** -1 = unknown since this broker became leader. */
  logEndOffset: number;
  lastCaughtUpTimeMs: number;
  lastFetchLeaderLogEndOffset: number;
  lastFetchTimeMs: number;
}

/** Kafka's ProducerStateEntry: the epoch and the sequence ranges of the latest batches. */
export interface ProducerBatchMeta {
  firstSeq: number;
  lastSeq: number;
  firstOffset: number;
  lastOffset: number;
}
export interface ProducerEntry {
  epoch: number;
  batches: ProducerBatchMeta[];
}

/** How a follower is synchronising with its leader (AbstractFetcherThread's PartitionFetchState). */
export interface FollowerSync {
  phase: 'truncating' | 'out-of-range' | 'fetching';
  /** After an error the partition waits (replica.fetch.backoff.ms) before its next request. */
  delayedUntilMs: number;
  /** The leader's log start offset reported with OFFSET_OUT_OF_RANGE. */
  leaderLogStart: number;
}

export interface PendingIsrChange {
  newIsr: NodeId[];
  kind: 'shrink' | 'expand';
  correlationId: number;
  sentAtMs: number;
}

/** One partition replica hosted here (Kafka's Partition, volatile part). */
export interface PartitionReplica {
  topic: string;
  partition: number;
  role: 'leader' | 'follower';
  leader: NodeId | null;
  leaderEpoch: number;
  partitionEpoch: number;
  replicas: NodeId[];
  isr: NodeId[];
  highWatermark: number;
  /** Leader only: LEO when this broker became leader (start of its epoch). */
  leaderEpochStartOffset: number;
  /** Leader only: followers by node id. */
  followers: Record<NodeId, FollowerView>;
  pendingIsr: PendingIsrChange | null;
  /** Leader only: idempotent producers by producer id. */
  producers: Record<string, ProducerEntry>;
  /** Follower only. */
  sync: FollowerSync | null;
  /** Leader only, once the partition holds transactional records (absent otherwise). */
  txns?: PartitionTxns;
}

/** Kafka's ProducerStateManager transaction tracking, for the last stable offset. */
export interface PartitionTxns {
  /** Open transactions: producer id -> offset of its first record in this partition. */
  ongoing: Record<string, number>;
  /** Aborted transactions (the aborted transaction index): [firstOffset, marker offset]. */
  aborted: { producerId: number; firstOffset: number; lastOffset: number }[];
}

export interface MetadataCache {
  controllerId: NodeId | null;
  liveBrokers: NodeId[];
  /** By `<topic>-<partition>`. */
  partitions: Record<string, PartitionState>;
}

/** One request a fetcher has on the wire to its leader. */
export interface FetcherInFlight {
  correlationId: number;
  api: 'Fetch' | 'OffsetsForLeaderEpoch' | 'ListOffsets';
  /** Partition keys and the leader epoch each was requested with. */
  partitions: { key: string; leaderEpoch: number; fetchOffset: number }[];
  timerId: number;
}

export interface Fetcher {
  leader: NodeId;
  inFlight: FetcherInFlight | null;
  backoffTimerId: number | null;
}

export interface DelayedProducePartition {
  topic: string;
  partition: number;
  /** Offset the HW must reach (last offset + 1); -1 when already decided. */
  requiredOffset: number;
  baseOffset: number;
  error: ErrorCode | null;
  ids: string[];
}
export interface DelayedProduce {
  id: number;
  from: NodeId;
  correlationId: number;
  partitions: DelayedProducePartition[];
  timerId: number;
}

export interface DelayedFetch {
  id: number;
  from: NodeId;
  request: FetchRequest;
  timerId: number;
}

export interface BrokerVolatile {
  brokerId: number;
  /** The coordinator client library's state (coordinator/client.ts). */
  zk: any;
  /** The hosted controller module's state (controller/). */
  controller: any;
  sessionId: string | null;
  registered: boolean;
  brokerEpoch: number;
  /** Highest controller epoch seen in a LeaderAndIsr/UpdateMetadata/StopReplica. */
  controllerEpoch: number;
  partitions: Record<string, PartitionReplica>;
  metadata: MetadataCache;
  fetchers: Record<NodeId, Fetcher>;
  delayedProduces: DelayedProduce[];
  delayedFetches: DelayedFetch[];
  nextCorrelationId: number;
  nextDelayedId: number;
  group: GroupCoordinatorState;
  /** The hosted transaction coordinator; only in clusters with transactions. */
  txn?: TxnCoordinatorState;
  /** A clean shutdown in progress (KafkaServer.controlledShutdown); absent otherwise. */
  shutdown?: ShutdownProgress;
  /** Bytes moved for throttled replicas, per side (replicationQuota.ts); absent until the first. */
  replicationQuotas?: { leader?: { samples: { startMs: number; bytes: number }[] }; follower?: { samples: { startMs: number; bytes: number }[] } };
}

export interface ShutdownProgress {
  /** controlled.shutdown.max.retries left. */
  retriesLeft: number;
  /** The ControlledShutdown request on the wire (null between attempts). */
  correlationId: number | null;
  timerId: number | null;
  /** The last answer's count of partitions still led here. */
  partitionsRemaining: number;
  /** Every attempt failed: the broker stops anyway (Kafka's "unclean shutdown" of the controlled part). */
  gaveUp: boolean;
  /** Deregistering (the session close) before the process stops. */
  stopping: boolean;
}

export interface BrokerState {
  durable: BrokerDurable;
  volatile: BrokerVolatile;
}

export const tpKey = (topic: string, partition: number): string => topicPartitionKey(topic, partition);
