/**
 * Jepsen's Kafka anomaly classes (jepsen.tests.kafka/analysis), ported function by function so
 * that a history gets the same verdict here as from Jepsen's checker: inconsistent-offsets,
 * duplicate, lost-write, unseen, G1a, poll-skip, nonmonotonic-poll, nonmonotonic-send. All are
 * per key (topic-partition); and within one poll, int-poll-skip and int-nonmonotonic-poll. Jepsen's
 * other classes need transactions or multi-record sends in the history (int-send-*, precommitted-read)
 * or Elle's cycle search (G0, G1c...): not here.
 *
 * Where several values share an offset, Jepsen's version order keeps "the first" of their hash
 * set; clojureSetOrder picks the same one, so that sends and polls of the others are judged as
 * Jepsen judges them.
 */
import { clojureSetOrder } from './clojureSetOrder';
import type { JepsenKey, JepsenOp, OpType, PollOp, SendOp } from './history';

export const jepsenClasses = [
  'inconsistent-offsets', 'duplicate', 'lost-write', 'unseen', 'G1a', 'poll-skip', 'nonmonotonic-poll', 'nonmonotonic-send',
] as const;
/** Jepsen's checks inside one poll: consecutive records of a key that skip or go back in the version order. */
export const jepsenWithinPollClasses = ['int-poll-skip', 'int-nonmonotonic-poll'] as const;
export type JepsenClass = (typeof jepsenClasses)[number] | (typeof jepsenWithinPollClasses)[number];

/**
 * Jepsen's allowed-error-types for a test whose consumers subscribe (as kafkasim's groups do): a
 * rebalance may legitimately move a consumer backwards or past records another member read.
 */
export const allowedWithSubscribe: readonly JepsenClass[] = ['poll-skip', 'nonmonotonic-poll'];

/** A key's version order. log: offset -> the values seen there; byIndex: dense index -> value; byValue: value -> its last dense index. */
export interface VersionOrder {
  log: (string[] | undefined)[];
  byIndex: string[];
  byValue: Map<string, number>;
}

export interface InconsistentOffset { key: JepsenKey; offset: number; index: number; values: string[] }
export interface Duplicate { key: JepsenKey; value: string; count: number; offsets: number[] }
export interface LostWrite { key: JepsenKey; value: string; index: number; maxReadIndex: number; writer: JepsenOp; maxRead: JepsenOp | null }
export interface AbortedRead { key: JepsenKey; value: string; writer: JepsenOp; reader: JepsenOp }
/** Jepsen's poll-skip has no :values; here the last value of the first poll and the first of the next. */
export interface PollSkip { key: JepsenKey; values: [string, string]; delta: number; skipped: string[]; ops: [JepsenOp, JepsenOp] }
export interface NonmonotonicPoll { key: JepsenKey; values: [string, string]; delta: number; ops: [JepsenOp, JepsenOp] }
export interface NonmonotonicSend { key: JepsenKey; values: [string, string]; delta: number; ops: [JepsenOp, JepsenOp] }
export interface IntPollCase { key: JepsenKey; values: [string, string]; delta: number; skipped?: string[]; op: JepsenOp }
export interface Unseen { time: number; unseen: Record<JepsenKey, number>; messages: Record<JepsenKey, string[]> }

export interface JepsenAnalysis {
  'inconsistent-offsets': InconsistentOffset[];
  duplicate: Duplicate[];
  'lost-write': LostWrite[];
  /** Acknowledged sends no poll ever returned, at the end of the history (null when there are none). */
  unseen: Unseen | null;
  G1a: AbortedRead[];
  'poll-skip': PollSkip[];
  'nonmonotonic-poll': NonmonotonicPoll[];
  'nonmonotonic-send': NonmonotonicSend[];
  'int-poll-skip': IntPollCase[];
  'int-nonmonotonic-poll': IntPollCase[];
  versionOrders: Map<JepsenKey, VersionOrder>;
}

type KeyValues = Map<JepsenKey, string[]>;
type ByType = Map<OpType, Map<JepsenKey, Set<string>>>;

const isSend = (op: JepsenOp): op is SendOp => op.f === 'send';
const isPoll = (op: JepsenOp): op is PollOp => op.f === 'poll';

/** op-writes: key -> the values the op sent to it, in order. */
export function opWrites(op: JepsenOp): KeyValues {
  const out: KeyValues = new Map();
  if (!isSend(op)) return out;
  for (const [, k, v] of op.value) {
    if (!out.has(k)) out.set(k, []);
    out.get(k)!.push(typeof v === 'string' ? v : v[1]);
  }
  return out;
}

/** op-reads: key -> the values the op polled from it, in order. */
export function opReads(op: JepsenOp): KeyValues {
  const out: KeyValues = new Map();
  if (!isPoll(op)) return out;
  for (const mop of op.value) {
    if (mop.length < 2) continue;
    for (const [k, pairs] of Object.entries(mop[1]!)) {
      if (!out.has(k)) out.set(k, []);
      for (const [, v] of pairs) out.get(k)!.push(v);
    }
  }
  return out;
}

function byType(history: readonly JepsenOp[], pick: (op: JepsenOp) => KeyValues, f: JepsenOp['f']): ByType {
  const out: ByType = new Map();
  for (const op of history) {
    if (op.type === 'invoke' || op.f !== f) continue;
    if (!out.has(op.type)) out.set(op.type, new Map());
    const keys = out.get(op.type)!;
    for (const [k, vs] of pick(op)) {
      if (!keys.has(k)) keys.set(k, new Set());
      for (const v of vs) keys.get(k)!.add(v);
    }
  }
  return out;
}

/** must-have-committed?: the op was :ok, or :info and some value it sent was read by an :ok poll. */
function mustHaveCommitted(readsByType: ByType, op: JepsenOp): boolean {
  if (op.type === 'ok') return true;
  if (op.type !== 'info') return false;
  const ok = readsByType.get('ok');
  for (const [k, vs] of opWrites(op)) if (vs.some((v) => ok?.get(k)?.has(v))) return true;
  return false;
}

/** version-orders: offsets from sends we know took effect, and from every poll. */
function versionOrders(history: readonly JepsenOp[], readsByType: ByType): { orders: Map<JepsenKey, VersionOrder>; errors: InconsistentOffset[] } {
  const logs = new Map<JepsenKey, (string[] | undefined)[]>();
  const note = (k: JepsenKey, offset: number, value: string) => {
    if (!logs.has(k)) logs.set(k, []);
    const log = logs.get(k)!;
    const values = log[offset];
    if (!values) log[offset] = [value];
    else if (!values.includes(value)) values.push(value);
  };
  for (const op of history) {
    if (isSend(op)) {
      if (!mustHaveCommitted(readsByType, op)) continue;
      for (const [, k, v] of op.value) if (typeof v !== 'string' && v[0] !== null) note(k, v[0], v[1]);
    } else if (isPoll(op)) {
      for (const mop of op.value) {
        if (mop.length < 2) continue;
        for (const [k, pairs] of Object.entries(mop[1]!)) for (const [offset, v] of pairs) note(k, offset, v);
      }
    }
  }
  const orders = new Map<JepsenKey, VersionOrder>();
  const errors: InconsistentOffset[] = [];
  for (const [k, log] of logs) {
    const byIndex: string[] = [];
    const byValue = new Map<string, number>();
    for (let offset = 0; offset < log.length; offset++) {
      const values = log[offset];
      if (!values) continue;
      if (values.length >= 2) errors.push({ key: k, offset, index: byIndex.length, values: [...values].sort() });
      const first = clojureSetOrder(values)[0];
      byValue.set(first, byIndex.length);
      byIndex.push(first);
    }
    orders.set(k, { log, byIndex, byValue });
  }
  return { orders, errors };
}

function writerOf(history: readonly JepsenOp[]): Map<JepsenKey, Map<string, JepsenOp>> {
  const out = new Map<JepsenKey, Map<string, JepsenOp>>();
  for (const op of history) {
    if (op.type === 'invoke') continue;
    for (const [k, vs] of opWrites(op)) {
      if (!out.has(k)) out.set(k, new Map());
      for (const v of vs) out.get(k)!.set(v, op);
    }
  }
  return out;
}

function readersOf(history: readonly JepsenOp[]): Map<JepsenKey, Map<string, JepsenOp[]>> {
  const out = new Map<JepsenKey, Map<string, JepsenOp[]>>();
  for (const op of history) {
    if (op.type === 'invoke') continue;
    for (const [k, vs] of opReads(op)) {
      if (!out.has(k)) out.set(k, new Map());
      const byValue = out.get(k)!;
      for (const v of vs) {
        if (!byValue.has(v)) byValue.set(v, []);
        byValue.get(v)!.push(op);
      }
    }
  }
  return out;
}

/** g1a-cases: a value an :ok poll read although its send :failed. */
function abortedReads(history: readonly JepsenOp[], writesByType: ByType, writers: Map<JepsenKey, Map<string, JepsenOp>>): AbortedRead[] {
  const failed = writesByType.get('fail');
  const out: AbortedRead[] = [];
  if (!failed) return out;
  for (const op of history) {
    if (op.type !== 'ok' || !isPoll(op)) continue;
    for (const [k, vs] of opReads(op)) {
      for (const v of vs) if (failed.get(k)?.has(v)) out.push({ key: k, value: v, writer: writers.get(k)!.get(v)!, reader: op });
    }
  }
  return out;
}

/**
 * lost-write-cases: a poll that read the value at index i means every value at or below i should
 * have been read by some poll; a value that was not, and whose send must have taken effect, is lost.
 * A value seen at several offsets counts at its last one (so it is not flagged for having moved).
 */
function lostWrites(
  readsByType: ByType, orders: Map<JepsenKey, VersionOrder>, writers: Map<JepsenKey, Map<string, JepsenOp>>, readers: Map<JepsenKey, Map<string, JepsenOp[]>>,
): LostWrite[] {
  const out: LostWrite[] = [];
  for (const [k, read] of readsByType.get('ok') ?? []) {
    const vo = orders.get(k);
    if (!vo) continue;
    const firstIndex = new Map<string, number>();
    const lastIndex = new Map<string, number>();
    let i = 0;
    for (const values of vo.log) {
      if (!values) continue;
      for (const v of values) {
        if (!firstIndex.has(v)) firstIndex.set(v, i);
        lastIndex.set(v, i);
      }
      i++;
    }
    const lastIndexValues: string[][] = [];
    for (const [v, at] of lastIndex) (lastIndexValues[at] ??= []).push(v);
    lastIndexValues.forEach((vs, at) => (lastIndexValues[at] = clojureSetOrder(vs)));
    let bound = -1;
    for (const v of read) if (firstIndex.has(v)) bound = Math.max(bound, firstIndex.get(v)!);
    if (bound < 0) continue;
    const maxValue = lastIndexValues[bound]?.[0];
    const maxRead = maxValue !== undefined ? readers.get(k)?.get(maxValue)?.[0] ?? null : null;
    for (let at = 0; at <= bound; at++) {
      for (const v of lastIndexValues[at] ?? []) {
        if (read.has(v)) continue;
        const writer = writers.get(k)?.get(v);
        // Jepsen throws on a value without a writer; the history writer leaves such reads out.
        if (!writer || !mustHaveCommitted(readsByType, writer)) continue;
        out.push({ key: k, value: v, index: firstIndex.get(v)!, maxReadIndex: bound, writer, maxRead });
      }
    }
  }
  return out;
}

/** Ops grouped by process, each group in history order, the groups by first appearance. */
function byProcess(history: readonly JepsenOp[]): JepsenOp[][] {
  const groups = new Map<number, JepsenOp[]>();
  for (const op of history) {
    if (!groups.has(op.process)) groups.set(op.process, []);
    groups.get(op.process)!.push(op);
  }
  return [...groups.values()];
}

const deltaOf = (i: number | undefined, j: number | undefined) => (i !== undefined && j !== undefined ? j - i : 1);

/**
 * poll-skip+nonmonotonic-cases: each process's polls of a key should go on where its previous
 * poll of that key stopped. An assign or subscribe keeps only the keys it still covers.
 */
function pollSkipsAndNonmonotonic(history: readonly JepsenOp[], orders: Map<JepsenKey, VersionOrder>): { skips: PollSkip[]; nonmonotonic: NonmonotonicPoll[] } {
  const skips: PollSkip[] = [];
  const nonmonotonic: NonmonotonicPoll[] = [];
  for (const ops of byProcess(history)) {
    let lastReads = new Map<JepsenKey, JepsenOp>();
    for (const op of ops) {
      if (op.f === 'subscribe') {
        if (op.type !== 'invoke' && op.type !== 'fail') lastReads = new Map([...lastReads].filter(([k]) => op.value.includes(k)));
        continue;
      }
      if (!isPoll(op)) continue;
      const reads = opReads(op);
      for (const [k, vs] of reads) {
        const lastOp = lastReads.get(k);
        if (!lastOp) continue;
        const vo = orders.get(k)!;
        const previous = opReads(lastOp).get(k)!;
        const v = previous[previous.length - 1];
        const next = vs[0];
        const i = vo.byValue.get(v);
        const j = vo.byValue.get(next);
        const delta = deltaOf(i, j);
        if (delta > 1) skips.push({ key: k, values: [v, next], delta, skipped: vo.byIndex.slice(i! + 1, j!), ops: [lastOp, op] });
        if (delta < 1) nonmonotonic.push({ key: k, values: [v, next], delta, ops: [lastOp, op] });
      }
      if (op.type === 'ok') for (const k of reads.keys()) lastReads.set(k, op);
    }
  }
  return { skips, nonmonotonic };
}

/**
 * int-poll-skip+nonmonotonic-cases: within one poll, each record of a key should directly follow
 * the previous one in the version order. (Jepsen exempts keys in the op's :rebalance-log; the
 * history has none: a kafkasim poll returns records of partitions the consumer still owns.)
 */
function intPollSkipsAndNonmonotonic(history: readonly JepsenOp[], orders: Map<JepsenKey, VersionOrder>): { skips: IntPollCase[]; nonmonotonic: IntPollCase[] } {
  const skips: IntPollCase[] = [];
  const nonmonotonic: IntPollCase[] = [];
  for (const op of history) {
    for (const [k, vs] of opReads(op)) {
      const vo = orders.get(k)!;
      for (let n = 1; n < vs.length; n++) {
        const i = vo.byValue.get(vs[n - 1]);
        const j = vo.byValue.get(vs[n]);
        const delta = deltaOf(i, j);
        if (delta > 1) skips.push({ key: k, values: [vs[n - 1], vs[n]], delta, skipped: vo.byIndex.slice(i! + 1, j!), op });
        if (delta < 1) nonmonotonic.push({ key: k, values: [vs[n - 1], vs[n]], delta, op });
      }
    }
  }
  return { skips, nonmonotonic };
}

/** nonmonotonic-send-cases: a process's next send to a key landing at or before its previous one. */
function nonmonotonicSends(history: readonly JepsenOp[], orders: Map<JepsenKey, VersionOrder>): NonmonotonicSend[] {
  const out: NonmonotonicSend[] = [];
  for (const ops of byProcess(history.filter((op) => op.type === 'ok' || op.type === 'info'))) {
    let lastSends = new Map<JepsenKey, JepsenOp>();
    for (const op of ops) {
      if (op.f === 'subscribe') {
        lastSends = new Map([...lastSends].filter(([k]) => op.value.includes(k)));
        continue;
      }
      if (!isSend(op)) continue;
      const sends = opWrites(op);
      for (const [k, vs] of sends) {
        const lastOp = lastSends.get(k);
        if (!lastOp) continue;
        const previous = opWrites(lastOp).get(k)!;
        const v = previous[previous.length - 1];
        const next = vs[0];
        const vo = orders.get(k);
        const delta = deltaOf(vo?.byValue.get(v), vo?.byValue.get(next));
        if (delta < 1) out.push({ key: k, values: [v, next], delta, ops: [lastOp, op] });
      }
      for (const k of sends.keys()) lastSends.set(k, op);
    }
  }
  return out;
}

/** duplicate-cases: a value seen at more than one offset of a key. */
function duplicates(orders: Map<JepsenKey, VersionOrder>): Duplicate[] {
  const out: Duplicate[] = [];
  for (const [k, vo] of orders) {
    const offsets = new Map<string, number[]>();
    vo.log.forEach((values, offset) => {
      for (const v of values ?? []) {
        if (!offsets.has(v)) offsets.set(v, []);
        offsets.get(v)!.push(offset);
      }
    });
    for (const [v, at] of offsets) if (at.length > 1) out.push({ key: k, value: v, count: at.length, offsets: at });
  }
  return out;
}

/**
 * unseen: after the last :ok send or poll, the values sent :ok that no :ok poll returned.
 * Departure: Jepsen folds `(merge-with set/difference sent polled)` op by op, which for a key no
 * :ok send has reached yet keeps the *polled* values as unseen until the next op; when that op is
 * the last one, Jepsen reports read values as unseen. Here a key only polled has nothing unseen,
 * as the definition says ("acknowledged, but not polled by any client").
 */
function unseen(history: readonly JepsenOp[]): Unseen | null {
  const sent = new Map<JepsenKey, Set<string>>();
  const polled = new Map<JepsenKey, Set<string>>();
  let time: number | null = null;
  for (const op of history) {
    if (op.type !== 'ok' || (op.f !== 'send' && op.f !== 'poll')) continue;
    time = op.time;
    for (const [k, vs] of opWrites(op)) {
      if (!sent.has(k)) sent.set(k, new Set());
      for (const v of vs) sent.get(k)!.add(v);
    }
    for (const [k, vs] of opReads(op)) {
      if (!polled.has(k)) polled.set(k, new Set());
      for (const v of vs) polled.get(k)!.add(v);
    }
  }
  if (time === null) return null;
  const counts: Record<JepsenKey, number> = {};
  const messages: Record<JepsenKey, string[]> = {};
  for (const k of [...sent.keys()].sort()) {
    const vs = [...sent.get(k)!].filter((v) => !polled.get(k)?.has(v)).sort();
    if (vs.length === 0) continue;
    counts[k] = vs.length;
    messages[k] = vs;
  }
  return Object.keys(counts).length > 0 ? { time, unseen: counts, messages } : null;
}

export function jepsenAnalysis(history: readonly JepsenOp[]): JepsenAnalysis {
  const writesByType = byType(history, opWrites, 'send');
  const readsByType = byType(history, opReads, 'poll');
  const { orders, errors } = versionOrders(history, readsByType);
  const writers = writerOf(history);
  const readers = readersOf(history);
  const { skips, nonmonotonic } = pollSkipsAndNonmonotonic(history, orders);
  const within = intPollSkipsAndNonmonotonic(history, orders);
  return {
    'inconsistent-offsets': errors,
    duplicate: duplicates(orders),
    'lost-write': lostWrites(readsByType, orders, writers, readers),
    unseen: unseen(history),
    G1a: abortedReads(history, writesByType, writers),
    'poll-skip': skips,
    'nonmonotonic-poll': nonmonotonic,
    'nonmonotonic-send': nonmonotonicSends(history, orders),
    'int-poll-skip': within.skips,
    'int-nonmonotonic-poll': within.nonmonotonic,
    versionOrders: orders,
  };
}

/** How many cases of each class, as Jepsen's condensed result counts them (unseen: messages). */
export function jepsenCounts(a: JepsenAnalysis): Record<JepsenClass, number> {
  const counts = {} as Record<JepsenClass, number>;
  for (const c of [...jepsenClasses, ...jepsenWithinPollClasses]) {
    counts[c] = c === 'unseen' ? Object.values(a.unseen?.unseen ?? {}).reduce((x, y) => x + y, 0) : a[c].length;
  }
  return counts;
}
