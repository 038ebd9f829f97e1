import type { TraceEntry } from './types';

/** Canonical JSON: object keys sorted, so equal traces serialise to equal bytes anywhere. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value as object)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

export function traceToNdjson(trace: readonly TraceEntry[]): string {
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

export function traceHash(trace: readonly TraceEntry[]): string {
  const hasher = new TraceHasher();
  for (const entry of trace) hasher.update(canonicalJson(entry) + '\n');
  return hasher.digest();
}
