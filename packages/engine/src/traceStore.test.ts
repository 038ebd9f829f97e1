import { describe, expect, it } from 'vitest';
import { canonicalJson, traceHash } from './trace';
import { dataOfFact, summaryOf, TraceStore } from './traceStore';
import { pingPongSimulation } from './testing/pingpong';
import type { TraceEntry } from './types';
import { expectSameEntry } from './testing/sameEntry';

/** Pushes each entry as the simulation would, by its kind. */
function storeOf(entries: TraceEntry[], payloads: 'summary' | 'full' = 'full'): TraceStore {
  const store = new TraceStore(payloads);
  for (const e of entries) {
    if (e.type === 'timer') store.pushTimer(e.step, e.time, e.node!, e.name as string);
    else if (e.type === 'record') store.pushRecord(e.step, e.time, e.node!, e.event as string, e.data);
    else if (e.type === 'deliver' || e.type === 'drop') {
      store.pushMessage(e.type, e.step, e.time, e.node!, e.from as string, e.msgId as number, (e.type === 'deliver' ? e.sentAt : e.reason) as number | string, 'payload' in e, e.payload);
    } else store.pushGeneric(e);
  }
  return store;
}

const nested = { isr: [1, 2, 3], deep: { a: [{ b: null }] } };
const awkward: TraceEntry[] = [
  { step: 0, time: 0, type: 'boot', node: 'n1' },
  { step: 1, time: 0, type: 'timer', node: 'n1', name: 'tick' },
  { step: 2, time: 5, type: 'record', node: 'n1', event: 'no-data' },
  { step: 2, time: 5, type: 'record', node: 'n1', event: 'zeros', data: { a: -0, b: 0, c: NaN, d: Infinity, e: -Infinity, f: 0.1 } },
  { step: 3, time: 5, type: 'record', node: 'n1', event: 'missing', data: { a: 1, b: undefined } },
  { step: 3, time: 5, type: 'record', node: 'n1', event: 'missing', data: { a: 1 } },
  { step: 3, time: 5, type: 'record', node: 'n1', event: 'order', data: { b: 1, a: 2 } },
  { step: 4, time: 6, type: 'record', node: 'n2', event: 'mixed', data: { v: 'x', w: true, x: false, y: null, z: 2 ** 40 } },
  { step: 4, time: 6, type: 'record', node: 'n2', event: 'mixed', data: { v: 1, w: 'true', x: -1, y: -(2 ** 28), z: 2 ** 28 } },
  { step: 5, time: 7, type: 'record', node: 'n2', event: 'nested', data: nested },
  { step: 5, time: 7, type: 'record', node: 'n2', event: 'array', data: [1, 2] },
  { step: 5, time: 7, type: 'record', node: 'n2', event: 'arrays', data: { ids: ['p:1', 'p:2'], empty: [], odd: [-0, undefined, null, true, 0.5, 2 ** 40], objects: [{ a: 1 }], holes: [1, , 3], long: Array.from({ length: 300 }, (_, i) => i) } }, // eslint-disable-line no-sparse-arrays
  { step: 5, time: 7, type: 'record', node: 'n2', event: 'number', data: 42 },
  { step: 5, time: 7, type: 'record', node: 'n2', event: 'proto', data: JSON.parse('{"__proto__": 1, "a": 2}') },
  { step: 6, time: 8, type: 'deliver', node: 'n2', from: 'n1', msgId: 1, sentAt: 6, payload: { api: 'Produce', n: 1, records: [{ v: 1 }] } },
  { step: 6, time: 8, type: 'deliver', node: 'n2', from: 'n1', msgId: 2, sentAt: 6, payload: 7 },
  { step: 6, time: 8, type: 'deliver', node: 'n2', from: 'n1', msgId: 3, sentAt: 6, payload: undefined },
  { step: 6, time: 8, type: 'deliver', node: 'n2', from: 'n1', msgId: 4, sentAt: 6 },
  { step: 7, time: 9, type: 'drop', node: 'n2', from: 'n1', msgId: 5, reason: 'partition', payload: { proto: 'zk', type: 'ping' } },
  { step: 7, time: 9, type: 'drop', node: 'n2', from: 'n1', msgId: 6, reason: 'loss' },
  { step: 8, time: 9.5, type: 'timer', node: 'n1', name: 'odd time' },
  { step: 8, time: 10, type: 'partition', sides: [['n1'], ['n2']] },
  { step: 9, time: 10, type: 'pause', node: 'n1', durationMs: undefined },
  { step: 9, time: 2 ** 33, type: 'record', node: 'n1', event: 'late', data: { a: 1 } },
];

describe('TraceStore', () => {
  it('gives back every entry as it was recorded: key order, -0, NaN, undefined-valued keys, nested data', () => {
    const store = storeOf(awkward);
    expect(store.length).toBe(awkward.length);
    awkward.forEach((e, i) => expectSameEntry(store.at(i), e, `entry ${i}`));
    expect([...store].map(canonicalJson)).toEqual(awkward.map(canonicalJson));
    expect(traceHash(store)).toBe(traceHash(awkward));
    // Nested objects are the objects recorded, by reference (as the entry object held them);
    // short arrays of primitives are stored inline and read back as equal copies.
    expect((store.at(9)!.data as typeof nested).deep).toBe(nested.deep);
    expect((store.at(9)!.data as typeof nested).isr).not.toBe(nested.isr);
  });

  it('reads like an array: negative at, out of range, slice, filter, find, some, stepAt', () => {
    const store = storeOf(awkward);
    expectSameEntry(store.at(-1), awkward.at(-1));
    expect(store.at(awkward.length)).toBeUndefined();
    expect(store.at(-awkward.length - 1)).toBeUndefined();
    for (const [a, b] of [[0, 3], [2, -2], [-3, undefined], [5, 2], [-100, 100]] as [number, number | undefined][]) {
      expect(store.slice(a, b).map(canonicalJson)).toEqual(awkward.slice(a, b).map(canonicalJson));
    }
    expect(store.filter((e) => e.type === 'record').length).toBe(awkward.filter((e) => e.type === 'record').length);
    expect(store.find((e) => e.type === 'drop')?.msgId).toBe(5);
    expect(store.some((e) => e.type === 'crash')).toBe(false);
    awkward.forEach((e, i) => expect(store.stepAt(i)).toBe(e.step));
  });

  it('keeps a payload as its top-level string fields in summary mode, not its graph', () => {
    const store = storeOf(awkward, 'summary');
    const summarised = awkward.map((e) => ('payload' in e ? { ...e, payload: summaryOf(e.payload) } : e));
    summarised.forEach((e, i) => expectSameEntry(store.at(i), e, `entry ${i}`));
    expect(store.at(14)!.payload).toEqual({ api: 'Produce' });
    expect(store.at(18)!.payload).toEqual({ proto: 'zk', type: 'ping' });
    expect(traceHash(store)).toBe(traceHash(awkward));
  });

  it('grows past one chunk of entries and of values without losing any', () => {
    const entries: TraceEntry[] = [];
    for (let i = 0; i < 150_000; i++) {
      const data: Record<string, unknown> = { i, s: `id-${i % 1000}` };
      for (let k = 0; k < i % 7; k++) data[`k${k}`] = k - 3;
      entries.push(i % 3 === 0 ? { step: i, time: i * 2, type: 'timer', node: 'n', name: 't' } : { step: i, time: i * 2, type: 'record', node: 'n', event: 'e', data });
    }
    const store = storeOf(entries);
    for (let i = 0; i < entries.length; i += 997) expectSameEntry(store.at(i), entries[i], `entry ${i}`);
    expect(traceHash(store)).toBe(traceHash(entries));
  });

  it('keeps an entry whole once names or shapes outgrow their 16-bit columns', () => {
    const entries: TraceEntry[] = [];
    for (let i = 0; i < 70_000; i++) entries.push({ step: i, time: i, type: 'record', node: `n${i}`, event: 'e', data: { [`k${i}`]: i } });
    const store = storeOf(entries);
    for (const i of [0, 32_766, 32_767, 32_768, 65_534, 65_535, 65_536, 69_999]) expectSameEntry(store.at(i), entries[i], `entry ${i}`);
    expect(traceHash(store)).toBe(traceHash(entries));
  });

  it('stores a fact given whole (pushFact) as pushRecord stores its fields without `event`', () => {
    const inherited = Object.assign(Object.create({ up: 1 }), { event: 'odd', a: 1 });
    const facts: Record<string, unknown>[] = [
      { event: 'append', topic: 't', partition: 0, ids: ['p:1', 'p:2'], nested },
      { event: 'append', topic: 't', partition: 1, ids: ['p:3'], nested },
      // Same event, other shapes: fewer keys, more keys, the same keys in another order, `event` not first.
      { event: 'append', topic: 't' },
      { event: 'append', topic: 't', partition: 2, ids: [], nested, extra: undefined },
      { partition: 3, event: 'append', topic: 't', ids: [], nested },
      { event: 'append', topic: 't', partition: 4, ids: ['p:4'], nested },
      // The same keys, a value an array only sometimes.
      { event: 'append', topic: 't', partition: 5, ids: 'p:5', nested: 0.5 },
      { event: 'append', topic: 't', partition: 6, ids: ['p:6', 6.5], nested },
      { event: 'bare' },
      { event: 'zeros', a: -0, b: NaN, c: 2 ** 40, d: 0.5 },
      JSON.parse('{"event": "proto", "__proto__": 1, "a": 2}'),
      Object.assign(Object.create(null), { event: 'no-prototype', a: 1 }),
      inherited,
      { event: 7, a: 1 },
    ];
    const store = new TraceStore('full');
    facts.forEach((f, i) => store.pushFact(i, i, 'n1', f));
    const expected: TraceEntry[] = facts.map((f, i) => ({ step: i, time: i, type: 'record', node: 'n1', event: f.event, data: dataOfFact(f) }));
    expect(store.length).toBe(facts.length);
    expected.forEach((e, i) => expectSameEntry(store.at(i), e, `fact ${i}`));
    expect(store.at(4)!.data).toEqual({ partition: 3, topic: 't', ids: [], nested });
    expect(store.at(12)!.data).toEqual({ a: 1, up: 1 });
    expect(traceHash(store)).toBe(traceHash(expected));
  });

  it('stores facts of one shape whose arrays reach past the end of an arena chunk, and shapes that change midway', () => {
    const facts: Record<string, unknown>[] = [];
    for (let i = 0; i < 3000; i++) {
      // 1 + 3 + 1 + 2..201 words: the arena's 65,536-word chunks end inside some facts' arrays.
      const ids = Array.from({ length: 1 + ((i * 37) % 200) }, (_, k) => `p:${i}:${k}`);
      if (i % 97 === 5) facts.push({ event: 'append', topic: 't', half: i + 0.5, ids, nested, extra: [i] }); // one more key
      else if (i % 97 === 6) facts.push({ event: 'append', topic: 't', half: i + 0.5, nested, ids }); // same keys, another order
      else facts.push({ event: 'append', topic: 't', half: i + 0.5, ids, nested });
    }
    const store = new TraceStore('full');
    facts.forEach((f, i) => store.pushFact(i, i, 'n1', f));
    const expected: TraceEntry[] = facts.map((f, i) => ({ step: i, time: i, type: 'record', node: 'n1', event: 'append', data: dataOfFact(f) }));
    expected.forEach((e, i) => expectSameEntry(store.at(i), e, `fact ${i}`));
    expect((store.at(7)!.data as typeof nested & { nested: unknown }).nested).toBe(nested);
  });

  it('fails the comparison when a value is altered (the check can fail)', () => {
    expect(() => expectSameEntry({ a: 0 }, { a: -0 })).toThrow();
    expect(() => expectSameEntry({ a: 1 }, { a: 1, b: undefined })).toThrow();
    expect(() => expectSameEntry({ b: 1, a: 2 }, { a: 2, b: 1 })).toThrow();
  });
});

describe('Simulation trace', () => {
  it('stores what a trace sink sees, entry for entry', () => {
    const seen: TraceEntry[] = [];
    const sim = pingPongSimulation(3, undefined, 200, { tracePayloads: 'full', traceSink: (e) => seen.push(e) });
    sim.runUntil(2_000);
    expect(seen.length).toBe(sim.trace.length);
    expect(seen.some((e) => e.type === 'deliver' && e.payload !== undefined)).toBe(true);
    seen.forEach((e, i) => expectSameEntry(sim.trace.at(i), e, `entry ${i}`));
    expect(traceHash(sim.trace)).toBe(traceHash(seen));
  });
});
