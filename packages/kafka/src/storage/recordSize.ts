/**
 * Byte size of a record, approximating Kafka's v2 on-disk format
 * (DefaultRecord / DefaultRecordBatch, KIP-98).
 *
 * The simulator stores every record as if it were a record batch of ONE
 * record (what a producer with linger.ms=0 sends), so each record pays the
 * full batch header. The formula is:
 *
 *   size = RECORD_BATCH_OVERHEAD                      (61: v2 batch header)
 *        + varint(bodySize) + bodySize                (DefaultRecord.sizeInBytes)
 *   bodySize = 1                                      (attributes, int8)
 *            + varlong(timestampDelta = 0)  -> 1
 *            + varint(offsetDelta = 0)      -> 1
 *            + (key === null ? varint(-1) : varint(keyBytes) + keyBytes)
 *            + varint(valueBytes) + valueBytes
 *            + varint(headerCount)
 *            + Σ header: varint(hKeyBytes) + hKeyBytes + varint(hValueBytes) + hValueBytes
 *
 * keyBytes / valueBytes are UTF-8 lengths; varints are zig-zag encoded like
 * Kafka's ByteUtils.sizeOfVarint. Deltas are 0 because a batch of one has
 * its first offset and timestamp equal to the record's own.
 */
import type { RecordInput } from './types';

/** DefaultRecordBatch.RECORD_BATCH_OVERHEAD for magic v2. */
export const RECORD_BATCH_OVERHEAD = 61;

/** Bytes of the UTF-8 encoding of `s`, without allocating (works the same in Node and browsers). */
export function utf8Length(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair is one code point outside the BMP: 4 bytes.
        bytes += 4;
        i++;
      } else {
        bytes += 3; // lone surrogate: encoders emit U+FFFD (3 bytes)
      }
    } else bytes += 3;
  }
  return bytes;
}

/** Size of an unsigned LEB128 varint. */
function sizeOfUnsignedVarint(value: number): number {
  let v = value >>> 0;
  let bytes = 1;
  while (v >= 0x80) {
    v >>>= 7;
    bytes++;
  }
  return bytes;
}

/** Size of a zig-zag signed varint, as ByteUtils.sizeOfVarint (so -1 costs 1 byte). */
export function sizeOfVarint(value: number): number {
  return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
}

function sizeOfBytesField(s: string | null): number {
  if (s === null) return sizeOfVarint(-1);
  const n = utf8Length(s);
  return sizeOfVarint(n) + n;
}

/** Bytes this record occupies in a segment file; see the formula at the top of this file. */
export function recordSizeBytes(r: RecordInput): number {
  let body = 1 /* attributes */ + 1 /* timestampDelta */ + 1 /* offsetDelta */;
  body += sizeOfBytesField(r.key);
  body += sizeOfBytesField(r.value);
  // Nearly no record has headers: no entries array (an empty one per call before) without them.
  if (!r.headers) body += sizeOfVarint(0);
  else {
    const headers = Object.entries(r.headers);
    body += sizeOfVarint(headers.length);
    for (const [k, v] of headers) body += sizeOfBytesField(k) + sizeOfBytesField(v);
  }
  return RECORD_BATCH_OVERHEAD + sizeOfVarint(body) + body;
}
