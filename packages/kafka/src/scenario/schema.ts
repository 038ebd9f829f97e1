/**
 * The scenario file format. One zod definition serves validation (with errors that name the
 * field) and the published JSON Schema (scenarios/schema.json). Objects are strict: an unknown
 * key is an error, never ignored, because a typo'd setting silently falling back to its
 * default would teach the wrong lesson.
 */
import { z } from 'zod';
import { truncationSettings } from '../config';
import {
  INT_MAX, limitMessages, MAX_CONSUMER_GROUPS, MAX_CONSUMERS_PER_GROUP, MAX_DURATION_MS, MAX_FAULTS, MAX_PARTITIONS_PER_TOPIC,
  MAX_PRODUCERS, MAX_RATE_PER_SEC, MAX_TOPICS, MAX_WORKERS_PER_CONSUMER,
} from './limits';

// Kafka's timeouts, sizes and counts are Java ints; the limits keep every run finite (limits.ts).
const nonNegativeInt = z.number().int().nonnegative().max(INT_MAX, limitMessages.int);
const positiveInt = z.number().int().positive().max(INT_MAX, limitMessages.int);
/** A positive int with a tighter limit than Kafka's INT, so that a huge value gets one error, not two. */
const positiveUpTo = (max: number, message: string) => z.number().int().positive().max(max, message);
const partitionCount = positiveUpTo(MAX_PARTITIONS_PER_TOPIC, limitMessages.partitions);
const probability = z.number().min(0).max(1);
const nodeId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a node id like "broker-1", "zk-2" or "producer-1"');

export const brokerConfigSchema = z.strictObject({
  'min.insync.replicas': positiveInt.optional(),
  'unclean.leader.election.enable': z.boolean().optional(),
  'replica.lag.time.max.ms': positiveInt.optional(),
  'replica.fetch.wait.max.ms': positiveInt.optional(),
  'replica.fetch.max.bytes': positiveInt.optional(),
  'zookeeper.session.timeout.ms': positiveInt.optional(),
  'log.segment.bytes': positiveInt.optional(),
  'log.index.interval.bytes': positiveInt.optional(),
  'num.partitions': positiveInt.optional(),
  'default.replication.factor': positiveInt.optional(),
  'offsets.topic.num.partitions': partitionCount.optional(),
  'offsets.topic.replication.factor': positiveInt.optional(),
  'auto.leader.rebalance.enable': z.boolean().optional(),
  'leader.imbalance.check.interval.seconds': positiveInt.optional(),
  'leader.imbalance.per.broker.percentage': z.number().int().min(0).max(100).optional(),
  'controlled.shutdown.max.retries': nonNegativeInt.optional(),
  'controlled.shutdown.retry.backoff.ms': nonNegativeInt.optional(),
  'delete.topic.enable': z.boolean().optional(),
  'follower.replication.throttled.rate': positiveInt.optional(),
  'leader.replication.throttled.rate': positiveInt.optional(),
  'transaction.state.log.num.partitions': partitionCount.optional(),
  'kafkasim.truncation': z.enum(truncationSettings).optional(),
  'kafkasim.crash.mode': z.enum(['process', 'power-loss']).optional(),
});

export const topicSchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'a topic name of letters, digits, ".", "_" or "-"'),
  partitions: partitionCount,
  replicationFactor: positiveInt,
  /** partition -> broker ids, the first one the preferred leader. */
  assignment: z.array(z.array(positiveInt).min(1)).optional(),
  config: z
    .strictObject({
      'min.insync.replicas': positiveInt.optional(),
      'unclean.leader.election.enable': z.boolean().optional(),
      'log.segment.bytes': positiveInt.optional(),
      /** KIP-73, as kafka-reassign-partitions.sh --throttle sets it for the replicas being added. */
      'follower.replication.throttled.replicas': z
        .array(z.string().regex(/^(\d+:\d+|\*)$/, 'a replica as "<partition>:<broker id>", or "*"'))
        .optional(),
      'leader.replication.throttled.replicas': z
        .array(z.string().regex(/^(\d+:\d+|\*)$/, 'a replica as "<partition>:<broker id>", or "*"'))
        .optional(),
    })
    .optional(),
});

export const producerConfigSchema = z.strictObject({
  acks: z.enum(['0', '1', 'all']).optional(),
  'enable.idempotence': z.boolean().optional(),
  retries: nonNegativeInt.optional(),
  'retry.backoff.ms': nonNegativeInt.optional(),
  'request.timeout.ms': positiveInt.optional(),
  'delivery.timeout.ms': positiveInt.optional(),
  'linger.ms': nonNegativeInt.optional(),
  'batch.size': positiveInt.optional(),
  'buffer.memory': positiveInt.optional(),
  'max.in.flight.requests.per.connection': positiveInt.optional(),
  'max.block.ms': nonNegativeInt.optional(),
  'partitioner.class': z.enum(['sticky', 'round-robin']).optional(),
});

export const keysSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('fixed'), key: z.string() }),
  z.strictObject({ kind: z.literal('uniform'), cardinality: positiveInt }),
  z.strictObject({ kind: z.literal('hot'), cardinality: positiveInt, hotShare: probability }),
]);

export const producerSchema = z.strictObject({
  id: nodeId,
  topic: z.string(),
  ratePerSec: z.number().positive().max(MAX_RATE_PER_SEC, limitMessages.ratePerSec),
  startAtMs: nonNegativeInt.default(0),
  stopAtMs: nonNegativeInt.optional(),
  count: positiveInt.optional(),
  partition: nonNegativeInt.optional(),
  keys: keysSchema.default({ kind: 'none' }),
  config: producerConfigSchema.default({}),
});

export const consumerConfigSchema = z.strictObject({
  'enable.auto.commit': z.boolean().optional(),
  'auto.commit.interval.ms': positiveInt.optional(),
  'auto.offset.reset': z.enum(['earliest', 'latest', 'none']).optional(),
  'session.timeout.ms': positiveInt.optional(),
  'heartbeat.interval.ms': positiveInt.optional(),
  'max.poll.interval.ms': positiveInt.optional(),
  'max.poll.records': positiveInt.optional(),
  'fetch.min.bytes': positiveInt.optional(),
  'fetch.max.wait.ms': nonNegativeInt.optional(),
  'isolation.level': z.enum(['read_uncommitted', 'read_committed']).optional(),
  'partition.assignment.strategy': z.enum(['range', 'roundrobin', 'sticky', 'cooperative-sticky']).optional(),
  /** Where committed offsets live: 'kafka' (__consumer_offsets, the default) or 'zookeeper' (the pre-0.9 consumer). */
  'kafkasim.offsets.storage': z.enum(['kafka', 'zookeeper']).optional(),
});

export const processingSchema = z.strictObject({
  mode: z.enum(['auto-commit', 'commit-before-process', 'commit-after-process', 'exactly-once']).default('auto-commit'),
  processingTimeMsPerRecord: nonNegativeInt.default(1),
  workers: z
    .strictObject({ count: positiveUpTo(MAX_WORKERS_PER_CONSUMER, limitMessages.list(MAX_WORKERS_PER_CONSUMER, 'workers')), keyOrdered: z.boolean() })
    .optional(),
  /** A scripted crash: member N of the group (1-based) crashes right after processing its n-th record. */
  crash: z
    .strictObject({ member: positiveInt, afterProcessed: positiveInt, restartAfterMs: nonNegativeInt.optional() })
    .optional(),
});

export const consumerGroupSchema = z.strictObject({
  /** Node ids are `${idPrefix}-1` .. `${idPrefix}-${count}`. */
  idPrefix: nodeId,
  group: z.string().min(1),
  count: positiveUpTo(MAX_CONSUMERS_PER_GROUP, limitMessages.list(MAX_CONSUMERS_PER_GROUP, 'consumers per group')),
  topics: z.array(z.string()).min(1),
  /**
   * Consume-process-produce: one output record per processed record goes to this topic; in
   * processing.mode 'exactly-once' in one transaction with the batch's offsets.
   */
  outputTopic: z.string().optional(),
  startAtMs: nonNegativeInt.default(0),
  processing: processingSchema.default({ mode: 'auto-commit', processingTimeMsPerRecord: 1 }),
  config: consumerConfigSchema.default({}),
});

const at = { atMs: nonNegativeInt };
export const faultSchema = z.discriminatedUnion('action', [
  z.strictObject({ ...at, action: z.literal('crash'), target: nodeId }),
  z.strictObject({ ...at, action: z.literal('restart'), target: nodeId }),
  z.strictObject({ ...at, action: z.literal('pause'), target: nodeId, durationMs: positiveInt }),
  z.strictObject({ ...at, action: z.literal('expire-session'), target: nodeId }),
  z.strictObject({
    ...at,
    action: z.literal('partition'),
    id: z.string().default('partition'),
    sides: z.tuple([z.array(nodeId).min(1), z.array(nodeId).min(1)]),
    oneWay: z.boolean().default(false),
  }),
  z.strictObject({ ...at, action: z.literal('heal'), id: z.string().optional() }),
  z.strictObject({
    ...at,
    action: z.literal('link-fault'),
    id: z.string().default('link-fault'),
    from: z.array(nodeId).optional(),
    to: z.array(nodeId).optional(),
    drop: probability.default(0),
    duplicate: probability.default(0),
    delayMs: nonNegativeInt.default(0),
  }),
  z.strictObject({ ...at, action: z.literal('clear-link-fault'), id: z.string().optional() }),
  /** A broker stops: clean (SIGTERM: controlled shutdown first, then the process stops) or hard (kill -9, as 'crash'). */
  z.strictObject({ ...at, action: z.literal('shutdown'), target: nodeId, clean: z.boolean().default(true) }),
  /** kafka-reassign-partitions.sh --execute: new replica lists (the first one the preferred leader). */
  z.strictObject({
    ...at,
    action: z.literal('reassign'),
    partitions: z.array(z.strictObject({ topic: z.string(), partition: nonNegativeInt, replicas: z.array(positiveInt).min(1) })).min(1),
  }),
  /** kafka-leader-election.sh --election-type preferred, for these partitions. */
  z.strictObject({
    ...at,
    action: z.literal('elect-preferred'),
    partitions: z.array(z.strictObject({ topic: z.string(), partition: nonNegativeInt })).min(1),
  }),
  /** kafka-topics.sh --delete. */
  z.strictObject({ ...at, action: z.literal('delete-topic'), topic: z.string() }),
]);

export const networkSchema = z.strictObject({
  latencyMs: z
    .strictObject({
      // With 0 a request and its answer can bounce at one instant forever: virtual time would stop.
      min: z.number().int().min(1, 'at least 1 ms: a message that takes no time lets requests and answers bounce at one instant forever').max(INT_MAX, limitMessages.int),
      max: nonNegativeInt,
    })
    .default({ min: 1, max: 3 }),
  drop: probability.default(0),
  duplicate: probability.default(0),
});

export const expectationSchema = z.strictObject({
  /** Golden outcomes the scenario test asserts; a range is [min, max]. */
  lostAcknowledged: z.union([nonNegativeInt, z.tuple([nonNegativeInt, nonNegativeInt])]).optional(),
  duplicated: z.union([nonNegativeInt, z.tuple([nonNegativeInt, nonNegativeInt])]).optional(),
  reordered: z.union([nonNegativeInt, z.tuple([nonNegativeInt, nonNegativeInt])]).optional(),
  /** Acknowledged, readable records that a consumer group never processed (at-most-once loss). */
  unprocessed: z.union([nonNegativeInt, z.tuple([nonNegativeInt, nonNegativeInt])]).optional(),
  /** The longest time without any acknowledgement, in ms: how long the cluster was unavailable to producers. */
  longestAckGapMs: z.union([nonNegativeInt, z.tuple([nonNegativeInt, nonNegativeInt])]).optional(),
  /** Input records whose output appears more than once among the committed records of an output topic. */
  outputDuplicates: z.union([nonNegativeInt, z.tuple([nonNegativeInt, nonNegativeInt])]).optional(),
  invariantViolations: z.array(z.string()).optional(),
  facts: z.array(z.string()).optional(),
});

/**
 * A key moment of the lesson, for the visualizer's narrated mode: at a time, or at the first
 * fact of a kind (on a node, at or after a time). Playback pauses there and shows the caption.
 */
export const storyStepSchema = z.strictObject({
  atMs: nonNegativeInt.optional(),
  /** A fact name from the trace (packages/kafka/src/events.ts), e.g. "leader-elected". */
  fact: z.string().min(1).optional(),
  /** With `fact`: only that node's fact. */
  node: nodeId.optional(),
  caption: z.string().min(1),
});

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().regex(/^[a-z0-9-]+$/, 'a lowercase name with dashes, like "leader-failover-acks1"'),
  title: z.string().min(1),
  description: z.string().min(1),
  lesson: z.string().min(1),
  seed: z.union([z.number().int().nonnegative(), z.string().min(1)], { error: 'expected a whole number >= 0 or a non-empty string' }),
  durationMs: positiveUpTo(MAX_DURATION_MS, limitMessages.durationMs),
  cluster: z.strictObject({
    brokers: positiveInt.max(9),
    coordinators: z.union([z.literal(1), z.literal(3), z.literal(5)]).default(1),
    brokerConfig: brokerConfigSchema.default({}),
    topics: z.array(topicSchema).min(1).max(MAX_TOPICS, limitMessages.list(MAX_TOPICS, 'topics')),
    network: networkSchema.default({ latencyMs: { min: 1, max: 3 }, drop: 0, duplicate: 0 }),
    /** Transactions: __transaction_state exists and brokers host transaction coordinators (default false). */
    transactions: z.boolean().optional(),
  }),
  workload: z.strictObject({
    producers: z.array(producerSchema).max(MAX_PRODUCERS, limitMessages.list(MAX_PRODUCERS, 'producers')).default([]),
    consumers: z.array(consumerGroupSchema).max(MAX_CONSUMER_GROUPS, limitMessages.list(MAX_CONSUMER_GROUPS, 'consumer groups')).default([]),
  }),
  faults: z.array(faultSchema).max(MAX_FAULTS, limitMessages.list(MAX_FAULTS, 'faults')).default([]),
  expect: expectationSchema.optional(),
  /** Key moments for the visualizer's narrated mode (no effect on the run). */
  story: z.array(storyStepSchema).optional(),
});

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Fault = Scenario['faults'][number];
