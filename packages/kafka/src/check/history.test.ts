/**
 * The client history derived from hand-built traces, and Jepsen's anomaly classes in the delivery
 * report: for each class a trace that has it and one that has not.
 */
import { describe, expect, it } from 'vitest';
import type { ModelFact } from '../events';
import { deliveryReport } from './delivery';
import { historyToEdn } from './edn';
import { clientHistory, type JepsenOp } from './history';
import type { JepsenClass } from './jepsen';
import { syntheticTrace as traceOf, type SyntheticItem } from './testing/syntheticTrace';

type Item = SyntheticItem;


const tp = { topic: 't', partition: 0 };
const request = (id: string, producer = 'p'): ModelFact => ({ event: 'produce-request', producer, id, key: null, topic: 't' });
const sent = (ids: string[], attempt = 1, producer = 'p'): ModelFact => ({ event: 'produce-send', ...tp, producer, ids, acks: '1', attempt });
const acked = (id: string, offset: number, producer = 'p'): ModelFact => ({ event: 'produce-acked', ...tp, producer, id, offset, acks: '1', leader: 'broker-1' });
const failed = (id: string, error: string): ModelFact => ({ event: 'produce-failed', producer: 'p', id, error, topic: 't' });
const polled = (member: string, offset: number, id: string): ModelFact => ({ event: 'consumed', ...tp, group: 'g', member, offset, id, key: null });
const appended = (broker: string, firstOffset: number, ids: string[]): ModelFact => ({
  event: 'append', ...tp, broker, role: 'leader', leaderEpoch: 0, firstOffset, lastOffset: firstOffset + ids.length - 1, ids,
});
/** Sends and acknowledges each id at the given offset, one after another. */
const produced = (pairs: [string, number][]): Item[] => pairs.flatMap(([id, offset]) => [request(id), sent([id]), acked(id, offset)]);

const counts = (items: (Item | Item[])[]) => deliveryReport(traceOf(items)).jepsen.counts;
const only = (c: Partial<Record<JepsenClass, number>>) => ({
  'inconsistent-offsets': 0, duplicate: 0, 'lost-write': 0, unseen: 0, G1a: 0, 'poll-skip': 0, 'nonmonotonic-poll': 0, 'nonmonotonic-send': 0,
  'int-poll-skip': 0, 'int-nonmonotonic-poll': 0, ...c,
});

describe('the client history', () => {
  it('has an invoke and a completion per send, a subscribe before the first poll, one poll per poll()', () => {
    const { ops } = clientHistory(traceOf([...produced([['p:0', 0], ['p:1', 1]]), [polled('c-1', 0, 'p:0'), polled('c-1', 1, 'p:1')]]));
    const brief = (op: JepsenOp) => [op.process, op.type, op.f, op.value];
    expect(ops.map(brief)).toEqual([
      [0, 'invoke', 'send', [['send', 't-0', 'p:0']]],
      [0, 'ok', 'send', [['send', 't-0', [0, 'p:0']]]],
      [0, 'invoke', 'send', [['send', 't-0', 'p:1']]],
      [0, 'ok', 'send', [['send', 't-0', [1, 'p:1']]]],
      [1, 'invoke', 'subscribe', ['t-0']],
      [1, 'ok', 'subscribe', ['t-0']],
      [1, 'invoke', 'poll', [['poll']]],
      [1, 'ok', 'poll', [['poll', { 't-0': [[0, 'p:0'], [1, 'p:1']] }]]],
    ]);
    expect(ops.map((op) => op.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(ops[1].time).toBe(30 * 1_000_000);
  });

  it('gives concurrent sends their own processes, and a lane whose send ended :info a new one', () => {
    const { ops } = clientHistory(traceOf([
      request('p:0'), request('p:1'), sent(['p:0', 'p:1']), acked('p:1', 0),
      failed('p:0', 'REQUEST_TIMED_OUT'), request('p:2'), request('p:3'), sent(['p:2', 'p:3']),
    ]));
    expect(ops.map((op) => [op.value[0], op.type, op.process, op.error])).toEqual([
      [['send', 't-0', 'p:0'], 'invoke', 0, undefined],
      [['send', 't-0', 'p:1'], 'invoke', 1, undefined],
      [['send', 't-0', [0, 'p:1']], 'ok', 1, undefined],
      [['send', 't-0', 'p:0'], 'info', 0, 'request-timed-out'],
      // p:2 takes the lowest free lane (lane 0, retired after :info: process 2), p:3 lane 1.
      [['send', 't-0', 'p:2'], 'invoke', 2, undefined],
      [['send', 't-0', 'p:3'], 'invoke', 1, undefined],
      // Both never answered: indeterminate when the run ends.
      [['send', 't-0', 'p:2'], 'info', 2, 'unfinished'],
      [['send', 't-0', 'p:3'], 'info', 1, 'unfinished'],
    ]);
  });

  it('ends the sends of a crashed producer :info and gives it new processes after the restart', () => {
    const { ops } = clientHistory(traceOf([
      request('p:0'), request('p:1'), sent(['p:0', 'p:1']), acked('p:1', 0), { engine: 'crash', node: 'p' }, { engine: 'restart', node: 'p' },
      request('p:2'), request('p:3'), sent(['p:2', 'p:3']), acked('p:2', 1), acked('p:3', 2),
    ]));
    expect(ops.map((op) => [op.value[0], op.type, op.process, op.error])).toEqual([
      [['send', 't-0', 'p:0'], 'invoke', 0, undefined],
      [['send', 't-0', 'p:1'], 'invoke', 1, undefined],
      [['send', 't-0', [0, 'p:1']], 'ok', 1, undefined],
      [['send', 't-0', 'p:0'], 'info', 0, 'crashed'],
      // Process 1 was idle at the crash: it ends all the same.
      [['send', 't-0', 'p:2'], 'invoke', 2, undefined],
      [['send', 't-0', 'p:3'], 'invoke', 3, undefined],
      [['send', 't-0', [1, 'p:2']], 'ok', 2, undefined],
      [['send', 't-0', [2, 'p:3']], 'ok', 3, undefined],
    ]);
  });

  it('fails a send only when no attempt can have been appended', () => {
    const typeOf = (items: Item[]) => clientHistory(traceOf(items)).ops.find((op) => op.type !== 'invoke')!.type;
    expect(typeOf([request('p:0'), sent(['p:0']), failed('p:0', 'NOT_ENOUGH_REPLICAS')])).toBe('fail');
    expect(typeOf([request('p:0'), sent(['p:0']), sent(['p:0'], 2), failed('p:0', 'NOT_ENOUGH_REPLICAS')])).toBe('info');
    expect(typeOf([request('p:0'), sent(['p:0']), failed('p:0', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND')])).toBe('info');
    expect(typeOf([request('p:0'), sent(['p:0']), failed('p:0', 'DELIVERY_TIMEOUT')])).toBe('info');
  });

  it('leaves out a send that never got a partition, and a read of a record no producer sent', () => {
    const h = clientHistory(traceOf([request('p:0'), failed('p:0', 'METADATA_TIMEOUT'), polled('c-1', 0, 'x>out')]));
    expect(h.sendsWithoutKey).toEqual(['p:0']);
    expect(h.readsWithoutSend).toEqual(['x>out']);
    expect(h.ops.filter((op) => op.f === 'send')).toEqual([]);
  });

  it('writes EDN that reads back to the same operations', () => {
    const { ops } = clientHistory(traceOf([
      ...produced([['p:0', 0]]), request('p:"1"'), sent(['p:"1"']), failed('p:"1"', 'NOT_LEADER_OR_FOLLOWER'), polled('c-1', 0, 'p:0'),
    ]));
    const lines = historyToEdn(ops).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(ops.length);
    const parsed = lines.map((line) => readEdn(line));
    // Keywords read back as { kw }, EDN nil as null; the JS op written the same way must match.
    const asEdn = (op: JepsenOp) => ({
      index: op.index, time: op.time, type: { kw: op.type }, process: op.process, f: { kw: op.f },
      value: op.f === 'subscribe' ? op.value : op.value.map((mop) => [{ kw: mop[0] }, ...mop.slice(1)]),
      node: op.node, step: op.step, ...(op.error ? { error: { kw: op.error } } : {}),
    });
    expect(parsed).toEqual(ops.map(asEdn));
    expect(lines[3]).toBe('{:index 3, :time 60000000, :type :fail, :process 0, :f :send, :value [[:send "t-0" "p:\\"1\\""]], :node "p", :step 6, :error :not-leader-or-follower}');
  });
});

describe("Jepsen's anomaly classes in the delivery report", () => {
  it('inconsistent-offsets: two records acknowledged at one offset', () => {
    expect(counts(produced([['p:0', 0], ['p:1', 0]]))['inconsistent-offsets']).toBe(1);
    expect(counts(produced([['p:0', 0], ['p:1', 1]]))['inconsistent-offsets']).toBe(0);
  });

  it('duplicate: a record polled at two offsets', () => {
    const dup = [request('p:0'), sent(['p:0']), sent(['p:0'], 2), acked('p:0', 1), [polled('c-1', 0, 'p:0'), polled('c-1', 1, 'p:0')]];
    // Read at its first offset, the duplicate sits at its last one in the version order: within that poll it goes back.
    expect(counts(dup)).toEqual(only({ duplicate: 1, 'int-nonmonotonic-poll': 1 }));
    expect(counts([...produced([['p:0', 0], ['p:1', 1]]), [polled('c-1', 0, 'p:0'), polled('c-1', 1, 'p:1')]])).toEqual(only({}));
  });

  it('lost-write: an acknowledged record below one that was polled, never polled itself', () => {
    const base = produced([['p:0', 0], ['p:1', 1], ['p:2', 2]]);
    const report = deliveryReport(traceOf([...base, [polled('c-1', 0, 'p:0'), polled('c-1', 2, 'p:2')]]));
    // Within one poll the gap is Jepsen's int-poll-skip, not poll-skip (which is between polls).
    expect(report.jepsen.counts).toEqual(only({ 'lost-write': 1, unseen: 1, 'int-poll-skip': 1 }));
    expect(report.jepsen.cases.find((c) => c.class === 'int-poll-skip')!.text)
      .toBe('c-1 (process 1) polled t-0 p:2 right after p:0 in one poll, 1 record(s) apart in the version order: p:1');
    const lost = report.jepsen.cases.find((c) => c.class === 'lost-write')!;
    expect(lost.records).toEqual(['p:1']);
    expect(lost.text).toBe('t-0: p:1 (acknowledged, index 1) was never polled, though c-1 (process 1) polled up to index 2');
    expect(report.jepsen.valid).toBe(false);
    expect(report.jepsen.badClasses).toEqual(['lost-write', 'unseen', 'int-poll-skip']);
    const r = report.records.find((x) => x.id === 'p:1')!;
    expect(r.anomalies).toEqual(['lost-write', 'int-poll-skip', 'unseen']);
    expect(r.causes.map((c) => c.text)).toEqual(['p sent it (attempt 1)', 'acknowledged (acks=1) by broker-1 at offset 1']);
    // Polled up to p:1 only: p:2 above the highest read is unseen, not lost.
    expect(counts([...base, [polled('c-1', 0, 'p:0'), polled('c-1', 1, 'p:1')]])).toEqual(only({ unseen: 1 }));
  });

  it('unseen: an acknowledged record no poll returned', () => {
    const report = deliveryReport(traceOf([...produced([['p:0', 0], ['p:1', 1]]), polled('c-1', 0, 'p:0')]));
    expect(report.jepsen.counts).toEqual(only({ unseen: 1 }));
    expect(report.jepsen.unseen).toEqual([{ key: 't-0', count: 1, records: ['p:1'] }]);
    expect(report.jepsen.history).toEqual({ operations: 8, processes: 2, polls: 1, sendsWithoutKey: 0, readsWithoutSend: 0 });
    expect(counts([...produced([['p:0', 0], ['p:1', 1]]), [polled('c-1', 0, 'p:0'), polled('c-1', 1, 'p:1')]]).unseen).toBe(0);
  });

  it('G1a: a poll returns a record whose send failed for certain', () => {
    const refused = [request('p:0'), sent(['p:0']), appended('broker-1', 0, ['p:0']), failed('p:0', 'NOT_ENOUGH_REPLICAS'), polled('c-1', 0, 'p:0')];
    const report = deliveryReport(traceOf(refused));
    expect(report.jepsen.counts).toEqual(only({ G1a: 1 }));
    expect(report.jepsen.cases[0].text).toBe('t-0: p:0 failed (not-enough-replicas) yet c-1 (process 1) polled it');
    expect(report.records[0].causes.map((c) => c.text)).toEqual(['p sent it (attempt 1)', 'broker-1 appended it at offset 0', 'p gave up on it: NOT_ENOUGH_REPLICAS']);
    // Retried after an attempt with no answer: indeterminate, so reading it is no aborted read.
    const retried = [request('p:0'), sent(['p:0']), sent(['p:0'], 2), failed('p:0', 'NOT_ENOUGH_REPLICAS'), polled('c-1', 0, 'p:0')];
    expect(counts(retried)).toEqual(only({}));
  });

  it('poll-skip: a consumer polls on past a record it never read', () => {
    const base = produced([['p:0', 0], ['p:1', 1], ['p:2', 2]]);
    const other = [polled('c-2', 1, 'p:1')];
    const report = deliveryReport(traceOf([...base, polled('c-1', 0, 'p:0'), ...other, polled('c-1', 2, 'p:2')]));
    expect(report.jepsen.counts).toEqual(only({ 'poll-skip': 1 }));
    expect(report.jepsen.cases[0]).toEqual({ class: 'poll-skip', key: 't-0', records: ['p:1'], text: 'c-1 (process 1) polled t-0 from p:2 after p:0, 1 record(s) apart in the version order: p:1' });
    expect(report.jepsen.valid).toBe(true);
    expect(counts([...base, polled('c-1', 0, 'p:0'), polled('c-1', 1, 'p:1'), polled('c-1', 2, 'p:2')])).toEqual(only({}));
  });

  it('nonmonotonic-poll: a consumer polls a record again; after a crash it is a new process and may', () => {
    const base = produced([['p:0', 0], ['p:1', 1]]);
    const report = deliveryReport(traceOf([...base, [polled('c-1', 0, 'p:0'), polled('c-1', 1, 'p:1')], polled('c-1', 1, 'p:1')]));
    expect(report.jepsen.counts).toEqual(only({ 'nonmonotonic-poll': 1 }));
    expect(report.jepsen.cases[0].text).toBe('c-1 (process 1) polled t-0 up to p:1, then went back to p:1 (1 record(s) read again)');
    const crashed = [...base, [polled('c-1', 0, 'p:0'), polled('c-1', 1, 'p:1')], { engine: 'crash', node: 'c-1' }, polled('c-1', 1, 'p:1')];
    expect(counts(crashed)).toEqual(only({}));
  });

  it('nonmonotonic-send: a process sends again and the record lands before its previous one', () => {
    const report = deliveryReport(traceOf(produced([['p:0', 1], ['p:1', 0]])));
    expect(report.jepsen.counts).toEqual(only({ 'nonmonotonic-send': 1, unseen: 2 }));
    expect(report.jepsen.cases[0].text).toBe('p (process 0) sent p:0, then p:1, which landed 1 position(s) before it');
    // In flight at once (two processes): Kafka may order them either way.
    const concurrent = [request('p:0'), request('p:1'), sent(['p:0', 'p:1']), acked('p:0', 1), acked('p:1', 0)];
    expect(counts(concurrent)).toEqual(only({ unseen: 2 }));
  });
});

/** A tiny EDN reader for the subset the history uses: maps, vectors, strings, keywords, integers, nil. */
function readEdn(text: string): unknown {
  let i = 0;
  const skip = () => { while (i < text.length && /[\s,]/.test(text[i])) i++; };
  const value = (): unknown => {
    skip();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      const items: unknown[] = [];
      for (skip(); text[i] !== close; skip()) {
        if (i >= text.length) throw new Error(`unclosed ${c}`);
        items.push(value());
      }
      i++;
      if (c === '[') return items;
      if (items.length % 2 !== 0) throw new Error('a map needs key/value pairs');
      const map: Record<string, unknown> = {};
      for (let k = 0; k < items.length; k += 2) {
        const key = items[k] as { kw?: string } | string;
        map[typeof key === 'string' ? key : key.kw!] = items[k + 1];
      }
      return map;
    }
    if (c === '"') {
      let s = '';
      for (i++; text[i] !== '"'; i++) {
        if (i >= text.length) throw new Error('unclosed string');
        if (text[i] === '\\') s += ({ n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' } as Record<string, string>)[text[++i]];
        else s += text[i];
      }
      i++;
      return s;
    }
    const token = /^[^\s,{}[\]"]+/.exec(text.slice(i))![0];
    i += token.length;
    if (token === 'nil') return null;
    if (token.startsWith(':')) return { kw: token.slice(1) };
    if (/^-?\d+$/.test(token)) return Number(token);
    throw new Error(`unexpected token ${token}`);
  };
  const v = value();
  skip();
  if (i !== text.length) throw new Error(`trailing text at ${i}`);
  return v;
}
