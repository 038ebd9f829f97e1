/**
 * Writes a client history as EDN, one operation per line, as Jepsen's store writes history.edn:
 *   {:index 0, :time 1000000000, :type :invoke, :process 0, :f :send, :value [[:send "orders-0" "producer-1:0"]], :node "producer-1", :step 12}
 * Keys (topic-partitions) and values (record ids) are strings; :type, :f, the micro-op names and
 * :error are keywords. Read it back with (map clojure.edn/read-string (line-seq ...)) and give
 * the ops to (jepsen.history/history ...) and jepsen.tests.kafka/analysis or its checker.
 */
import type { JepsenOp, PollMop, SendMop } from './history';

export function ednString(s: string): string {
  return `"${s.replace(/[\\"\n\r\t]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!)}"`;
}

const keyword = (name: string) => `:${name}`;

function mopToEdn(mop: SendMop | PollMop): string {
  if (mop[0] === 'send') {
    const [, k, v] = mop;
    const value = typeof v === 'string' ? ednString(v) : `[${v[0] === null ? 'nil' : v[0]} ${ednString(v[1])}]`;
    return `[:send ${ednString(k)} ${value}]`;
  }
  if (mop.length < 2) return '[:poll]';
  const entries = Object.entries(mop[1]!).map(([k, pairs]) => `${ednString(k)} [${pairs.map(([o, v]) => `[${o} ${ednString(v)}]`).join(' ')}]`);
  return `[:poll {${entries.join(', ')}}]`;
}

export function opToEdn(op: JepsenOp): string {
  const value = op.f === 'subscribe'
    ? `[${op.value.map(ednString).join(' ')}]`
    : `[${(op.value as (SendMop | PollMop)[]).map(mopToEdn).join(' ')}]`;
  const fields = [
    `:index ${op.index}`, `:time ${op.time}`, `:type ${keyword(op.type)}`, `:process ${op.process}`, `:f ${keyword(op.f)}`,
    `:value ${value}`, `:node ${ednString(op.node)}`, `:step ${op.step}`,
  ];
  if (op.error !== undefined) fields.push(`:error ${keyword(op.error)}`);
  return `{${fields.join(', ')}}`;
}

export function historyToEdn(ops: readonly JepsenOp[]): string {
  return ops.map((op) => `${opToEdn(op)}\n`).join('');
}
