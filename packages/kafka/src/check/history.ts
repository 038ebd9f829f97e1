/**
 * The client history in the shape jepsen.tests.kafka records it, derived from the trace facts
 * alone (produce-request, produce-send, produce-acked, produce-failed, consumed, crash), so that
 * Jepsen's own checker can read what kafkasim's clients saw.
 *
 * Jepsen's shape: every operation is an :invoke followed by its completion (:ok, :info or :fail)
 * by the same single-threaded logical *process*; a key names one topic-partition.
 *   {:f :send, :value [[:send k v]]}            invoked, completed as [[:send k [offset v]]]
 *   {:f :poll, :value [[:poll]]}                invoked, completed as [[:poll {k [[offset v] ...]}]]
 *   {:f :subscribe, :value [k ...]}             the consumer subscribing to its topics
 *
 * How kafkasim's clients become Jepsen processes:
 * - A producer sends asynchronously (many records in flight), a Jepsen process synchronously. So a
 *   producer is a set of lanes: each record takes the lowest free lane, and each lane is one process
 *   whose sends follow one another, as a Jepsen client's do. A lane whose send ended :info gets a
 *   new process number, as Jepsen retires a process after an indeterminate result.
 * - A consumer member is one process; one poll() (the 'consumed' facts of one step of one member)
 *   is one :poll operation, invoked and completed at that moment. Its first poll is preceded by a
 *   :subscribe of the keys of the topics it reads.
 * - A crash ends every process of the crashed client (its pending sends complete :info); after a
 *   restart it continues with new processes.
 */
import type { Trace, TraceEntry } from '@kafkasim/engine';
import { factOf, isFact, tpKey } from './facts';

/** A Jepsen key: one topic-partition, written "topic-partition". */
export type JepsenKey = string;
export type SendMop = ['send', JepsenKey, string | [number | null, string]];
export type PollMop = ['poll'] | ['poll', Record<JepsenKey, [number, string][]>];
export type OpType = 'invoke' | 'ok' | 'info' | 'fail';

interface OpBase {
  index: number;
  /** Nanoseconds since the start of the run, as Jepsen's :time. */
  time: number;
  type: OpType;
  process: number;
  /** Not Jepsen's: the kafkasim node that ran the operation, and the trace step it comes from. */
  node: string;
  step: number;
  /** Kafka's error code in Jepsen's keyword style (not-leader-or-follower), on :fail and :info. */
  error?: string;
}
export type SendOp = OpBase & { f: 'send'; value: SendMop[] };
export type PollOp = OpBase & { f: 'poll'; value: PollMop[] };
export type SubscribeOp = OpBase & { f: 'subscribe'; value: JepsenKey[] };
export type JepsenOp = SendOp | PollOp | SubscribeOp;

export interface ClientHistory {
  ops: JepsenOp[];
  /** Records given to send() that never got a partition (metadata never arrived): Jepsen needs a key. */
  sendsWithoutKey: string[];
  /** Records polled that no producer of the workload sent (a pipeline's output): Jepsen needs a writer. */
  readsWithoutSend: string[];
}

const NANOS_PER_MS = 1_000_000;

/**
 * Errors with which the broker answered that it did not append the batch. Any other failure
 * (a timeout, a lost connection, NOT_ENOUGH_REPLICAS_AFTER_APPEND, an expired batch) may have left
 * the record in a log. Jepsen's Kafka clients make the same split (NotLeaderOrFollower is :fail,
 * a timeout :info).
 */
const DEFINITE_REFUSALS: ReadonlySet<string> = new Set([
  'NOT_LEADER_OR_FOLLOWER', 'UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE', 'NOT_ENOUGH_REPLICAS',
  'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'INVALID_REQUIRED_ACKS', 'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH', 'UNKNOWN_PRODUCER_ID', 'PRODUCER_FENCED', 'RECORD_TOO_LARGE',
]);

/**
 * :fail only when no attempt can have been appended: the record never left the producer, or its
 * only attempt was refused. A record retried after an attempt whose answer never came is :info,
 * whatever the last attempt's error (Jepsen's client would say :fail there and could report an
 * aborted read that is none).
 */
export function failureType(error: string, attempts: number): 'fail' | 'info' {
  if (attempts === 0) return 'fail';
  return attempts === 1 && DEFINITE_REFUSALS.has(error) ? 'fail' : 'info';
}

export const jepsenError = (code: string): string => code.toLowerCase().replace(/_/g, '-');

interface Lane {
  process: number | null;
  id: string | null;
}

/** What a first pass learns that an invocation needs before the facts that tell it. */
interface Lookahead {
  partitionOf: Map<string, number>;
  attempts: Map<string, number>;
  sent: Set<string>;
  topicsOf: Map<string, Set<string>>;
  partitionsOf: Map<string, Set<number>>;
}

function lookahead(trace: Trace): Lookahead {
  const la: Lookahead = { partitionOf: new Map(), attempts: new Map(), sent: new Set(), topicsOf: new Map(), partitionsOf: new Map() };
  const partitionSeen = (topic: string, partition: number) => {
    if (!la.partitionsOf.has(topic)) la.partitionsOf.set(topic, new Set());
    la.partitionsOf.get(topic)!.add(partition);
  };
  for (const entry of trace) {
    if (!isFact(entry)) continue;
    const fact = factOf(entry);
    switch (fact.event) {
      case 'produce-request':
        la.sent.add(fact.id);
        break;
      case 'produce-send':
        for (const id of fact.ids) {
          if (!la.partitionOf.has(id)) la.partitionOf.set(id, fact.partition);
          la.attempts.set(id, (la.attempts.get(id) ?? 0) + 1);
        }
        partitionSeen(fact.topic, fact.partition);
        break;
      case 'produce-acked':
        la.partitionOf.set(fact.id, fact.partition);
        partitionSeen(fact.topic, fact.partition);
        break;
      case 'consumed':
        if (!la.topicsOf.has(fact.member)) la.topicsOf.set(fact.member, new Set());
        la.topicsOf.get(fact.member)!.add(fact.topic);
        partitionSeen(fact.topic, fact.partition);
        break;
      default:
        break;
    }
  }
  return la;
}

export function clientHistory(trace: Trace): ClientHistory {
  const la = lookahead(trace);
  const ops: JepsenOp[] = [];
  const sendsWithoutKey: string[] = [];
  const readsWithoutSend: string[] = [];
  let nextProcess = 0;
  const lanes = new Map<string, Lane[]>();
  /** record id -> where its send is pending */
  const pending = new Map<string, { lane: Lane; producer: string; key: JepsenKey }>();
  const consumerProcess = new Map<string, number>();
  /** The poll the 'consumed' facts of this step of this member add to. */
  let lastPoll: PollOp | null = null;

  const push = (op: Omit<JepsenOp, 'index'>) => ops.push(Object.assign({ index: ops.length }, op) as JepsenOp);
  const complete = (id: string, type: OpType, mop: SendMop, at: { time: number; step: number }, error?: string) => {
    const p = pending.get(id)!;
    pending.delete(id);
    push({
      time: at.time * NANOS_PER_MS, type, process: p.lane.process!, f: 'send', value: [mop], node: p.producer, step: at.step,
      ...(error !== undefined ? { error } : {}),
    });
    p.lane.id = null;
    if (type === 'info') p.lane.process = null;
  };

  for (const entry of trace) {
    if (!isFact(entry)) {
      if (entry.type === 'crash' && entry.node) {
        for (const [id, p] of [...pending]) {
          if (p.producer === entry.node) complete(id, 'info', ['send', p.key, id], entry, 'crashed');
        }
        lanes.delete(entry.node);
        consumerProcess.delete(entry.node);
      }
      continue;
    }
    const fact = factOf(entry);
    switch (fact.event) {
      case 'produce-request': {
        const partition = la.partitionOf.get(fact.id);
        if (partition === undefined) {
          sendsWithoutKey.push(fact.id);
          break;
        }
        const key = tpKey(fact.topic, partition);
        if (!lanes.has(fact.producer)) lanes.set(fact.producer, []);
        const own = lanes.get(fact.producer)!;
        let lane = own.find((l) => l.id === null);
        if (!lane) own.push((lane = { process: null, id: null }));
        if (lane.process === null) lane.process = nextProcess++;
        lane.id = fact.id;
        pending.set(fact.id, { lane, producer: fact.producer, key });
        push({ time: fact.time * NANOS_PER_MS, type: 'invoke', process: lane.process, f: 'send', value: [['send', key, fact.id]], node: fact.producer, step: fact.step });
        break;
      }
      case 'produce-acked': {
        const p = pending.get(fact.id);
        if (!p) break;
        complete(fact.id, 'ok', ['send', p.key, [fact.offset >= 0 ? fact.offset : null, fact.id]], fact);
        break;
      }
      case 'produce-failed': {
        const p = pending.get(fact.id);
        if (!p) break;
        complete(fact.id, failureType(fact.error, la.attempts.get(fact.id) ?? 0), ['send', p.key, fact.id], fact, jepsenError(fact.error));
        break;
      }
      case 'consumed': {
        // One poll() emits its records in one step, one after another.
        if (lastPoll && lastPoll.step === fact.step && lastPoll.node === fact.member) {
          addRead(lastPoll, fact.topic, fact.partition, fact.offset, fact.id);
          break;
        }
        let process = consumerProcess.get(fact.member);
        if (process === undefined) {
          consumerProcess.set(fact.member, (process = nextProcess++));
          const keys = [...(la.topicsOf.get(fact.member) ?? [])].sort().flatMap((topic) =>
            [...(la.partitionsOf.get(topic) ?? [])].sort((a, b) => a - b).map((p) => tpKey(topic, p)));
          const subscribe = { time: fact.time * NANOS_PER_MS, process, f: 'subscribe' as const, value: keys, node: fact.member, step: fact.step };
          push({ ...subscribe, type: 'invoke' });
          push({ ...subscribe, type: 'ok' });
        }
        const base = { time: fact.time * NANOS_PER_MS, process, f: 'poll' as const, node: fact.member, step: fact.step };
        push({ ...base, type: 'invoke', value: [['poll']] });
        push({ ...base, type: 'ok', value: [['poll', {}]] });
        lastPoll = ops[ops.length - 1] as PollOp;
        addRead(lastPoll, fact.topic, fact.partition, fact.offset, fact.id);
        break;
      }
      default:
        break;
    }
    if (fact.event !== 'consumed') lastPoll = null;
  }
  const end = trace.at(-1) ?? { time: 0, step: 0 };
  for (const [id, p] of [...pending]) complete(id, 'info', ['send', p.key, id], end, 'unfinished');
  return { ops, sendsWithoutKey, readsWithoutSend };

  function addRead(poll: PollOp, topic: string, partition: number, offset: number, id: string): void {
    // Jepsen's checker needs the writer of every value it reads.
    if (!la.sent.has(id)) {
      readsWithoutSend.push(id);
      return;
    }
    const reads = (poll.value[0] as ['poll', Record<JepsenKey, [number, string][]>])[1];
    const key = tpKey(topic, partition);
    (reads[key] ??= []).push([offset, id]);
  }
}
