import { describe, expect, it } from 'vitest';
import { murmur2, partitionForKey, toPositive, utf8 } from './murmur2';

describe('murmur2', () => {
  // org.apache.kafka.common.utils.UtilsTest#testMurmur2
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('UtilsTest vector %s', (input, expected) => {
    expect(murmur2(utf8(input))).toBe(expected);
  });

  it('hashes raw bytes like the byte[] {a, b, c} case', () => {
    expect(murmur2(new Uint8Array([0x61, 0x62, 0x63]))).toBe(479470107);
  });

  // librdkafka src/rdmurmur2.c unittest_murmur2, labelled java_murmur2_results (covers every tail length).
  it.each([
    ['kafka', 0xd067cf64],
    ['giberish123456789', 0x8f552b0c],
    ['1234', 0x9fc97b14],
    ['234', 0xe7c009ca],
    ['34', 0x873930da],
    ['4', 0x5a4b5ca1],
    ['PreAmbleWillBeRemoved,ThePrePartThatIs', 0x78424f1c],
    ['reAmbleWillBeRemoved,ThePrePartThatIs', 0x4a62b377],
    ['eAmbleWillBeRemoved,ThePrePartThatIs', 0xe0e4e09e],
    ['AmbleWillBeRemoved,ThePrePartThatIs', 0x62b8b43f],
    ['', 0x106e08d9],
  ])('librdkafka vector %j', (input, expectedUnsigned) => {
    expect(murmur2(utf8(input))).toBe(expectedUnsigned | 0);
  });

  it('returns a signed 32-bit integer', () => {
    for (const s of ['21', 'foobar', 'kafka', 'x'.repeat(1000)]) {
      const h = murmur2(utf8(s));
      expect(Number.isInteger(h)).toBe(true);
      expect(h).toBe(h | 0);
    }
  });
});

describe('toPositive', () => {
  it('clears the sign bit instead of negating (Utils.toPositive)', () => {
    expect(toPositive(0)).toBe(0);
    expect(toPositive(5)).toBe(5);
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-790332482)).toBe(1357151166);
  });

  // librdkafka's older unittest_murmurhashneutral2 lists the already-positive values Java produces.
  it.each([
    ['kafka', 1348980580],
    ['amqp', 767747138],
    ['giberish123456789', 257239820],
  ])('toPositive(murmur2(%s)) = %i', (key, expected) => {
    expect(toPositive(murmur2(utf8(key)))).toBe(expected);
  });
});

describe('partitionForKey', () => {
  it('is toPositive(murmur2(key)) % numPartitions', () => {
    expect(partitionForKey(utf8('kafka'), 3)).toBe(1348980580 % 3);
    expect(partitionForKey(utf8('kafka'), 6)).toBe(4);
    expect(partitionForKey(utf8('amqp'), 10)).toBe(8);
    expect(partitionForKey(utf8('foobar'), 7)).toBe(1357151166 % 7);
    expect(partitionForKey(utf8('giberish123456789'), 100)).toBe(20);
  });

  it('is stable for the same key (DefaultPartitionerTest#testKeyPartitionIsStable)', () => {
    const key = utf8('key');
    expect(partitionForKey(key, 3)).toBe(partitionForKey(utf8('key'), 3));
  });

  it('hashes an empty key rather than treating it as absent', () => {
    expect(partitionForKey(new Uint8Array(0), 1000)).toBe(toPositive(0x106e08d9) % 1000);
  });

  it('rejects non-positive partition counts', () => {
    expect(() => partitionForKey(utf8('a'), 0)).toThrow(RangeError);
    expect(() => partitionForKey(utf8('a'), 1.5)).toThrow(RangeError);
  });
});

describe('utf8', () => {
  it('encodes like StringSerializer (UTF-8)', () => {
    expect([...utf8('é€')]).toEqual([0xc3, 0xa9, 0xe2, 0x82, 0xac]);
  });
});

describe('utf8', () => {
  it('gives the bytes TextEncoder gives, for ASCII, non-ASCII, surrogates and long strings', () => {
    const encoder = new TextEncoder();
    const samples = ['', 'key-0', 'key-9999', '\u007f', '\u0080', 'é', 'ключ', '🙂', 'a\ud800b', 'x'.repeat(64), 'y'.repeat(65), `${'z'.repeat(63)}é`];
    for (const s of samples) expect(Array.from(utf8(s)), JSON.stringify(s)).toEqual(Array.from(encoder.encode(s)));
  });
});
