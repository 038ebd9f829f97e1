/**
 * Configuration with Kafka's own key names. Defaults follow Kafka 3.x/4.x unless the
 * comment says why a teaching-friendly value differs.
 */
export interface BrokerConfig {
  'min.insync.replicas': number;
  'unclean.leader.election.enable': boolean;
  'replica.lag.time.max.ms': number;
  'replica.fetch.wait.max.ms': number;
  'replica.fetch.max.bytes': number;
  'zookeeper.session.timeout.ms': number;
  'log.segment.bytes': number;
  'log.index.interval.bytes': number;
  'num.partitions': number;
  'default.replication.factor': number;
  'offsets.topic.num.partitions': number;
  'offsets.topic.replication.factor': number;
  'auto.leader.rebalance.enable': boolean;
  'leader.imbalance.check.interval.seconds': number;
  'leader.imbalance.per.broker.percentage': number;
  'controlled.shutdown.max.retries': number;
  'controlled.shutdown.retry.backoff.ms': number;
  'delete.topic.enable': boolean;
  /** KIP-73: bytes/s a follower may fetch for its throttled replicas (Kafka's default Long.MaxValue: no throttle). */
  'follower.replication.throttled.rate': number;
  /** KIP-73: bytes/s a leader may serve to throttled replicas out of the ISR (Kafka's default Long.MaxValue). */
  'leader.replication.throttled.rate': number;
  'transaction.state.log.num.partitions': number;
  /**
   * kafkasim switch: which of Kafka's successive truncation and fencing rules the brokers (and
   * the consumers talking to them) follow. Ordered: each value adds one KIP to the one before.
   * - 'high-watermark': Kafka < 0.11, a new follower truncates to its own high watermark.
   * - 'kip-101': Kafka 0.11-1.1, one OffsetsForLeaderEpoch round for the follower's latest epoch.
   * - 'kip-279': Kafka 2.0, the answer names the epoch; the follower repeats until both agree.
   * - 'kip-320': Kafka 2.1+, Fetch and OffsetsForLeaderEpoch carry the current leader epoch
   *   (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH), and consumers validate their position after
   *   a leader change. The default.
   * - 'leader-epoch': the name this switch had for "the epoch rules as Kafka has them now",
   *   kept so older scenario files mean the same: it is 'kip-320'.
   */
  'kafkasim.truncation': TruncationSetting;
  /** kafkasim switch: a crash is a process crash (page cache survives) or a power loss (unflushed data lost). */
  'kafkasim.crash.mode': 'process' | 'power-loss';
}

export const truncationSettings = ['high-watermark', 'kip-101', 'kip-279', 'kip-320', 'leader-epoch'] as const;
export type TruncationSetting = (typeof truncationSettings)[number];
/** The rules in the order Kafka adopted them; 'leader-epoch' is the old name of the newest. */
export type TruncationRule = Exclude<TruncationSetting, 'leader-epoch'>;
const ruleOrder: TruncationRule[] = ['high-watermark', 'kip-101', 'kip-279', 'kip-320'];

export function truncationRule(config: Pick<BrokerConfig, 'kafkasim.truncation'>): TruncationRule {
  const setting = config['kafkasim.truncation'];
  return setting === 'leader-epoch' ? 'kip-320' : setting;
}

/** True when the configured rule includes `kip` (the rules are cumulative). */
export function truncationHas(config: Pick<BrokerConfig, 'kafkasim.truncation'>, kip: TruncationRule): boolean {
  return ruleOrder.indexOf(truncationRule(config)) >= ruleOrder.indexOf(kip);
}

export const defaultBrokerConfig: BrokerConfig = {
  'min.insync.replicas': 1,
  'unclean.leader.election.enable': false,
  // Kafka's default is 30000; a teaching run is a few seconds long, so shrinks must show within them.
  'replica.lag.time.max.ms': 3000,
  'replica.fetch.wait.max.ms': 500,
  'replica.fetch.max.bytes': 1048576,
  // Kafka's default is 18000; shortened for the same reason.
  'zookeeper.session.timeout.ms': 3000,
  // Small segments so that rolls and the sparse index are visible in small runs.
  'log.segment.bytes': 16384,
  'log.index.interval.bytes': 1024,
  'num.partitions': 1,
  'default.replication.factor': 1,
  // Kafka's default is 50; fewer keeps pictures readable.
  'offsets.topic.num.partitions': 3,
  'offsets.topic.replication.factor': 3,
  'auto.leader.rebalance.enable': false,
  // Kafka's default is 300 s; a lesson is seconds long, so the imbalance check must run within it.
  'leader.imbalance.check.interval.seconds': 5,
  'leader.imbalance.per.broker.percentage': 10,
  'controlled.shutdown.max.retries': 3,
  // Kafka's default is 5000; shortened so that a retried controlled shutdown fits in a lesson.
  'controlled.shutdown.retry.backoff.ms': 1000,
  'delete.topic.enable': true,
  'follower.replication.throttled.rate': Number.MAX_SAFE_INTEGER,
  'leader.replication.throttled.rate': Number.MAX_SAFE_INTEGER,
  'transaction.state.log.num.partitions': 3,
  'kafkasim.truncation': 'kip-320',
  'kafkasim.crash.mode': 'process',
};

export interface TopicConfig {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Explicit assignment: partition -> broker ids, first is the preferred leader. */
  assignment?: number[][];
  config?: Partial<Pick<BrokerConfig, 'min.insync.replicas' | 'unclean.leader.election.enable' | 'log.segment.bytes'>> & {
    /** KIP-73: "<partition>:<broker id>" replicas (or "*") whose fetching follower.replication.throttled.rate limits. */
    'follower.replication.throttled.replicas'?: string[];
    /** KIP-73: "<partition>:<broker id>" replicas (or "*") whose serving of followers leader.replication.throttled.rate limits. */
    'leader.replication.throttled.replicas'?: string[];
  };
}

export interface ProducerConfig {
  acks: '0' | '1' | 'all';
  'enable.idempotence': boolean;
  retries: number;
  'retry.backoff.ms': number;
  'request.timeout.ms': number;
  'delivery.timeout.ms': number;
  'linger.ms': number;
  'batch.size': number;
  'buffer.memory': number;
  'max.in.flight.requests.per.connection': number;
  'max.block.ms': number;
  'transactional.id': string | null;
  'partitioner.class': 'sticky' | 'round-robin';
}

export const defaultProducerConfig: ProducerConfig = {
  acks: 'all',
  'enable.idempotence': false,
  retries: 2147483647,
  'retry.backoff.ms': 100,
  // Kafka's default is 30000. A crashed broker in the simulator is silent (no TCP reset), so this
  // is how soon a producer gives up on it and refreshes metadata; 30 s would outlast a lesson.
  'request.timeout.ms': 5000,
  'delivery.timeout.ms': 120000,
  'linger.ms': 5,
  'batch.size': 16384,
  'buffer.memory': 33554432,
  'max.in.flight.requests.per.connection': 5,
  'max.block.ms': 60000,
  'transactional.id': null,
  'partitioner.class': 'sticky',
};

export interface ConsumerConfig {
  'group.id': string;
  'enable.auto.commit': boolean;
  'auto.commit.interval.ms': number;
  'auto.offset.reset': 'earliest' | 'latest' | 'none';
  'session.timeout.ms': number;
  'heartbeat.interval.ms': number;
  'max.poll.interval.ms': number;
  'max.poll.records': number;
  'fetch.min.bytes': number;
  'fetch.max.wait.ms': number;
  'isolation.level': 'read_uncommitted' | 'read_committed';
  'partition.assignment.strategy': 'range' | 'roundrobin' | 'sticky' | 'cooperative-sticky';
  /** kafkasim switch: 'kafka' keeps offsets in __consumer_offsets; 'zookeeper' is the old design. */
  'kafkasim.offsets.storage': 'kafka' | 'zookeeper';
}

export const defaultConsumerConfig: ConsumerConfig = {
  'group.id': 'group-1',
  'enable.auto.commit': true,
  'auto.commit.interval.ms': 5000,
  'auto.offset.reset': 'earliest',
  // Kafka's default is 45000; shortened so that a teaching run shows the rebalance.
  'session.timeout.ms': 3000,
  'heartbeat.interval.ms': 1000,
  'max.poll.interval.ms': 300000,
  'max.poll.records': 500,
  'fetch.min.bytes': 1,
  'fetch.max.wait.ms': 500,
  'isolation.level': 'read_uncommitted',
  'partition.assignment.strategy': 'range',
  'kafkasim.offsets.storage': 'kafka',
};

/**
 * The brokers' group.min.session.timeout.ms and group.max.session.timeout.ms: a consumer whose
 * session.timeout.ms is outside them cannot join its group (JoinGroup fails with
 * INVALID_SESSION_TIMEOUT, fatal to the consumer). Kafka's min is 6000; it is lowered like the
 * teaching default of session.timeout.ms (3000). The max is Kafka's. Not settable yet, and only
 * scenario validation enforces them: the model's group coordinator does not check JoinGroup.
 */
export const groupSessionTimeoutBounds = { 'group.min.session.timeout.ms': 1000, 'group.max.session.timeout.ms': 1800000 } as const;
