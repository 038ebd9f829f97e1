import type { Trace } from './traceStore';
import type { TraceEntry } from './types';

/** Keys are few and repeat across millions of entries: quoted once. */
const quotedKeys = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < 100_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * Canonical JSON: object keys sorted, so equal traces serialise to equal bytes anywhere.
 * (Byte for byte what `[${items.map(canonicalJson).join(',')}]` and
 * `{${sortedKeys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}` give,
 * holes and all, built without the intermediate arrays: trace hashing is a hot path.)
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // Like map + join: a hole, or an item with no JSON (a function), adds nothing.
      if (i in value) {
        const item = canonicalJson(value[i]);
        if (item !== undefined) out += item;
      }
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let defined = 0;
  for (let i = 0; i < keys.length; i++) if (record[keys[i]] !== undefined) keys[defined++] = keys[i];
  keys.length = defined;
  keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',';
    out += quoteKey(keys[i]) + ':' + canonicalJson(record[keys[i]]);
  }
  return out + '}';
}

export function traceToNdjson(trace: Trace): string {
  let out = '';
  for (const entry of trace) out += canonicalJson(entry) + '\n';
  return out;
}

/**
 * 64-bit FNV-1a over the canonical NDJSON, as two 32-bit halves: plain integer arithmetic,
 * so Node and the browser give the same hash without a crypto API.
 */
export class TraceHasher {
  private h1 = 0x811c9dc5;
  private h2 = 0x01000193 ^ 0x5bd1e995;

  update(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c ^ (h1 >>> 15), 0x5bd1e995);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  digest(): string {
    return (this.h1 >>> 0).toString(16).padStart(8, '0') + (this.h2 >>> 0).toString(16).padStart(8, '0');
  }
}

/**
 * The hash of what happened: every entry without a delivered message's `payload`. Payloads are
 * recorded or not by an option (`traceMessages`: the visualizer and `run --trace` record them,
 * `run`, `compare` and the golden hashes do not); what a message carries is the model's doing and
 * shows in the facts it leads to. So one run has one hash however it was recorded.
 */
export function traceHash(trace: Trace): string {
  const hasher = new TraceHasher();
  for (const entry of trace) {
    hasher.update(canonicalJson(entry.payload === undefined ? entry : withoutPayload(entry)));
    hasher.update('\n');
  }
  return hasher.digest();
}

function withoutPayload(entry: TraceEntry): TraceEntry {
  const copy = Object.assign({}, entry);
  delete copy.payload;
  return copy;
}
