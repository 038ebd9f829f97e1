/**
 * Kafka's key hashing, ported from org.apache.kafka.common.utils.Utils (murmur2, toPositive) and
 * BuiltInPartitioner.partitionForKey. Every Java client (and librdkafka's "murmur2_random") places a
 * keyed record with exactly this arithmetic, so the simulator must reproduce it bit for bit.
 */

const SEED = 0x9747b28c;
// 'm' and 'r' are the mixing constants of MurmurHash2 (Utils.murmur2).
const M = 0x5bd1e995;
const R = 24;

/**
 * 32-bit MurmurHash2 with Kafka's seed. Returns a signed 32-bit integer, like Java's `int`.
 * Math.imul and `| 0` reproduce Java's wrapping int multiplication and addition.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const length4 = length >>> 2;

  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    // Little-endian 4-byte word; the bytes occupy disjoint bits so `|` equals Java's `+`.
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }

  // The tail: Java's switch falls through from case 3 to case 1.
  const tail = length & ~3;
  const rest = length % 4;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) {
    h ^= data[tail];
    h = Math.imul(h, M);
  }

  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * Utils.toPositive: clears the sign bit. This is not Math.abs — Kafka documents that changing it
 * would move existing keys to other partitions.
 */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** BuiltInPartitioner.partitionForKey (and the pre-3.3 DefaultPartitioner): hash over all partitions. */
export function partitionForKey(keyBytes: Uint8Array, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions <= 0) {
    throw new RangeError(`numPartitions must be a positive integer, got ${numPartitions}`);
  }
  return toPositive(murmur2(keyBytes)) % numPartitions;
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string, as Kafka's StringSerializer produces them (its default encoding is UTF-8). */
export function utf8(s: string): Uint8Array {
  // Keys are short and ASCII nearly always: their bytes are their char codes, copied here for less
  // than a call into TextEncoder costs. Anything else goes to TextEncoder.
  if (s.length > 64) return encoder.encode(s);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) return encoder.encode(s);
    out[i] = c;
  }
  return out;
}
