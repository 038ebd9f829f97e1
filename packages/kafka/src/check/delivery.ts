import type { Trace, TraceEntry } from '@kafkasim/engine';
import { sourceOfOutputId } from '../events';
import { factOf, isFact, tpKey, type FactAt } from './facts';
import { clientHistory } from './history';
import { jepsenAnalysis, type JepsenClass } from './jepsen';
import { jepsenReport, type JepsenReport } from './jepsenReport';
import { outputReport, type OutputReport } from './outputs';
import { applyToView, emptyView, isStaleQuorumFact, type ReplicaView } from './replicas';

export interface CauseStep {
  step: number;
  time: number;
  text: string;
}

export interface RecordReport {
  id: string;
  producer: string;
  key: string | null;
  topic: string;
  partition: number | null;
  offset: number | null;
  acks: '0' | '1' | 'all' | null;
  ackedAt: number | null;
  failed: string | null;
  /** Brokers whose log holds the record at the end of the run. */
  storedOn: string[];
  /** group -> how many times the record was returned by poll / finished processing. */
  consumed: Record<string, number>;
  processed: Record<string, number>;
  lost: boolean;
  duplicatedInLog: boolean;
  duplicatedProcessing: boolean;
  reordered: boolean;
  /** Groups that consumed this topic but never processed this record. */
  unprocessedBy: string[];
  /** Jepsen's anomaly classes (jepsen.tests.kafka) the client history shows for this record. */
  anomalies: JepsenClass[];
  causes: CauseStep[];
}

/** The counts and per-record fates both forms of the report carry. */
export interface DeliveryCounts extends OutputReport {
  produced: number;
  acknowledged: number;
  acknowledgedByAcks: Record<'0' | '1' | 'all', number>;
  failed: number;
  lost: number;
  lostByAcks: Record<'0' | '1' | 'all', number>;
  /** Records written twice to a log (producer retries) or processed twice by a group. */
  duplicated: number;
  duplicatedInLog: number;
  duplicatedProcessing: number;
  reordered: number;
  /** Records returned to a consumer group at least once. */
  consumedAtLeastOnce: number;
  /** Acknowledged records still in the log that a consuming group never finished processing. */
  unprocessed: number;
  /** The longest stretch between two acknowledgements: how long producers saw the cluster unavailable. */
  longestAckGapMs: number;
  records: RecordReport[];
}

export interface DeliveryReport extends DeliveryCounts {
  /** Jepsen's anomaly classes over the client history (the history `kafkasim run --history` writes). */
  jepsen: JepsenReport;
}

/** What the outline leaves out, as its report says. */
export const outlineLeavesOut = ['jepsen', 'cause-chains'] as const;

/**
 * The report without Jepsen's analysis and without cause chains, for a sweep, which shows
 * neither: each record's `anomalies` is empty because nothing looked for them, and its
 * `causes` hold only its acknowledgement or failure.
 */
export interface DeliveryOutline extends DeliveryCounts {
  jepsen?: undefined;
  notComputed: typeof outlineLeavesOut;
}

export interface DeliveryOptions {
  /** Leave out Jepsen's analysis and the cause chains (the two cost most of the report). */
  outline: true;
}

const zeroByAcks = () => ({ '0': 0, '1': 0, all: 0 });

/** A commit that moved a group's committed offset of a partition back (a zombie's, with offsets in ZooKeeper). */
interface Rewind {
  step: number;
  time: number;
  node: string;
  group: string;
  topic: string;
  partition: number;
  from: number;
  to: number;
  generation: number;
  store: 'kafka' | 'zookeeper';
}

/** Replays the trace once and reports, per record, what became of it. */
// The full report's signature last: ReturnType<typeof deliveryReport> (as the visualizer reads it) is the full report.
export function deliveryReport(trace: Trace, options: DeliveryOptions): DeliveryOutline;
export function deliveryReport(trace: Trace): DeliveryReport;
export function deliveryReport(trace: Trace, options?: DeliveryOptions): DeliveryReport | DeliveryOutline {
  const pass = deliveryPass(options);
  for (const entry of trace) pass.onEntry(entry, isFact(entry) ? factOf(entry) : null);
  return pass.finish(trace);
}

/**
 * The delivery report as a pass over the trace, entry by entry, so that one loop can feed several
 * checkers the same fact (checkRun). `fact` is factOf(entry) for a record, else null. `finish`
 * takes the whole trace again for the full report (the client history is a pass of its own).
 */
export interface DeliveryPass<R> {
  onEntry(entry: TraceEntry, fact: FactAt | null): void;
  finish(trace: Trace): R;
}

export function deliveryPass(options: DeliveryOptions): DeliveryPass<DeliveryOutline>;
export function deliveryPass(options?: DeliveryOptions): DeliveryPass<DeliveryReport | DeliveryOutline>;
export function deliveryPass(options?: DeliveryOptions): DeliveryPass<DeliveryReport | DeliveryOutline> {
  const outline = options?.outline === true;
  const view: ReplicaView = emptyView();
  const records = new Map<string, RecordReport>();
  const order = new Map<string, number>();
  const interesting: TraceEntry[] = [];
  const processedSeq: FactAt<'processed'>[] = [];
  const groupsByTopic = new Map<string, Set<string>>();
  const transactional = new Map<string, [string, number]>();
  const processedIds = new Set<string>();
  const committedOffsets = new Map<string, number>();
  const rewinds: Rewind[] = [];
  const requestedAt = new Map<string, number>();

  function onEntry(entry: TraceEntry, factOrNull: FactAt | null): void {
    if (!isFact(entry)) {
      if (!outline && (entry.type === 'crash' || entry.type === 'drop')) interesting.push(entry);
      return;
    }
    const fact = factOrNull ?? factOf(entry);
    // A new controller's read of ZooKeeper explains a record's fate only where it shows a change
    // no fact had recorded (its controller crashed before ZooKeeper's answer reached it).
    if (!outline && fact.event === 'partition-state-loaded' && !isStaleQuorumFact(view, fact) && !viewAgrees(view, fact)) interesting.push(entry);
    applyToView(view, fact);
    if (!outline && explainingEvents.has(fact.event)) interesting.push(entry);
    switch (fact.event) {
      case 'append':
        if (fact.role === 'leader' && fact.producerId !== undefined) {
          const tp = tpKey(fact.topic, fact.partition);
          fact.ids.forEach((id, i) => transactional.set(`${tp}@${fact.firstOffset + i}`, [id, fact.producerId!]));
        }
        break;
      case 'produce-request':
        order.set(fact.id, order.size);
        requestedAt.set(fact.id, fact.time);
        records.set(fact.id, {
          id: fact.id, producer: fact.producer, key: fact.key, topic: fact.topic, partition: null, offset: null,
          acks: null, ackedAt: null, failed: null, storedOn: [], consumed: {}, processed: {},
          lost: false, duplicatedInLog: false, duplicatedProcessing: false, reordered: false, unprocessedBy: [], anomalies: [], causes: [],
        });
        break;
      case 'produce-acked': {
        const r = records.get(fact.id);
        if (!r) break;
        Object.assign(r, { partition: fact.partition, offset: fact.offset >= 0 ? fact.offset : null, acks: fact.acks, ackedAt: fact.time });
        r.causes.push({ step: fact.step, time: fact.time, text: `acknowledged (acks=${fact.acks}) by ${fact.leader}${fact.offset >= 0 ? ` at offset ${fact.offset}` : ''}` });
        break;
      }
      case 'produce-failed': {
        const r = records.get(fact.id);
        if (!r) break;
        r.failed = fact.error;
        r.causes.push({ step: fact.step, time: fact.time, text: `${fact.producer} gave up on it: ${fact.error}` });
        break;
      }
      case 'consumed': {
        if (!groupsByTopic.has(fact.topic)) groupsByTopic.set(fact.topic, new Set());
        groupsByTopic.get(fact.topic)!.add(fact.group);
        const r = records.get(fact.id);
        if (r) r.consumed[fact.group] = (r.consumed[fact.group] ?? 0) + 1;
        break;
      }
      case 'offset-committed': {
        const key = `${fact.group}\u0000${tpKey(fact.topic, fact.partition)}`;
        const previous = committedOffsets.get(key);
        if (previous !== undefined && fact.offset < previous) {
          rewinds.push({
            step: fact.step, time: fact.time, node: fact.node, group: fact.group, topic: fact.topic, partition: fact.partition,
            from: previous, to: fact.offset, generation: fact.generation, store: fact.store ?? 'kafka',
          });
        }
        committedOffsets.set(key, fact.offset);
        break;
      }
      case 'processed': {
        const r = records.get(fact.id);
        if (r) r.processed[fact.group] = (r.processed[fact.group] ?? 0) + 1;
        processedSeq.push(fact as FactAt<'processed'>);
        if (sourceOfOutputId(fact.id) === null) processedIds.add(fact.id);
        break;
      }
      default:
        break;
    }
  }

  function finish(trace: Trace): DeliveryReport | DeliveryOutline {
    const holders = indexHolders(view);
    for (const r of records.values()) {
      const held = holders.get(r.id);
      if (r.partition === null && held) r.partition = held.partition;
      if (r.partition === null) continue;
      const tp = tpKey(r.topic, r.partition);
      r.storedOn = held && held.tp === tp ? [...held.brokers].sort() : [];
      if (r.ackedAt !== null) r.lost = lostAtEnd(view, holders, r.id, tp);
    }
    for (const r of records.values()) {
      if (r.ackedAt === null || r.lost || r.storedOn.length === 0) continue;
      r.unprocessedBy = [...(groupsByTopic.get(r.topic) ?? [])].filter((g) => !r.processed[g]).sort();
    }
    markLogDuplicatesAndReorders(view, records, order);
    markProcessingDuplicatesAndReorders(processedSeq, records);
    let jepsen: JepsenReport | undefined;
    if (!outline) {
      const history = clientHistory(trace);
      const analysis = jepsenAnalysis(history.ops);
      jepsen = jepsenReport(history, analysis);
      for (const c of jepsen.cases) for (const id of c.records) markAnomaly(records.get(id), c.class);
      // The report names 32 unseen records per key; every one of them is marked.
      for (const ids of Object.values(analysis.unseen?.messages ?? {})) for (const id of ids) markAnomaly(records.get(id), 'unseen');
      for (const r of records.values()) {
        const anomalous = r.anomalies.some((a) => a !== 'unseen');
        if (r.lost || r.duplicatedInLog || r.duplicatedProcessing || anomalous) explain(r, interesting, rewinds, requestedAt.get(r.id) ?? 0);
      }
    }

    const all = [...records.values()];
    const acked = all.filter((r) => r.ackedAt !== null);
    const lostByAcks = zeroByAcks();
    const acknowledgedByAcks = zeroByAcks();
    for (const r of acked) {
      acknowledgedByAcks[r.acks!] += 1;
      if (r.lost) lostByAcks[r.acks!] += 1;
    }
    const counts = {
      produced: all.length,
      acknowledged: acked.length,
      acknowledgedByAcks,
      failed: all.filter((r) => r.failed !== null && r.ackedAt === null).length,
      lost: acked.filter((r) => r.lost).length,
      lostByAcks,
      duplicated: all.filter((r) => r.duplicatedInLog || r.duplicatedProcessing).length,
      duplicatedInLog: all.filter((r) => r.duplicatedInLog).length,
      duplicatedProcessing: all.filter((r) => r.duplicatedProcessing).length,
      reordered: all.filter((r) => r.reordered).length,
      consumedAtLeastOnce: all.filter((r) => Object.keys(r.consumed).length > 0).length,
      unprocessed: all.filter((r) => r.unprocessedBy.length > 0).length,
      longestAckGapMs: longestGap(acked.map((r) => r.ackedAt!)),
    };
    const rest = { ...outputReport(view, (tp) => authoritativeReplicas(view, tp), transactional, processedIds), records: all };
    if (jepsen === undefined) return Object.assign(counts, rest, { notComputed: outlineLeavesOut });
    return Object.assign(counts, { jepsen }, rest);
  }

  return { onEntry, finish };
}

/** Facts that can be part of a record's cause chain. */
const explainingEvents: ReadonlySet<string> = new Set(['leader-elected', 'become-leader', 'truncate', 'partition-offline', 'rebalance-started', 'append', 'produce-send']);

function markAnomaly(r: RecordReport | undefined, anomaly: JepsenClass): void {
  if (r && !r.anomalies.includes(anomaly)) r.anomalies.push(anomaly);
}

function longestGap(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let gap = 0;
  for (let i = 1; i < sorted.length; i++) gap = Math.max(gap, sorted[i] - sorted[i - 1]);
  return gap;
}

function viewAgrees(view: ReplicaView, fact: FactAt<'partition-state-loaded'>): boolean {
  const tp = tpKey(fact.topic, fact.partition);
  const isr = view.isr.get(tp) ?? [];
  return (view.leader.get(tp) ?? null) === fact.leader && isr.length === fact.isr.length && isr.every((b, i) => b === fact.isr[i]);
}

/** Where a record lives now: the leader's log, or while offline the ISR's (the clean-election candidates). */
function authoritativeReplicas(view: ReplicaView, tp: string): string[] {
  const leader = view.leader.get(tp);
  if (leader) return [leader];
  return view.isr.get(tp) ?? [];
}

/** Whether a record acknowledged on `tp` is gone at the end of the run: no authoritative replica of `tp` holds it. */
export function lostAtEnd(view: ReplicaView, holders: Holders, id: string, tp: string): boolean {
  const held = holders.get(id);
  return !(held && held.tp === tp && authoritativeReplicas(view, tp).some((b) => held.brokers.has(b)));
}

type Holders = Map<string, { tp: string; partition: number; brokers: Set<string> }>;

/** id -> the partition and the brokers whose logs hold it (record ids are unique per run). */
export function indexHolders(view: ReplicaView): Holders {
  const holders: Holders = new Map();
  for (const [tp, byBroker] of view.logs) {
    const partition = Number(tp.slice(tp.lastIndexOf('-') + 1));
    for (const [broker, log] of byBroker) {
      for (const id of log.records()) {
        let held = holders.get(id);
        if (!held) holders.set(id, (held = { tp, partition, brokers: new Set() }));
        held.brokers.add(broker);
      }
    }
  }
  return holders;
}

function markLogDuplicatesAndReorders(view: ReplicaView, records: Map<string, RecordReport>, order: Map<string, number>): void {
  for (const [tp, byBroker] of view.logs) {
    const leaders = authoritativeReplicas(view, tp);
    const log = leaders.length > 0 ? byBroker.get(leaders[0]) : undefined;
    if (!log) continue;
    const seen = new Set<string>();
    const latestPerKey = new Map<string, number>();
    for (const offset of log.offsets()) {
      const id = log.get(offset)!;
      const r = records.get(id);
      if (!r) continue;
      if (seen.has(id)) r.duplicatedInLog = true;
      seen.add(id);
      const keyOf = `${r.producer}\u0000${r.key}`;
      const position = order.get(id) ?? 0;
      if ((latestPerKey.get(keyOf) ?? -1) > position) r.reordered = true;
      latestPerKey.set(keyOf, Math.max(latestPerKey.get(keyOf) ?? -1, position));
    }
  }
}

function markProcessingDuplicatesAndReorders(processed: FactAt<'processed'>[], records: Map<string, RecordReport>): void {
  const done = new Set<string>();
  const highest = new Map<string, number>();
  for (const p of processed) {
    const r = records.get(p.id);
    if (!r) continue;
    const once = `${p.group}\u0000${p.id}`;
    if (done.has(once)) {
      r.duplicatedProcessing = true;
      continue;
    }
    done.add(once);
    const lane = `${p.group}\u0000${p.member}\u0000${p.topic}-${p.partition}\u0000${r.key}`;
    if ((highest.get(lane) ?? -1) > p.offset) r.reordered = true;
    highest.set(lane, Math.max(highest.get(lane) ?? -1, p.offset));
  }
}

/** The cause chain: what happened to the record and around it, in order. */
function explain(r: RecordReport, interesting: TraceEntry[], rewinds: Rewind[], requestedAt: number): void {
  // An anomaly of the client history may start before the acknowledgement (an earlier attempt, an append).
  const since = r.ackedAt !== null && !r.anomalies.some((a) => a !== 'unseen') ? r.ackedAt : requestedAt;
  for (const entry of interesting) {
    if (entry.time < since) continue;
    const text = describe(entry, r);
    if (text) r.causes.push({ step: entry.step, time: entry.time, text });
  }
  // A commit that moved the group's offset back to or below this record made it readable again.
  for (const w of rewinds) {
    if (w.time < since || !r.duplicatedProcessing || (r.processed[w.group] ?? 0) < 2) continue;
    if (w.topic !== r.topic || w.partition !== r.partition || r.offset === null || r.offset < w.to || r.offset >= w.from) continue;
    const tp = `${w.topic}-${w.partition}`;
    const text = w.store === 'zookeeper'
      ? `${w.node} committed ${tp} offset ${w.to} for group ${w.group} in ZooKeeper, back from ${w.from} (generation ${w.generation}: ZooKeeper checks none)`
      : `group ${w.group}'s committed offset of ${tp} went back from ${w.from} to ${w.to} (generation ${w.generation})`;
    r.causes.push({ step: w.step, time: w.time, text });
  }
  r.causes.sort((a, b) => a.step - b.step);
  if (r.lost && r.storedOn.length === 0 && r.acks === '0') r.causes.push({ step: -1, time: -1, text: 'never appended by any broker' });
}

function describe(entry: TraceEntry, r: RecordReport): string | null {
  if (entry.type === 'crash') {
    return r.storedOn.includes(entry.node!) || r.causes.some((c) => c.text.includes(`by ${entry.node}`)) || entry.node!.startsWith('consumer')
      ? `${entry.node} crashed`
      : null;
  }
  if (entry.type === 'drop') {
    const payload = entry.payload as { api?: string; partitions?: { batch?: { records: { value: string }[] } }[] } | undefined;
    const carried = payload?.partitions?.some((p) => p.batch?.records.some((rec) => rec.value === r.id));
    return carried ? `produce request to ${entry.node} carrying it was dropped (${entry.reason})` : null;
  }
  const fact = factOf(entry);
  const samePartition = 'topic' in fact && fact.topic === r.topic && 'partition' in fact && fact.partition === r.partition;
  switch (fact.event) {
    case 'leader-elected':
      return samePartition ? `${fact.leader} elected leader of ${r.topic}-${r.partition} (epoch ${fact.leaderEpoch}${fact.unclean ? ', UNCLEAN: out of sync' : ''}; ISR ${fact.isr.join(',')})` : null;
    case 'partition-offline':
      return samePartition ? `${r.topic}-${r.partition} offline: ${fact.reason}` : null;
    case 'partition-state-loaded':
      return samePartition
        ? `${fact.controller}, ${fact.reason === 'resync' ? 'the controller, reconnected,' : 'the new controller,'} read ${r.topic}-${r.partition} from ZooKeeper: leader ${fact.leader ?? 'none'}, epoch ${fact.leaderEpoch}, ISR ${fact.isr.join(',')} (a change no earlier fact reported)`
        : null;
    case 'become-leader':
      return samePartition ? `${fact.broker} became leader with log end offset ${fact.logEndOffset}` : null;
    case 'truncate':
      return samePartition && fact.removedIds.includes(r.id) ? `${fact.broker} truncated its log ${fact.from} -> ${fact.to} (${fact.rule} rule), removing it` : null;
    case 'append':
      return (r.duplicatedInLog || r.anomalies.length > 0) && fact.role === 'leader' && fact.ids.includes(r.id) ? `${fact.broker} appended it at offset ${fact.firstOffset + fact.ids.indexOf(r.id)}` : null;
    case 'produce-send':
      return (r.duplicatedInLog || r.anomalies.length > 0) && fact.ids.includes(r.id) ? `${fact.producer} sent it (attempt ${fact.attempt})` : null;
    case 'rebalance-started':
      return r.duplicatedProcessing || r.anomalies.some((a) => a === 'poll-skip' || a === 'nonmonotonic-poll') ? `group ${fact.group} rebalance (generation ${fact.generation}): ${fact.reason}` : null;
    default:
      return null;
  }
}
