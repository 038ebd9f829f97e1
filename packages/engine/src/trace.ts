import type { Trace } from './traceStore';

/** Keys are few and repeat across millions of entries: quoted once, with the colon after them. */
const quotedKeys = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key) + ':';
    if (quotedKeys.size < 100_000) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/** Where canonical JSON is written, a piece at a time: a string being built, or a hasher. */
interface TextSink {
  update(text: string): void;
}

class TextBuilder implements TextSink {
  text = '';

  update(text: string): void {
    this.text += text;
  }
}

/**
 * Writes `value` as canonical JSON (object keys sorted, so equal traces serialise to equal bytes
 * anywhere) to `out` in pieces; false, writing nothing, for a value without JSON (undefined
 * inside an array or at the top, a function, a symbol). Byte for byte what
 * `[${items.map(canonicalJson).join(',')}]` and
 * `{${sortedKeys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}` give,
 * holes and all, without the intermediate arrays. Hashing the pieces as they come instead of
 * the string they make saves flattening that string: hashing a trace is a hot path.
 * `skipKey`: a top-level key left out (a message's payload, which the trace hash leaves out).
 */
function writeCanonical(out: TextSink, value: unknown, skipKey?: string): boolean {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) out.update('null');
    else if (value === undefined) out.update('null');
    else {
      const text = JSON.stringify(value) as string | undefined;
      if (text === undefined) return false;
      out.update(text);
    }
    return true;
  }
  if (Array.isArray(value)) {
    out.update('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.update(',');
      // Like map + join: a hole, or an item with no JSON (a function), adds nothing.
      if (i in value) writeCanonical(out, value[i]);
    }
    out.update(']');
    return true;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let defined = 0;
  for (let i = 0; i < keys.length; i++) if (record[keys[i]] !== undefined && keys[i] !== skipKey) keys[defined++] = keys[i];
  keys.length = defined;
  keys.sort();
  out.update('{');
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out.update(',');
    out.update(quoteKey(keys[i]));
    // As in a template string: a value without JSON reads "undefined".
    if (!writeCanonical(out, record[keys[i]])) out.update('undefined');
  }
  out.update('}');
  return true;
}

/** Canonical JSON of `value` (see writeCanonical); undefined for a value without JSON. */
export function canonicalJson(value: unknown): string {
  const out = new TextBuilder();
  return (writeCanonical(out, value) ? out.text : undefined) as string;
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
    writeCanonical(hasher, entry, 'payload');
    hasher.update('\n');
  }
  return hasher.digest();
}
