/**
 * The port of jepsen.tests.kafka's analysis, checked on the histories of Jepsen's own tests
 * (jepsen/test/jepsen/tests/kafka_test.clj: inconsistent-offsets-test, g1a-test, lost-write-test,
 * poll-skip-test), with keyword values written as strings.
 */
import { describe, expect, it } from 'vitest';
import type { JepsenOp, OpType, PollMop, SendMop } from './history';
import { jepsenAnalysis } from './jepsen';

/** kafka_test.clj's `o`: index, process, type, f, value (time = index). */
function o(index: number, process: number, type: OpType, f: 'send' | 'poll', value: (SendMop | PollMop)[]): JepsenOp {
  return { index, time: index, process, type, f, value, node: `n${process}`, step: index } as JepsenOp;
}
const poll = (reads: Record<string, [number, string][]>): PollMop => ['poll', reads];

describe("Jepsen's kafka_test.clj cases", () => {
  it('inconsistent-offsets: an :info send conflicts only once a poll proves it took effect', () => {
    const send1 = o(0, 0, 'invoke', 'send', [['send', 'x', '1'], ['send', 'y', '1']]);
    const send1done = o(1, 0, 'info', 'send', [['send', 'x', [0, '1']], ['send', 'y', '1']]);
    const send2 = o(2, 1, 'invoke', 'send', [['send', 'x', '2']]);
    const send2done = o(3, 1, 'ok', 'send', [['send', 'x', [0, '2']]]);
    expect(jepsenAnalysis([send1, send1done, send2, send2done])['inconsistent-offsets']).toEqual([]);
    const poll1 = o(4, 2, 'invoke', 'poll', [['poll']]);
    const poll1done = o(5, 2, 'ok', 'poll', [poll({ y: [[5, '1']] })]);
    expect(jepsenAnalysis([send1, send1done, send2, send2done, poll1, poll1done])['inconsistent-offsets'])
      .toEqual([{ key: 'x', index: 0, offset: 0, values: ['1', '2'] }]);
  });

  it('G1a: a poll observes a failed write', () => {
    const send = o(0, 0, 'invoke', 'send', [['send', 'x', '2'], ['send', 'y', '3']]);
    const sendFailed = o(1, 0, 'fail', 'send', [['send', 'x', '2'], ['send', 'y', '3']]);
    const p = o(2, 1, 'invoke', 'poll', [['poll']]);
    const pDone = o(3, 1, 'ok', 'poll', [poll({ x: [[0, '2']] })]);
    expect(jepsenAnalysis([send, sendFailed, p, pDone]).G1a).toEqual([{ reader: pDone, writer: sendFailed, key: 'x', value: '2' }]);
  });

  it('lost-write, consistent: reading c at offset 2 means a and b should have been read', () => {
    const ops = [
      o(0, 0, 'invoke', 'send', [['send', 'x', 'a']]),
      o(1, 0, 'ok', 'send', [['send', 'x', [0, 'a']]]),
      o(2, 0, 'invoke', 'send', [['send', 'x', 'b'], ['send', 'x', 'd']]),
      o(3, 0, 'ok', 'send', [['send', 'x', [1, 'b']], ['send', 'x', [3, 'd']]]),
      o(4, 1, 'invoke', 'send', [['send', 'x', 'c']]),
      o(5, 1, 'info', 'send', [['send', 'x', 'c']]),
      o(6, 0, 'invoke', 'poll', [['poll']]),
      o(7, 0, 'ok', 'poll', [poll({ x: [[2, 'c']] })]),
    ];
    expect(jepsenAnalysis(ops)['lost-write']).toEqual([
      { key: 'x', value: 'a', index: 0, maxReadIndex: 2, writer: ops[1], maxRead: ops[7] },
      { key: 'x', value: 'b', index: 1, maxReadIndex: 2, writer: ops[3], maxRead: ops[7] },
    ]);
  });

  it('lost-write, inconsistent: a overwritten by b at offset 0 is still lost', () => {
    const ops = [
      o(0, 0, 'invoke', 'send', [['send', 'x', 'a']]),
      o(1, 0, 'ok', 'send', [['send', 'x', [0, 'a']]]),
      o(2, 0, 'invoke', 'send', [['send', 'x', 'b'], ['send', 'x', 'c']]),
      o(3, 0, 'ok', 'send', [['send', 'x', [0, 'b']], ['send', 'x', [2, 'c']]]),
      o(4, 0, 'invoke', 'poll', [['poll']]),
      o(5, 0, 'ok', 'poll', [poll({ x: [[0, 'b'], [2, 'c']] })]),
    ];
    expect(jepsenAnalysis(ops)['lost-write']).toEqual([{ key: 'x', value: 'a', index: 0, maxReadIndex: 1, writer: ops[1], maxRead: ops[5] }]);
  });

  it('lost-write, atomic: an :info send counts once one of its values was read', () => {
    const sendAb = o(0, 0, 'invoke', 'send', [['send', 'x', 'a'], ['send', 'y', 'b']]);
    const sendAbDone = o(1, 0, 'info', 'send', [['send', 'x', 'a'], ['send', 'y', [0, 'b']]]);
    const sendC = o(2, 1, 'invoke', 'send', [['send', 'y', 'c']]);
    const sendCDone = o(3, 1, 'info', 'send', [['send', 'y', 'c']]);
    const pollA = o(4, 2, 'invoke', 'poll', [['poll']]);
    const pollADone = o(5, 2, 'ok', 'poll', [poll({ x: [[0, 'a']] })]);
    const pollC = o(6, 3, 'invoke', 'poll', [['poll']]);
    const pollCDone = o(7, 3, 'ok', 'poll', [poll({ y: [[1, 'c']] })]);
    expect(jepsenAnalysis([sendAb, sendAbDone, sendC, sendCDone, pollC, pollCDone])['lost-write']).toEqual([]);
    expect(jepsenAnalysis([sendAb, sendAbDone, sendC, sendCDone, pollA, pollADone, pollC, pollCDone])['lost-write'])
      .toEqual([{ key: 'y', value: 'b', index: 0, maxReadIndex: 1, writer: sendAbDone, maxRead: pollCDone }]);
  });

  it('lost-write: a value only a failed poll saw, sent with no answer, is not lost (the double-check)', () => {
    const ops = [
      o(0, 0, 'invoke', 'send', [['send', 'x', 'b']]),
      o(1, 0, 'info', 'send', [['send', 'x', 'b']]),
      o(2, 1, 'invoke', 'send', [['send', 'x', 'c']]),
      o(3, 1, 'ok', 'send', [['send', 'x', [1, 'c']]]),
      // Version orders take every poll, even a failed one: b is at index 0, below the c read next.
      o(4, 2, 'invoke', 'poll', [['poll']]),
      o(5, 2, 'fail', 'poll', [poll({ x: [[0, 'b']] })]),
      o(6, 3, 'invoke', 'poll', [['poll']]),
      o(7, 3, 'ok', 'poll', [poll({ x: [[1, 'c']] })]),
    ];
    expect(jepsenAnalysis(ops)['lost-write']).toEqual([]);
    const acked = ops.map((op) => (op.index === 1 ? o(1, 0, 'ok', 'send', [['send', 'x', [0, 'b']]]) : op));
    expect(jepsenAnalysis(acked)['lost-write'].map((c) => c.value)).toEqual(['b']);
  });

  it("nonmonotonic-send across a conflicting offset: the version order keeps the value Clojure's set iterates first", () => {
    const ops = [
      o(0, 0, 'invoke', 'send', [['send', 'x', 'producer-1:290']]),
      o(1, 0, 'ok', 'send', [['send', 'x', [0, 'producer-1:290']]]),
      o(2, 1, 'invoke', 'send', [['send', 'x', 'producer-1:299']]),
      o(3, 1, 'ok', 'send', [['send', 'x', [1, 'producer-1:299']]]),
      o(4, 1, 'invoke', 'send', [['send', 'x', 'producer-1:301']]),
      o(5, 1, 'ok', 'send', [['send', 'x', [0, 'producer-1:301']]]),
    ];
    const a = jepsenAnalysis(ops);
    // (first #{"producer-1:290" "producer-1:301"}) is "producer-1:301": it holds index 0, below 299's.
    expect(a.versionOrders.get('x')!.byIndex).toEqual(['producer-1:301', 'producer-1:299']);
    expect(a['nonmonotonic-send'].map((c) => [c.values, c.delta])).toEqual([[['producer-1:299', 'producer-1:301'], -1]]);
  });

  it('poll-skip: process 0 reads 1, 2, then 4, then 7; 3 and 6 are known to exist', () => {
    const ops = [
      o(0, 0, 'invoke', 'poll', [['poll']]),
      o(1, 0, 'ok', 'poll', [poll({ x: [[1, 'a'], [2, 'b']] })]),
      o(2, 1, 'invoke', 'poll', [['poll']]),
      o(3, 1, 'ok', 'poll', [poll({ x: [[3, 'c']] })]),
      o(6, 0, 'invoke', 'poll', [['poll']]),
      o(7, 0, 'ok', 'poll', [poll({ x: [[4, 'd']] })]),
      o(10, 2, 'invoke', 'send', [['send', 'x', 'f']]),
      o(11, 2, 'ok', 'send', [['send', 'x', [6, 'f']]]),
      o(12, 0, 'invoke', 'poll', [['poll']]),
      o(13, 0, 'ok', 'poll', [poll({ x: [[7, 'g']] })]),
      o(14, 3, 'invoke', 'send', ['a', 'b', 'c', 'd', 'g'].map((v): SendMop => ['send', 'x', v])),
      o(15, 3, 'info', 'send', ['a', 'b', 'c', 'd', 'g'].map((v): SendMop => ['send', 'x', v])),
    ];
    const a = jepsenAnalysis(ops);
    expect(a['poll-skip'].map((s) => ({ key: s.key, delta: s.delta, skipped: s.skipped, ops: s.ops.map((op) => op.index) }))).toEqual([
      { key: 'x', delta: 2, skipped: ['c'], ops: [1, 7] },
      { key: 'x', delta: 2, skipped: ['f'], ops: [7, 13] },
    ]);
    expect(a['nonmonotonic-poll']).toEqual([]);
  });
});
