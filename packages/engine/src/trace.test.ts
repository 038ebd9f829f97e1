import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, traceHash, TraceHasher } from './trace';
import { pingPongSimulation } from './testing/pingpong';
import type { TraceEntry } from './types';

/** The original, obviously canonical definition the fast one must match byte for byte. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return value === undefined ? 'null' : JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const keys = Object.keys(value as object)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${reference((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

const leaf = fc.oneof(
  fc.integer(), fc.double(), fc.constantFrom(-0, NaN, Infinity, -Infinity), fc.string(), fc.boolean(), fc.constant(null), fc.constant(undefined),
);
const tree = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'b', 'a', '10', '2', 'é', 'payload')), tie('value'), { maxKeys: 6 }),
}));

function hashOfText(text: string): string {
  const hasher = new TraceHasher();
  hasher.update(text);
  return hasher.digest();
}

describe('canonicalJson', () => {
  it('matches the reference definition on arbitrary values', () => {
    fc.assert(fc.property(tree.value, (v) => canonicalJson(v) === reference(v)), { numRuns: 2000 });
  });

  it('matches it on sparse arrays and values without JSON', () => {
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    for (const v of [sparse, [() => 1, Symbol('s')], { f: () => 1 }, { a: [undefined, null] }]) expect(canonicalJson(v)).toBe(reference(v));
  });

  it('hashes a trace as the NDJSON of its entries', () => {
    const sim = pingPongSimulation(3);
    sim.runUntil(2_000);
    const hasher = new TraceHasher();
    hasher.update(Array.from(sim.trace).map(({ payload: _payload, ...e }) => `${reference(e)}\n`).join(''));
    expect(traceHash(sim.trace)).toBe(hasher.digest());
  });

  it('hashes arbitrary entries as the NDJSON of their reference JSON without a top-level payload (it hashes pieces, not that text)', () => {
    const entry = fc.dictionary(fc.constantFrom('step', 'time', 'type', 'payload', 'data', 'node', 'x'), tree.value, { maxKeys: 7 });
    fc.assert(fc.property(fc.array(entry, { maxLength: 4 }), (entries) => {
      const text = entries.map((e) => {
        const copy: Record<string, unknown> = { ...e };
        delete copy.payload;
        return `${reference(copy)}\n`;
      }).join('');
      return traceHash(entries as unknown as TraceEntry[]) === hashOfText(text);
    }), { numRuns: 1000 });
  });

  it('hashes a run the same whether message payloads were recorded or not', () => {
    const sim = pingPongSimulation(3);
    sim.runUntil(500);
    const without = Array.from(sim.trace, ({ payload: _payload, ...e }) => e);
    expect(sim.trace.some((e) => e.payload !== undefined)).toBe(true);
    expect(traceHash(sim.trace)).toBe(traceHash(without));
    // Anything else in an entry still counts.
    expect(traceHash(without.map((e, i) => (i === 5 ? { ...e, time: e.time + 1 } : e)))).not.toBe(traceHash(without));
  });
});
