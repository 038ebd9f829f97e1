import { describe, expect, it } from 'vitest';
import { JavaHashSetOrder, javaHashMapKeyOrder, javaStringHash, topicPartitionHash } from './javaHashSet';

describe('javaStringHash', () => {
  it('matches String.hashCode', () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('hello')).toBe(99162322);
    expect(javaStringHash('Aa')).toBe(2112);
    expect(javaStringHash('BB')).toBe(2112);
    expect(javaStringHash('polygenelubricants')).toBe(-2147483648);
  });

  it('TopicPartition.hashCode = 31 * (31 + partition) + topic.hashCode()', () => {
    expect(topicPartitionHash({ topic: '', partition: 0 })).toBe(961);
    expect(topicPartitionHash({ topic: 'Aa', partition: 2 })).toBe(31 * 33 + 2112);
  });
});

describe('JavaHashSetOrder', () => {
  const ints = () => new JavaHashSetOrder<number>((n) => n, String);

  it('iterates by bucket, not by insertion', () => {
    const set = ints();
    for (const n of [20, 3, 17]) set.add(n);
    expect(set.toArray()).toEqual([17, 3, 20]); // buckets 1, 3, 4 of 16
    expect(set.first()).toBe(17);
  });

  it('keeps insertion order inside a bucket and across a resize', () => {
    const set = ints();
    set.add(16);
    set.add(0);
    expect(set.toArray()).toEqual([16, 0]); // both in bucket 0
    for (let n = 1; n <= 11; n++) set.add(n); // 13 entries > 12: the table doubles to 32
    expect(set.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16]);
  });

  it('spreads the high half of the hash (HashMap.hash)', () => {
    const set = ints();
    set.add(1);
    set.add(0x10000); // spread: 0x10000 ^ 0x1 -> bucket 1, after 1
    set.add(0x20000); // spread -> bucket 2
    expect(set.toArray()).toEqual([1, 0x10000, 0x20000]);
  });

  it('deletes and reports size; duplicates are ignored', () => {
    const set = ints();
    expect(set.add(5)).toBe(true);
    expect(set.add(5)).toBe(false);
    expect(set.size).toBe(1);
    expect(set.delete(5)).toBe(true);
    expect(set.delete(5)).toBe(false);
    expect(set.first()).toBeUndefined();
  });

  it('resizes a small table when one chain passes 8 entries (treeifyBin)', () => {
    const set = ints();
    for (let i = 0; i < 9; i++) set.add(i * 16); // all in bucket 0 of 16
    // The 9th entry makes the table 32, so the odd multiples of 16 move to bucket 16.
    expect(set.toArray()).toEqual([0, 32, 64, 96, 128, 16, 48, 80, 112]);
  });
});

describe('javaHashMapKeyOrder', () => {
  it('orders Kafka test member ids as a HashMap does', () => {
    // "consumerN".hashCode() grows by one per N, so the buckets (12, 11, 10, 9) run backwards.
    expect(javaHashMapKeyOrder(['consumer1', 'consumer2', 'consumer3', 'consumer4'])).toEqual(['consumer4', 'consumer3', 'consumer2', 'consumer1']);
    expect(javaHashMapKeyOrder(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
  });
});
