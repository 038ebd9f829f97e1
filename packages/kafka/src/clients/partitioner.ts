/**
 * The producer's choice of partition, as pure functions over caller-owned state.
 *
 * Ported from the Java producer:
 *  - KafkaProducer.partition: an explicit partition on the record always wins;
 *  - keyed records: BuiltInPartitioner.partitionForKey (murmur2 over *all* partitions, available or not);
 *  - keyless records, 'sticky': StickyPartitionCache (KIP-480, the DefaultPartitioner of Kafka 2.4 to 3.2):
 *    keep using one partition until the producer has to open a new batch for it, then move to
 *    another partition picked at random among the available ones;
 *  - keyless records, 'round-robin': RoundRobinPartitioner's per-topic counter.
 *
 * Randomness comes from the caller's RNG and all state lives in a plain JSON object the caller
 * passes in (and that these functions mutate), so a simulation can checkpoint and replay it.
 */
import { partitionForKey, toPositive } from './murmur2';

export interface PartitionerState {
  /** StickyPartitionCache.indexCache: the current sticky partition per topic. */
  stickyPartition: Record<string, number>;
  /** RoundRobinPartitioner.topicCounterMap: the next counter value per topic (a Java int, so it wraps). */
  roundRobinCounter: Record<string, number>;
}

export type KeylessStrategy = 'sticky' | 'round-robin';

export interface PartitionerConfig {
  /** How records without a key (and without an explicit partition) are spread. */
  keyless: KeylessStrategy;
  /**
   * partitioner.ignore.keys (KIP-794): treat keyed records as keyless. Kafka's RoundRobinPartitioner
   * always ignores keys, so set this with 'round-robin' to model that class exactly.
   */
  ignoreKeys?: boolean;
}

export interface PartitionRng {
  /** Uniform in [0, 1). */
  next(): number;
}

export interface RecordTarget {
  topic: string;
  /** Partition count of the topic (Cluster.partitionsForTopic(topic).size()). */
  numPartitions: number;
  /** ProducerRecord.partition(): used as is when present. */
  partition?: number | null;
  /** The serialized key; null/undefined means no key. An empty array is a key (it hashes). */
  key?: Uint8Array | null;
  /**
   * Partitions that currently have a leader (Cluster.availablePartitionsForTopic). Defaults to all.
   * Kafka indexes this list in metadata order; we sort it ascending so the choice is reproducible.
   */
  availablePartitions?: readonly number[];
}

export function createPartitionerState(): PartitionerState {
  return { stickyPartition: {}, roundRobinCounter: {} };
}

/**
 * The partition for one record. For 'sticky', call {@link onNewBatch} whenever appending the record
 * would open a new batch on the returned partition, then call this again (KafkaProducer.doSend does
 * exactly that dance with abortOnNewBatch).
 */
export function choosePartition(
  target: RecordTarget,
  config: PartitionerConfig,
  state: PartitionerState,
  rng: PartitionRng,
): number {
  const { topic, numPartitions } = target;
  assertPartitionCount(numPartitions);
  if (target.partition !== undefined && target.partition !== null) {
    // ProducerRecord rejects negative partitions; waitOnMetadata rejects ones past the count.
    if (!Number.isInteger(target.partition) || target.partition < 0 || target.partition >= numPartitions) {
      throw new RangeError(`Invalid partition given with record: ${target.partition} is not in the range [0...${numPartitions - 1}].`);
    }
    return target.partition;
  }
  if (target.key !== undefined && target.key !== null && !config.ignoreKeys) {
    return partitionForKey(target.key, numPartitions);
  }
  const available = availableSorted(target.availablePartitions, numPartitions);
  if (config.keyless === 'round-robin') return roundRobinPartition(topic, numPartitions, available, state);
  const sticky = ownNumber(state.stickyPartition, topic);
  if (sticky !== undefined) return sticky;
  return nextStickyPartition(topic, numPartitions, -1, available, state, rng);
}

/**
 * DefaultPartitioner.onNewBatch -> StickyPartitionCache.nextPartition: the producer is about to open a
 * new batch on `prevPartition`. If that is the topic's sticky partition, pick a new one; otherwise
 * (another record already moved it) keep the current one. Returns the topic's sticky partition.
 * Kafka calls this for keyed records too, so the simulator should as well.
 */
export function onNewBatch(
  topic: string,
  numPartitions: number,
  prevPartition: number,
  state: PartitionerState,
  rng: PartitionRng,
  availablePartitions?: readonly number[],
): number {
  assertPartitionCount(numPartitions);
  return nextStickyPartition(topic, numPartitions, prevPartition, availableSorted(availablePartitions, numPartitions), state, rng);
}

function nextStickyPartition(
  topic: string,
  numPartitions: number,
  prevPartition: number,
  available: readonly number[],
  state: PartitionerState,
  rng: PartitionRng,
): number {
  const oldPart = ownNumber(state.stickyPartition, topic);
  if (oldPart !== undefined && oldPart !== prevPartition) return oldPart;

  let newPart: number;
  if (available.length < 1) {
    // No leader anywhere: Kafka still picks some partition at random among all of them.
    newPart = pickIndex(rng, numPartitions);
  } else if (available.length === 1) {
    newPart = available[0];
  } else {
    // Kafka redraws until the pick differs from the old sticky partition. Drawing once among the
    // other candidates gives the same uniform distribution without an unbounded loop. The list is
    // sorted and unique, so the old partition is in it at most once: the draw skips its slot
    // instead of drawing from a filtered copy (made for nearly every new batch).
    const skipped = oldPart === undefined ? -1 : available.indexOf(oldPart);
    if (skipped === -1) newPart = available[pickIndex(rng, available.length)];
    else {
      const i = pickIndex(rng, available.length - 1);
      newPart = available[i < skipped ? i : i + 1];
    }
  }
  setOwn(state.stickyPartition, topic, newPart);
  return newPart;
}

function roundRobinPartition(topic: string, numPartitions: number, available: readonly number[], state: PartitionerState): number {
  // AtomicInteger.getAndIncrement, starting at 0 per topic.
  const nextValue = ownNumber(state.roundRobinCounter, topic) ?? 0;
  setOwn(state.roundRobinCounter, topic, (nextValue + 1) | 0);
  if (available.length > 0) return available[toPositive(nextValue) % available.length];
  // No partition is available: give a non-available one.
  return toPositive(nextValue) % numPartitions;
}

function pickIndex(rng: PartitionRng, n: number): number {
  const r = rng.next();
  if (!(r >= 0 && r < 1)) throw new RangeError(`rng.next() must return a number in [0, 1), got ${r}`);
  return Math.floor(r * n);
}

function availableSorted(available: readonly number[] | undefined, numPartitions: number): readonly number[] {
  if (available === undefined) return Array.from({ length: numPartitions }, (_, i) => i);
  // The usual list (from metadata, in partition order) is sorted, unique and in range already:
  // used as it is, not copied (the partitioner only reads it; this ran for every keyless record).
  if (isIncreasingWithin(available, numPartitions)) return available;
  const unique = [...new Set(available)].sort((a, b) => a - b);
  for (const p of unique) {
    if (!Number.isInteger(p) || p < 0 || p >= numPartitions) {
      throw new RangeError(`available partition ${p} is not in the range [0...${numPartitions - 1}]`);
    }
  }
  return unique;
}

function isIncreasingWithin(partitions: readonly number[], numPartitions: number): boolean {
  let previous = -1;
  // An index loop: this runs for every new batch, and the array iterator of a for...of here
  // allocated a result object per partition (2% of the bench cluster's bytes).
  for (let i = 0; i < partitions.length; i++) {
    const p = partitions[i];
    if (!(Number.isInteger(p) && p > previous && p < numPartitions)) return false;
    previous = p;
  }
  return true;
}

function assertPartitionCount(numPartitions: number): void {
  if (!Number.isInteger(numPartitions) || numPartitions <= 0) {
    throw new RangeError(`numPartitions must be a positive integer, got ${numPartitions}`);
  }
}

/** Reads a per-topic entry without being fooled by inherited properties ("constructor", "__proto__"). */
function ownNumber(record: Record<string, number>, key: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/**
 * Writes a per-topic entry as an own property, even for a topic named "__proto__". Once the
 * entry is there, a plain assignment writes it (an own property shadows Object.prototype's
 * __proto__ accessor): defineProperty and its descriptor ran for every record.
 */
function setOwn(record: Record<string, number>, key: string, value: number): void {
  if (Object.prototype.hasOwnProperty.call(record, key)) record[key] = value;
  else Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
}
