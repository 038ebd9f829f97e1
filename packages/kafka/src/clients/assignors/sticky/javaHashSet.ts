/**
 * Just enough of java.util.HashMap/HashSet to reproduce their iteration order, which Kafka's sticky
 * assignor lets leak into its tie-breaks:
 *  - PartitionMovements.getTheActualPartitionToBeMoved takes `iterator().next()` of a
 *    HashSet<TopicPartition> that the algorithm itself builds, so we can mirror it exactly;
 *  - the constrained algorithm honours owned partitions in the HashMap order of the member ids.
 * Model: buckets indexed by the spread hash code, chains in insertion order, the table doubling from
 * 16 when size exceeds 0.75 * capacity (and when a chain grows past 8 while the table is under 64).
 * Not modelled: tree bins (9+ colliding keys in one bucket of a table of 64 or more).
 */
import type { TopicPartition } from '../types';

/** String.hashCode over UTF-16 code units, with int overflow. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** TopicPartition.hashCode: 31 * (31 + partition) + topic.hashCode(). */
export function topicPartitionHash(tp: TopicPartition): number {
  return (Math.imul(31, (31 + tp.partition) | 0) + javaStringHash(tp.topic)) | 0;
}

interface Entry<T> {
  hash: number;
  key: string;
  value: T;
}

const DEFAULT_CAPACITY = 16;
const TREEIFY_THRESHOLD = 8;
const MIN_TREEIFY_CAPACITY = 64;

export class JavaHashSetOrder<T> {
  private table: Entry<T>[][] = [];
  private threshold = 0;
  private count = 0;

  constructor(
    private readonly hashCode: (value: T) => number,
    private readonly keyOf: (value: T) => string,
  ) {}

  get size(): number {
    return this.count;
  }

  add(value: T): boolean {
    if (this.table.length === 0) this.resize();
    const hash = spread(this.hashCode(value));
    const key = this.keyOf(value);
    const bucket = this.table[hash & (this.table.length - 1)];
    if (bucket.some((e) => e.key === key)) return false;
    bucket.push({ hash, key, value });
    // HashMap.putVal: appending the 9th node of a chain calls treeifyBin, which resizes small tables.
    if (bucket.length > TREEIFY_THRESHOLD && this.table.length < MIN_TREEIFY_CAPACITY) this.resize();
    if (++this.count > this.threshold) this.resize();
    return true;
  }

  delete(value: T): boolean {
    if (this.table.length === 0) return false;
    const hash = spread(this.hashCode(value));
    const key = this.keyOf(value);
    const bucket = this.table[hash & (this.table.length - 1)];
    const i = bucket.findIndex((e) => e.key === key);
    if (i < 0) return false;
    bucket.splice(i, 1);
    this.count--;
    return true;
  }

  /** What `iterator().next()` returns: the first entry of the lowest non-empty bucket. */
  first(): T | undefined {
    for (const bucket of this.table) if (bucket.length > 0) return bucket[0].value;
    return undefined;
  }

  /** Full iteration order. */
  toArray(): T[] {
    return this.table.flatMap((bucket) => bucket.map((e) => e.value));
  }

  private resize(): void {
    const oldTable = this.table;
    const newCapacity = oldTable.length === 0 ? DEFAULT_CAPACITY : oldTable.length * 2;
    const newTable: Entry<T>[][] = Array.from({ length: newCapacity }, () => []);
    // Java splits each chain into a "lo" and a "hi" chain keeping relative order; appending while
    // walking the old buckets in order yields the same chains.
    for (const bucket of oldTable) for (const e of bucket) newTable[e.hash & (newCapacity - 1)].push(e);
    this.table = newTable;
    this.threshold = newCapacity * 0.75;
  }
}

/** HashMap.hash: XOR the high half into the low half. */
function spread(h: number): number {
  return h ^ (h >>> 16);
}

/**
 * The order in which a `new HashMap<String, ?>()` filled with `keys` (in that order) iterates them.
 * Keys sharing a bucket keep their insertion order.
 */
export function javaHashMapKeyOrder(keys: readonly string[]): string[] {
  const map = new JavaHashSetOrder<string>(javaStringHash, (k) => k);
  for (const k of keys) map.add(k);
  return map.toArray();
}
