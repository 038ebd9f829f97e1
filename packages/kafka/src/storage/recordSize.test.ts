import { describe, expect, it } from 'vitest';
import { RECORD_BATCH_OVERHEAD, recordSizeBytes, sizeOfVarint, utf8Length } from './recordSize';

describe('sizeOfVarint (zig-zag, like ByteUtils.sizeOfVarint)', () => {
  it('uses 1 byte for small magnitudes including -1 (null key)', () => {
    expect(sizeOfVarint(0)).toBe(1);
    expect(sizeOfVarint(-1)).toBe(1);
    expect(sizeOfVarint(63)).toBe(1);
    expect(sizeOfVarint(-64)).toBe(1);
  });
  it('grows every 7 bits of the zig-zagged value', () => {
    expect(sizeOfVarint(64)).toBe(2);
    expect(sizeOfVarint(-65)).toBe(2);
    expect(sizeOfVarint(8191)).toBe(2);
    expect(sizeOfVarint(8192)).toBe(3);
    expect(sizeOfVarint(2 ** 30)).toBe(5);
  });
});

describe('utf8Length', () => {
  it('counts UTF-8 bytes, not UTF-16 code units', () => {
    expect(utf8Length('')).toBe(0);
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('€')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    expect(utf8Length('a😀é')).toBe(new TextEncoder().encode('a😀é').length);
  });
});

describe('recordSizeBytes', () => {
  it('is batch overhead + varint(body) + body for a null-key record', () => {
    // body = attributes 1 + tsDelta 1 + offsetDelta 1 + null key 1 + (1 + 5) value + 1 header count = 11
    expect(recordSizeBytes({ key: null, value: 'hello', timestamp: 0 })).toBe(RECORD_BATCH_OVERHEAD + 1 + 11);
  });
  it('counts key bytes, header bytes and multi-byte length varints', () => {
    expect(recordSizeBytes({ key: 'k', value: 'v', timestamp: 0 })).toBe(61 + 1 + 8);
    // 200-byte value: its length varint takes 2 bytes, and so does varint(body = 207)
    expect(recordSizeBytes({ key: null, value: 'x'.repeat(200), timestamp: 0 })).toBe(61 + 2 + 207);
    // header "h" -> "vv": 2 + 3 bytes on top of the 8-byte body above
    expect(recordSizeBytes({ key: 'k', value: 'v', timestamp: 0, headers: { h: 'vv' } })).toBe(61 + 1 + 13);
  });
  it('does not depend on timestamp, offset or epoch (deltas are 0 in a batch of one)', () => {
    const a = recordSizeBytes({ key: 'k', value: 'v', timestamp: 0 });
    const b = recordSizeBytes({ key: 'k', value: 'v', timestamp: 1_700_000_000_000 });
    expect(a).toBe(b);
  });
});
