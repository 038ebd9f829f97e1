/**
 * The order in which Clojure iterates a hash set of strings, so that `(first #{a b})` here picks
 * what Jepsen's checker picks. Jepsen's version order keeps one value per offset, "the first" of
 * the set of values seen there; which one it is decides whether a send or poll of the other value
 * counts as nonmonotonic or as a skip. That choice is a function of the strings' hashes:
 * - (hash s) for a String is Murmur3.hashInt(s.hashCode()) (clojure.lang.Util.hasheq);
 * - a PersistentHashSet iterates its hash trie in index order: by the low 5 bits of the hash,
 *   then the next 5, and so on (BitmapIndexedNode / ArrayNode); full collisions keep insertion order.
 */

/** java.lang.String.hashCode: s[0]*31^(n-1) + ... + s[n-1], in 32-bit arithmetic over UTF-16 units. */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));

/** clojure.lang.Murmur3.hashInt. */
function murmur3HashInt(input: number): number {
  if (input === 0) return 0;
  let k1 = Math.imul(input, 0xcc9e2d51);
  k1 = rotl(k1, 15);
  k1 = Math.imul(k1, 0x1b873593);
  let h1 = k1; // seed 0, h1 ^= k1
  h1 = rotl(h1, 13);
  h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  h1 ^= 4;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1 | 0;
}

/** Clojure's (hash s) of a string. */
export function clojureStringHash(s: string): number {
  return murmur3HashInt(javaStringHash(s));
}

/** Compares two hashes as the trie orders them: 5-bit chunks from the lowest up. */
function trieOrder(a: number, b: number): number {
  for (let shift = 0; shift < 32; shift += 5) {
    const d = ((a >>> shift) & 31) - ((b >>> shift) & 31);
    if (d !== 0) return d;
  }
  return 0;
}

/** The values in the order Clojure iterates #{...} of them (given in insertion order). */
export function clojureSetOrder(values: readonly string[]): string[] {
  if (values.length < 2) return [...values];
  const hashed = values.map((v, i) => ({ v, h: clojureStringHash(v), i }));
  hashed.sort((x, y) => trieOrder(x.h, y.h) || x.i - y.i);
  return hashed.map((x) => x.v);
}
