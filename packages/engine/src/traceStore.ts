import { InternTable } from './internTable';
import { RecentStrings } from './recentStrings';
import type { NodeId, TraceEntry } from './types';

/**
 * What a reader of a trace needs: its length, an entry by position, iteration and a slice.
 * A plain array of entries is one (a trace parsed from a file, a synthetic trace in a test);
 * the simulation's TraceStore is the other. Readers iterate once where they can: the store
 * builds each entry when it is read.
 */
export interface Trace extends Iterable<TraceEntry> {
  readonly length: number;
  at(index: number): TraceEntry | undefined;
  slice(start?: number, end?: number): TraceEntry[];
}

/**
 * How a message's payload is kept in memory. 'summary': a fresh object with only the payload's
 * top-level string fields (what names it: `api`, `proto`/`type`/`op`, an error code), so the
 * payload's graph (records, batches, partition lists) is not kept alive by the trace; a
 * primitive payload is kept as is. 'full': the payload object itself, by reference (tests that
 * read what was sent). Either way the trace hash skips payloads; a trace sink sees them whole.
 */
export type TracePayloads = 'summary' | 'full';

// Entry kinds: the common shapes get columns; anything else is kept as the object it was.
const GENERIC = 0;
const TIMER = 1;
const DELIVER = 2;
const DROP = 3;
const RECORD = 4;

// A value is one 32-bit word: a 3-bit tag and 29 bits (a small integer, a string id, an index).
const T_INT = 0;
const T_STRING = 1;
const T_DOUBLE = 2;
const T_REF = 3;
const T_NULL = 4;
const T_UNDEFINED = 5;
const T_BOOLEAN = 6; // 1 true, 0 false
/** An array of primitives, inline: its length and items follow in the same arena chunk. */
const T_ARRAY = 7;
/** Longest array kept inline (a record's ids, an ISR); longer ones are kept by reference. */
const INLINE_ARRAY_MAX = 256;
const SMALL_MIN = -(2 ** 28);
const SMALL_MAX = 2 ** 28 - 1;
const INDEX_MAX = 2 ** 29 - 1;

// How an entry's data (a record's `data`, a message's `payload`) is held, in its `shape` column.
const NO_VALUE = -1; // the key is absent
const ONE_VALUE = -2; // one value (a primitive, or a reference) in the value arena
// >= 0: a shape (an ordered key list); its values follow in the arena.

/** Entries per chunk: columns grow a chunk at a time, never copied (no doubling spikes). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
const MAX_UINT32 = 0xffffffff;
/** Past this many names or shapes an entry is kept whole (generic): the columns hold 16 bits. */
const MAX_NAME = 0xffff;
const MAX_SHAPE = 0x7fff;
/** First string values (API names) whose summary shape is remembered. */
const MAX_SUMMARY_KINDS = 4096;

interface Chunk {
  step: Uint32Array;
  time: Uint32Array;
  kind: Uint8Array;
  /** Name ids (see TraceStore.names): few, so 16 bits. */
  node: Uint16Array;
  /** timer: name; deliver/drop: from; record: event (name ids). */
  head: Uint16Array;
  /** The data or payload: NO_VALUE, ONE_VALUE or a shape id. */
  shape: Int16Array;
  /** Where the entry's values start in the arena; generic: index into refs. */
  offset: Uint32Array;
}

interface ShapeNode {
  next: Map<string, ShapeNode>;
  id: number;
}

function newChunk(): Chunk {
  return {
    step: new Uint32Array(CHUNK), time: new Uint32Array(CHUNK), kind: new Uint8Array(CHUNK), node: new Uint16Array(CHUNK),
    head: new Uint16Array(CHUNK), shape: new Int16Array(CHUNK), offset: new Uint32Array(CHUNK),
  };
}

const isUint32 = (n: unknown): n is number => typeof n === 'number' && n >= 0 && n <= MAX_UINT32 && Number.isInteger(n) && !Object.is(n, -0);

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The simulation's trace, in columns: per entry its step, time, kind, node and the fields of
 * the common kinds (a timer's name; a message's sender, id, send time or drop reason; a fact's
 * event), strings kept by id (RecentStrings: a cache, no Map), and a fact's `data` as a shape (its ordered key list, shared
 * by every entry with those keys) plus one 32-bit word per value. Nested values are kept by
 * reference, as the entry object held them before. Reading builds the entry object again,
 * equal to the one recorded (same keys in the same order, -0, undefined-valued keys, NaN), so
 * canonical JSON and trace hashes do not change. Appending never copies what is stored.
 */
export class TraceStore implements Trace {
  private count = 0;
  private readonly chunks: Chunk[] = [];
  /** Values' strings (record ids, topics...); id 0 is ''. A string may have more than one id. */
  private readonly stringTable = new RecentStrings();
  private readonly strings = this.stringTable.strings;
  /** Node ids, event and timer names: a few dozen in a run. Past MAX_NAME an entry is kept whole. */
  private readonly nameTable = new InternTable(MAX_NAME + 1);
  private readonly names = this.nameTable.strings;
  private readonly refs: unknown[] = [];
  private readonly doubles: number[] = [];
  private readonly shapes: string[][] = [];
  private readonly shapeRoot: ShapeNode = { next: new Map(), id: -1 };
  /** By a payload's first string value (its API name): the shape of the last summary seen with it. */
  private readonly summaryShapeByFirst = new Map<string, number>();
  private noStringShape: number | undefined = undefined;
  /** The values of the summary summaryShape last matched, in its shape's order: pushMessage writes them without reading the payload again. */
  private readonly summaryValues: string[] = [];
  /** By event name id: the shape of its last fact. */
  private readonly lastShapeOfEvent: number[] = [];
  /** What shapeOfFact found the fact's values take in the arena (its inline arrays too): pushFact's second result. */
  private factWords = 0;
  /** The value arena, in chunks of CHUNK words; an entry's values never straddle two chunks. */
  private readonly values: Int32Array[] = [];
  private valueCount = 0;
  /** The chunk entries are appended to (set by the first append). */
  private last!: Chunk;

  constructor(private readonly payloads: TracePayloads = 'summary') {
    this.stringTable.idOf('');
  }

  get length(): number {
    return this.count;
  }

  /**
   * The id `name` has among node, event and timer names, -1 past MAX_NAME of them. A caller
   * that traces one node many times looks its id up once (at the node's first entry, so ids
   * are given in the same order) and passes it as the push methods' `nodeId`, so an entry
   * does not hash its node's name. The answer never changes: a name keeps its id, and a name
   * that got -1 (the table was full) gets -1 again.
   */
  nameIdOf(name: string): number {
    return this.nameTable.idOf(name);
  }

  /** `nodeId` (here and in the other push methods): nameIdOf(node), by default looked up. */
  pushTimer(step: number, time: number, node: NodeId, name: string, nodeId = this.nameId(node)): void {
    const nameId = typeof name === 'string' ? this.nameId(name) : -1;
    if (nameId === -1 || nodeId === -1 || !isUint32(time)) return this.pushGeneric({ step, time, type: 'timer', node, name });
    const j = this.open(step, time, TIMER, nodeId);
    const chunk = this.last;
    chunk.head[j] = nameId;
    chunk.shape[j] = NO_VALUE;
  }

  /**
   * A delivered or dropped message. `payload` is recorded when `withPayload`: as the store's
   * TracePayloads says. `third` is the delivery's send time or the drop's reason.
   */
  pushMessage(type: 'deliver' | 'drop', step: number, time: number, node: NodeId, from: NodeId, msgId: number, third: number | string, withPayload: boolean, payload: unknown, nodeId = this.nameId(node)): void {
    const deliver = type === 'deliver';
    const fromId = typeof from === 'string' ? this.nameId(from) : -1;
    let keys: string[] | null = null;
    let shape = NO_VALUE;
    if (withPayload) {
      if (this.payloads === 'summary' && payload !== null && typeof payload === 'object') {
        shape = this.summaryShape(payload as Record<string, unknown>);
        keys = this.shapes[shape];
      } else {
        shape = ONE_VALUE;
      }
    }
    if (nodeId === -1 || fromId === -1 || shape > MAX_SHAPE || !isUint32(time) || !isUint32(msgId) || (deliver ? typeof third !== 'number' : typeof third !== 'string')) {
      const entry: TraceEntry = deliver ? { step, time, type, node, from, msgId, sentAt: third } : { step, time, type, node, from, msgId, reason: third };
      if (withPayload) entry.payload = this.payloads === 'full' ? payload : summaryOf(payload);
      return this.pushGeneric(entry);
    }
    const j = this.open(step, time, deliver ? DELIVER : DROP, nodeId);
    const chunk = this.last;
    chunk.head[j] = fromId;
    const offset = this.reserve(2 + (shape === ONE_VALUE ? 1 : keys ? keys.length : 0));
    chunk.shape[j] = shape;
    chunk.offset[j] = offset;
    const block = this.values[offset >>> CHUNK_BITS];
    const o = offset & CHUNK_MASK;
    block[o] = this.word(msgId);
    block[o + 1] = deliver ? this.word(third) : this.word(this.intern(third as string));
    if (shape === ONE_VALUE) block[o + 2] = this.word(payload);
    else if (keys) {
      const values = this.summaryValues;
      for (let k = 0; k < keys.length; k++) block[o + 2 + k] = this.word(values[k]);
    }
  }

  /** A model fact; `data` absent when the node recorded none. */
  pushRecord(step: number, time: number, node: NodeId, event: string, data: unknown): void {
    const nodeId = this.nameId(node);
    const eventId = typeof event === 'string' ? this.nameId(event) : -1;
    const keys = data && typeof data === 'object' && !Array.isArray(data) && isPlainObject(data) ? ownKeysOf(data) : null;
    const shape = !data ? NO_VALUE : keys === null ? ONE_VALUE : eventId === -1 ? this.shapeOf(keys) : this.shapeOfEvent(eventId, keys);
    if (nodeId === -1 || eventId === -1 || shape > MAX_SHAPE || !isUint32(time)) {
      return this.pushGeneric(data ? { step, time, type: 'record', node, event, data } : { step, time, type: 'record', node, event });
    }
    const j = this.open(step, time, RECORD, nodeId);
    const chunk = this.last;
    chunk.head[j] = eventId;
    chunk.shape[j] = shape;
    if (!data) return;
    if (keys === null) {
      const offset = this.reserve(1 + (Array.isArray(data) ? inlineWords(data) : 0));
      chunk.offset[j] = offset;
      this.put(this.values[offset >>> CHUNK_BITS], offset & CHUNK_MASK, data, (offset & CHUNK_MASK) + 1);
      return;
    }
    this.putFields(chunk, j, data as Record<string, unknown>, keys);
  }

  /**
   * A model fact given whole: `fact.event` is the event and the fact's other fields, in for-in
   * order, are the data, stored exactly as pushRecord stores that copy (what emit made before)
   * but without making it: facts are written several times a step. A fact whose fields do not
   * fit a shape (not a plain object, a `__proto__` key) goes through pushRecord with the copy.
   */
  pushFact(step: number, time: number, node: NodeId, fact: Record<string, unknown>, nodeId = this.nameId(node)): void {
    const event = fact.event;
    const eventId = typeof event === 'string' ? this.nameId(event) : -1;
    if (eventId !== -1 && nodeId !== -1 && isUint32(time) && isUint32(step) && Object.getPrototypeOf(fact) === Object.prototype) {
      const last = this.lastShapeOfEvent[eventId];
      if (last !== undefined && last <= MAX_SHAPE) {
        const offset = this.putFactAs(last, fact);
        if (offset !== -1) {
          const j = this.open(step, time, RECORD, nodeId);
          const chunk = this.last;
          chunk.head[j] = eventId;
          chunk.shape[j] = last;
          chunk.offset[j] = offset;
          return;
        }
      }
    }
    const shape = eventId === -1 || Object.getPrototypeOf(fact) !== Object.prototype ? -1 : this.shapeOfFact(eventId, fact);
    if (shape < 0 || shape > MAX_SHAPE || nodeId === -1 || !isUint32(time)) return this.pushRecord(step, time, node, event as string, dataOfFact(fact));
    const j = this.open(step, time, RECORD, nodeId);
    const chunk = this.last;
    chunk.head[j] = eventId;
    chunk.shape[j] = shape;
    this.putFactFields(chunk, j, fact, this.shapes[shape].length, this.factWords);
  }

  /** Any other entry (engine control entries, odd values): kept as a copy of the object. */
  pushGeneric(entry: TraceEntry): void {
    const j = this.open(isUint32(entry.step) ? entry.step : 0, 0, GENERIC, 0);
    this.last.offset[j] = this.refs.length;
    this.refs.push(Object.assign({}, entry));
  }

  at(index: number): TraceEntry | undefined {
    const i = index < 0 ? this.count + index : index;
    if (!(i >= 0 && i < this.count)) return undefined;
    const chunk = this.chunks[i >>> CHUNK_BITS];
    const j = i & CHUNK_MASK;
    const kind = chunk.kind[j];
    if (kind === GENERIC) return Object.assign({}, this.refs[chunk.offset[j]] as TraceEntry);
    const step = chunk.step[j];
    const time = chunk.time[j];
    const node = this.names[chunk.node[j]];
    const head = this.names[chunk.head[j]];
    const shape = chunk.shape[j];
    if (kind === TIMER) return { step, time, type: 'timer', node, name: head };
    const offset = chunk.offset[j];
    if (kind === RECORD) {
      if (shape === NO_VALUE) return { step, time, type: 'record', node, event: head };
      return { step, time, type: 'record', node, event: head, data: this.dataAt(shape, offset) };
    }
    const block = this.values[offset >>> CHUNK_BITS];
    const o = offset & CHUNK_MASK;
    const msgId = this.valueOf(block[o], block) as number;
    const entry: TraceEntry = kind === DELIVER
      ? { step, time, type: 'deliver', node, from: head, msgId, sentAt: this.valueOf(block[o + 1], block) }
      : { step, time, type: 'drop', node, from: head, msgId, reason: this.strings[this.valueOf(block[o + 1], block) as number] };
    if (shape !== NO_VALUE) entry.payload = this.dataAt(shape, offset + 2);
    return entry;
  }

  *[Symbol.iterator](): IterableIterator<TraceEntry> {
    for (let i = 0; i < this.count; i++) yield this.at(i)!;
  }

  /** The entries of [start, end) as objects, like Array.prototype.slice. */
  slice(start = 0, end = this.count): TraceEntry[] {
    const from = clampIndex(start, this.count);
    const to = clampIndex(end, this.count);
    const out: TraceEntry[] = [];
    for (let i = from; i < to; i++) out.push(this.at(i)!);
    return out;
  }

  /** The entries that pass `test`, in one pass (only those are built to keep). */
  filter(test: (entry: TraceEntry, index: number) => unknown): TraceEntry[] {
    const out: TraceEntry[] = [];
    for (let i = 0; i < this.count; i++) {
      const entry = this.at(i)!;
      if (test(entry, i)) out.push(entry);
    }
    return out;
  }

  find(test: (entry: TraceEntry, index: number) => unknown): TraceEntry | undefined {
    for (let i = 0; i < this.count; i++) {
      const entry = this.at(i)!;
      if (test(entry, i)) return entry;
    }
    return undefined;
  }

  some(test: (entry: TraceEntry, index: number) => unknown): boolean {
    return this.find(test) !== undefined;
  }

  /** The step of entry `index` without building the entry (binary searches over steps). */
  stepAt(index: number): number {
    const chunk = this.chunks[index >>> CHUNK_BITS];
    const j = index & CHUNK_MASK;
    return chunk.kind[j] === GENERIC ? (this.refs[chunk.offset[j]] as TraceEntry).step : chunk.step[j];
  }

  /** Starts entry number `count` in the last chunk (this.last) and returns its position there. */
  private open(step: number, time: number, kind: number, nodeId: number): number {
    if (!isUint32(step)) throw new Error(`trace: step ${step} is not an integer in [0, 2^32)`);
    const j = this.count & CHUNK_MASK;
    if (j === 0) this.chunks.push((this.last = newChunk()));
    this.count += 1;
    const chunk = this.last;
    chunk.step[j] = step;
    chunk.time[j] = time;
    chunk.kind[j] = kind;
    chunk.node[j] = nodeId;
    return j;
  }

  /** Room for `words` consecutive values in one arena chunk: returns where they start. */
  private reserve(words: number): number {
    if (words > CHUNK) throw new Error(`trace: an entry with ${words} values (at most ${CHUNK})`);
    let block = this.valueCount >>> CHUNK_BITS;
    let start = this.valueCount & CHUNK_MASK;
    if (start + words > CHUNK) {
      // What is left of this chunk stays unused: an entry's values never straddle two chunks.
      block += 1;
      start = 0;
    }
    while (this.values.length <= block) this.values.push(new Int32Array(CHUNK));
    const offset = block * CHUNK + start;
    this.valueCount = offset + words;
    return offset;
  }

  /** The id of a node, event or timer name; -1 past MAX_NAME names (the entry is then kept whole). */
  private nameId(name: string): number {
    return this.nameTable.idOf(name);
  }

  private intern(s: string): number {
    return this.stringTable.idOf(s);
  }

  /** Writes `record[keys[k]]` for every key (inline arrays after them) as entry j's values. */
  private putFields(chunk: Chunk, j: number, record: Record<string, unknown>, keys: string[]): void {
    let words = keys.length;
    for (let k = 0; k < keys.length; k++) { const v = record[keys[k]]; if (Array.isArray(v)) words += inlineWords(v); }
    const offset = this.reserve(words);
    chunk.offset[j] = offset;
    const block = this.values[offset >>> CHUNK_BITS];
    const o = offset & CHUNK_MASK;
    let tail = o + keys.length;
    for (let k = 0; k < keys.length; k++) tail = this.put(block, o + k, record[keys[k]], tail);
  }

  /**
   * putFields for a fact whose fields but `event` are its shape's `count` keys, in for-in order,
   * taking `words` arena words with its inline arrays (shapeOfFact counted them). Reads each
   * value in a for-in over the fact itself, which V8 serves from the object's enum cache;
   * `fact[keys[k]]` is a keyed load that facts of many shapes make megamorphic.
   */
  private putFactFields(chunk: Chunk, j: number, fact: Record<string, unknown>, count: number, words: number): void {
    const offset = this.reserve(words);
    chunk.offset[j] = offset;
    const block = this.values[offset >>> CHUNK_BITS];
    let o = offset & CHUNK_MASK;
    let tail = o + count;
    for (const key in fact) {
      if (key === 'event') continue;
      tail = this.put(block, o, fact[key], tail);
      o += 1;
    }
  }

  /**
   * Writes the fact's values to the arena as the values of `shape`, the last shape of its
   * event, in the one walk over the fact that checks its keys are that shape's, and returns
   * where they start; -1, keeping nothing, when its keys differ or its inline arrays do not fit
   * what is left of the arena chunk (pushFact then takes the way that finds the shape first).
   * Strings it interned before giving up keep their ids: ids are never read back, the strings are.
   */
  private putFactAs(shape: number, fact: Record<string, unknown>): number {
    const keys = this.shapes[shape];
    const count = keys.length;
    if (count > CHUNK) return -1;
    let offset = this.valueCount;
    if ((offset & CHUNK_MASK) + count > CHUNK) offset = ((offset >>> CHUNK_BITS) + 1) * CHUNK;
    const b = offset >>> CHUNK_BITS;
    while (this.values.length <= b) this.values.push(new Int32Array(CHUNK));
    const block = this.values[b];
    const o = offset & CHUNK_MASK;
    const doubles = this.doubles.length;
    const refs = this.refs.length;
    let tail = o + count;
    let n = 0;
    for (const key in fact) {
      if (key === 'event') continue;
      if (n === count || keys[n] !== key) return this.dropValuesPast(doubles, refs);
      const v = fact[key];
      if (Array.isArray(v)) {
        const words = inlineWords(v);
        if (tail + words > CHUNK) return this.dropValuesPast(doubles, refs);
        tail = this.putArray(block, o + n, v, tail, words);
      } else {
        block[o + n] = this.word(v);
      }
      n += 1;
    }
    if (n !== count) return this.dropValuesPast(doubles, refs);
    this.valueCount = b * CHUNK + tail;
    return offset;
  }

  /** Forgets the doubles and nested values kept since there were `doubles` and `refs` of them (putFactAs gave up): returns -1. */
  private dropValuesPast(doubles: number, refs: number): number {
    this.doubles.length = doubles;
    this.refs.length = refs;
    return -1;
  }

  /**
   * The shape of a fact's fields but `event`, or -1 when they cannot be one (a `__proto__` key);
   * sets factWords to the arena words its values take. The event's last shape is matched by
   * walking the fact's keys (no key array is made), in the same walk that counts the words:
   * an event's facts nearly always have one shape.
   */
  private shapeOfFact(eventId: number, fact: Record<string, unknown>): number {
    const last = this.lastShapeOfEvent[eventId];
    if (last !== undefined && this.matchFact(this.shapes[last], fact)) return last;
    const keys: string[] = [];
    let words = 0;
    for (const key in fact) {
      if (key === '__proto__') return -1;
      if (key === 'event') continue;
      keys.push(key);
      const v = fact[key];
      words += Array.isArray(v) ? 1 + inlineWords(v) : 1;
    }
    this.factWords = words;
    const shape = this.shapeOf(keys);
    this.lastShapeOfEvent[eventId] = shape;
    return shape;
  }

  /** Whether the fact's keys but `event`, in for-in order, are `keys`; if so, sets factWords as shapeOfFact does. */
  private matchFact(keys: string[], fact: Record<string, unknown>): boolean {
    let n = 0;
    let words = keys.length;
    for (const key in fact) {
      if (key === 'event') continue;
      if (n === keys.length || keys[n] !== key) return false;
      const v = fact[key];
      if (Array.isArray(v)) words += inlineWords(v);
      n += 1;
    }
    this.factWords = words;
    return n === keys.length;
  }

  /** An event's facts nearly always have one shape: checked against the last one before the trie. */
  private shapeOfEvent(eventId: number, keys: string[]): number {
    const last = this.lastShapeOfEvent[eventId];
    if (last !== undefined) {
      const known = this.shapes[last];
      let same = known.length === keys.length;
      for (let k = 0; same && k < keys.length; k++) same = known[k] === keys[k];
      if (same) return last;
    }
    const shape = this.shapeOf(keys);
    this.lastShapeOfEvent[eventId] = shape;
    return shape;
  }

  /**
   * The shape of a payload's summary (its top-level string fields), whose values it leaves in
   * summaryValues. Matched, in one walk over the payload that also takes the values and
   * without making a key list, against the shape last seen with the same first string value
   * (the API name, nearly always): a kind of message nearly always has one summary shape.
   */
  private summaryShape(payload: Record<string, unknown>): number {
    if (Object.getPrototypeOf(payload) !== Object.prototype) return this.summaryOfKeys(payload, stringKeysOf(payload));
    const values = this.summaryValues;
    let first: string | undefined;
    let known = this.noStringShape;
    let n = 0;
    for (const key in payload) {
      const value = payload[key];
      if (typeof value !== 'string') continue;
      if (n === 0) {
        first = value;
        known = this.summaryShapeByFirst.get(value);
        if (known === undefined) break;
      }
      const keys = this.shapes[known!];
      if (n === keys.length || keys[n] !== key) {
        known = undefined;
        break;
      }
      values[n] = value;
      n += 1;
    }
    if (known !== undefined && n === this.shapes[known].length) return known;
    const shape = this.summaryOfKeys(payload, stringKeysOf(payload));
    if (first === undefined) this.noStringShape = shape;
    // Bounded, in case a first string is not a name but an id that never repeats.
    else if (this.summaryShapeByFirst.size < MAX_SUMMARY_KINDS) this.summaryShapeByFirst.set(first, shape);
    return shape;
  }

  /** The shape of `keys`, the payload's string fields, whose values it leaves in summaryValues. */
  private summaryOfKeys(payload: Record<string, unknown>, keys: string[]): number {
    const values = this.summaryValues;
    for (let k = 0; k < keys.length; k++) values[k] = payload[keys[k]] as string;
    return this.shapeOf(keys);
  }

  private shapeOf(keys: string[]): number {
    let node = this.shapeRoot;
    for (let k = 0; k < keys.length; k++) {
      let next = node.next.get(keys[k]);
      if (next === undefined) node.next.set(keys[k], (next = { next: new Map(), id: -1 }));
      node = next;
    }
    if (node.id === -1) {
      node.id = this.shapes.length;
      this.shapes.push(keys.slice());
    }
    return node.id;
  }

  private word(value: unknown): number {
    switch (typeof value) {
      case 'number':
        if (Number.isInteger(value) && value >= SMALL_MIN && value <= SMALL_MAX && !Object.is(value, -0)) return (value << 3) | T_INT;
        return this.indexed(T_DOUBLE, this.doubles, value);
      case 'string': {
        const id = this.intern(value);
        return id <= INDEX_MAX ? (id << 3) | T_STRING : this.indexed(T_REF, this.refs, value);
      }
      case 'boolean': return value ? (1 << 3) | T_BOOLEAN : T_BOOLEAN;
      case 'undefined': return T_UNDEFINED;
      default: return value === null ? T_NULL : this.indexed(T_REF, this.refs, value);
    }
  }

  private indexed(tag: number, list: unknown[], value: unknown): number {
    if (list.length > INDEX_MAX) throw new Error(`trace: more than ${INDEX_MAX} ${tag === T_DOUBLE ? 'non-integer numbers' : 'nested values'}`);
    list.push(value);
    return ((list.length - 1) << 3) | tag;
  }

  private arrayAt(block: Int32Array, at: number): unknown[] {
    const n = block[at];
    const items = new Array<unknown>(n);
    for (let k = 0; k < n; k++) items[k] = this.valueOf(block[at + 1 + k], block);
    return items;
  }

  /** Writes `value`'s word at o; an inline array goes at `tail` (its length, then its items). Returns the new tail. */
  private put(block: Int32Array, o: number, value: unknown, tail: number): number {
    if (!Array.isArray(value)) {
      block[o] = this.word(value);
      return tail;
    }
    return this.putArray(block, o, value, tail, inlineWords(value));
  }

  /** put for an array that takes `words` (its inlineWords): 0, by reference. */
  private putArray(block: Int32Array, o: number, value: unknown[], tail: number, words: number): number {
    if (words === 0) {
      block[o] = this.word(value);
      return tail;
    }
    block[o] = (tail << 3) | T_ARRAY;
    block[tail] = value.length;
    for (let k = 0; k < value.length; k++) block[tail + 1 + k] = this.word(value[k]);
    return tail + 1 + value.length;
  }

  private valueOf(word: number, block: Int32Array): unknown {
    switch (word & 7) {
      case T_INT: return word >> 3;
      case T_STRING: return this.strings[word >>> 3];
      case T_DOUBLE: return this.doubles[word >>> 3];
      case T_REF: return this.refs[word >>> 3];
      case T_NULL: return null;
      case T_UNDEFINED: return undefined;
      case T_BOOLEAN: return word >>> 3 === 1;
      default: return this.arrayAt(block, word >>> 3);
    }
  }

  private dataAt(shape: number, offset: number): unknown {
    const block = this.values[offset >>> CHUNK_BITS];
    const o = offset & CHUNK_MASK;
    if (shape === ONE_VALUE) return this.valueOf(block[o], block);
    const keys = this.shapes[shape];
    const data: Record<string, unknown> = {};
    for (let k = 0; k < keys.length; k++) data[keys[k]] = this.valueOf(block[o + k], block);
    return data;
  }
}

/** Arena words an array takes inline (its length and items), or 0 when it is kept by reference: long, sparse, or holding objects. */
function inlineWords(items: unknown[]): number {
  if (items.length > INLINE_ARRAY_MAX) return 0;
  for (let k = 0; k < items.length; k++) {
    const v = items[k];
    if ((v !== null && typeof v === 'object') || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint' || !(k in items)) return 0;
  }
  return 1 + items.length;
}

function clampIndex(i: number, length: number): number {
  const n = Math.trunc(i) || 0;
  return n < 0 ? Math.max(0, length + n) : Math.min(n, length);
}

/** The fact without `event`, keys in for-in order: what a fact's data is. */
export function dataOfFact(fact: Record<string, unknown>): Record<string, unknown> {
  // A loop, as object rest (`{ event, ...data }`) takes a slow runtime path in V8.
  const data: Record<string, unknown> = {};
  for (const key in fact) if (key !== 'event') data[key] = fact[key];
  return data;
}

/** A plain object's own keys, or null when one of them cannot be set back by assignment. */
function ownKeysOf(data: Record<string, unknown>): string[] | null {
  const keys = Object.keys(data);
  for (let k = 0; k < keys.length; k++) if (keys[k] === '__proto__') return null;
  return keys;
}

/** The payload's top-level string fields, in order (what names the message). */
function stringKeysOf(payload: Record<string, unknown>): string[] {
  const keys: string[] = [];
  for (const key of Object.keys(payload)) if (typeof payload[key] === 'string' && key !== '__proto__') keys.push(key);
  return keys;
}

/** What the store keeps of a payload in 'summary' mode, as an object (for entries kept whole). */
export function summaryOf(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object') return payload;
  const record = payload as Record<string, unknown>;
  const summary: Record<string, unknown> = {};
  for (const key of stringKeysOf(record)) summary[key] = record[key];
  return summary;
}
