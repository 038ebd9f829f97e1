/**
 * Built once per run: snapshots of the fact state every K entries, the marks, the message
 * flights. Every query then costs at most K entries of replay plus a bounded scan, whatever
 * the length of the trace.
 */
import type { Trace, TraceEntry } from '@kafkasim/engine';
import { apiOf, describeEntry, isNotable, markKindOf } from './describeEntry';
import { applyEntry, emptyFactState, tpKey, type FactState } from './factState';
import type { EventLine, FlightView, Mark } from './view';

export interface LossInfo {
  /** id -> `${topic}-${partition}` of each acknowledged record the delivery report calls lost. */
  lost: Map<string, string>;
}

/** A deep copy that shares the (immutable) strings; log arrays are copied once per snapshot. */
export function cloneFactState(s: FactState): FactState {
  return structuredClone(s);
}

export class TraceIndex {
  readonly marks: Mark[] = [];
  readonly apis: string[];
  /** Longest flight (ms) of any delivered message: bounds the forward scan for flights. */
  readonly maxFlightMs: number;
  private readonly snapshots: { count: number; state: FactState }[] = [];
  private readonly interval: number;
  private cursor: { count: number; state: FactState } | null = null;
  /** Positions in the trace of the entries the event log shows, ascending. */
  private readonly notable: number[] = [];
  /** Record id -> key (from produce-request), for colouring log cells. */
  readonly keys = new Map<string, string | null>();
  /** Acknowledgement times, ascending (the throughput chart and the longest gap). */
  readonly ackTimes: number[] = [];
  /** Record id -> the step of its loss mark: a class can predict before the page reveals. */
  readonly lostAt = new Map<string, number>();

  constructor(readonly trace: Trace, loss: LossInfo = { lost: new Map() }) {
    this.interval = Math.max(256, Math.ceil(trace.length / 48));
    const state = emptyFactState();
    const apis = new Set<string>();
    const acked = new Set<string>();
    const markedLost = new Set<string>();
    let maxFlight = 0;
    this.snapshots.push({ count: 0, state: cloneFactState(state) });
    for (let i = 0; i < trace.length; i++) {
      const entry = trace.at(i)!;
      if (entry.type === 'deliver') {
        apis.add(apiOf(entry.payload));
        maxFlight = Math.max(maxFlight, entry.time - Number(entry.sentAt));
      }
      if (entry.type === 'record') {
        const d = entry.data as Record<string, any>;
        if (entry.event === 'produce-request') this.keys.set(d.id, d.key ?? null);
        if (entry.event === 'produce-acked') {
          acked.add(d.id);
          this.ackTimes.push(entry.time);
        }
      }
      applyEntry(state, entry);
      if (isNotable(entry)) this.notable.push(i);
      const kind = markKindOf(entry);
      if (kind) this.marks.push({ step: entry.step, time: entry.time, kind, label: describeEntry(entry), node: entry.node });
      if (loss.lost.size > 0 && entry.type === 'record') this.markLosses(entry, state, loss, acked, markedLost);
      if ((i + 1) % this.interval === 0) this.snapshots.push({ count: i + 1, state: cloneFactState(state) });
    }
    this.apis = [...apis].sort();
    this.maxFlightMs = maxFlight;
  }

  /** The moment an acknowledged record stops being on the partition's leader (or is truncated away). */
  private markLosses(entry: TraceEntry, state: FactState, loss: LossInfo, acked: Set<string>, marked: Set<string>): void {
    const d = entry.data as Record<string, any>;
    const event = entry.event;
    let gone: string[] = [];
    if (event === 'truncate') {
      gone = (d.removedIds as string[]).filter((id) => loss.lost.has(id) && acked.has(id) && !marked.has(id));
    } else if (event === 'leader-elected' || event === 'become-leader' || event === 'partition-offline') {
      const key = tpKey(d.topic, d.partition);
      const p = state.topics[key];
      const leader = p?.leader ? p.logs[p.leader] : undefined;
      const held = new Set(leader ? leader.ids : []);
      for (const [id, tp] of loss.lost) {
        if (tp === key && acked.has(id) && !marked.has(id) && !held.has(id)) gone.push(id);
      }
    }
    if (gone.length === 0) return;
    gone.forEach((id) => {
      marked.add(id);
      this.lostAt.set(id, entry.step);
    });
    const where = d.topic !== undefined ? ` on ${d.topic}-${d.partition}` : '';
    const shown = gone.slice(0, 3).join(', ') + (gone.length > 3 ? ` +${gone.length - 3}` : '');
    this.marks.push({ step: entry.step, time: entry.time, kind: 'loss', label: `${gone.length} acknowledged record(s) lost${where}: ${shown}`, node: entry.node });
  }

  /** Acknowledgements per bin of `binMs` over [0, endTime], and the longest stretch between two of them. */
  throughput(endTime: number, bins = 120): { binMs: number; acked: number[]; longestGap: { from: number; to: number } | null } {
    const binMs = Math.max(1, Math.ceil(endTime / bins));
    const acked = new Array<number>(Math.ceil(endTime / binMs) + 1).fill(0);
    let gap: { from: number; to: number } | null = null;
    this.ackTimes.forEach((t, i) => {
      acked[Math.min(acked.length - 1, Math.floor(t / binMs))] += 1;
      const prev = this.ackTimes[i - 1];
      if (prev !== undefined && (!gap || t - prev > gap.to - gap.from)) gap = { from: prev, to: t };
    });
    return { binMs, acked, longestGap: gap };
  }

  /** The steps with a line in the event log, ascending and unique. */
  notableSteps(): number[] {
    const steps: number[] = [];
    for (const i of this.notable) {
      const step = this.trace.at(i)!.step;
      if (steps[steps.length - 1] !== step) steps.push(step);
    }
    return steps;
  }

  /** The first step at or after `time` with the fact (or engine entry) `event`, on `node` when given. */
  firstFactStep(event: string, time: number, node?: string): { step: number; time: number } | null {
    for (const e of this.trace) {
      // A fact of the model, or an engine entry of that type ("crash", "restart", "partition"...).
      const kind = e.type === 'record' ? e.event : e.type;
      if (e.time >= time && kind === event && (node === undefined || e.node === node)) return { step: e.step, time: e.time };
    }
    return null;
  }

  /** How many entries belong to steps <= step. */
  countThrough(step: number): number {
    let lo = 0;
    let hi = this.trace.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.trace.at(mid)!.step <= step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The fact state right after `step`. Read-only: it may be the index's own cursor. */
  factsAt(step: number): FactState {
    const count = this.countThrough(step);
    let base = this.cursor;
    const snapshot = this.snapshotBefore(count);
    if (!base || base.count > count || base.count < snapshot.count) {
      base = { count: snapshot.count, state: cloneFactState(snapshot.state) };
    }
    for (let i = base.count; i < count; i++) applyEntry(base.state, this.trace.at(i)!);
    base.count = count;
    this.cursor = base;
    return base.state;
  }

  private snapshotBefore(count: number): { count: number; state: FactState } {
    let lo = 0;
    let hi = this.snapshots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.snapshots[mid].count <= count) lo = mid;
      else hi = mid - 1;
    }
    return this.snapshots[lo];
  }

  /**
   * Messages on the wire right after `step` (at `time`): delivered or dropped later, sent by then.
   * Scans forward only as far as the longest flight, and returns at most `limit`.
   */
  flightsAt(step: number, time: number, limit = 400): { flights: FlightView[]; total: number } {
    const flights: FlightView[] = [];
    let total = 0;
    const horizon = time + this.maxFlightMs;
    for (let i = this.countThrough(step); i < this.trace.length; i++) {
      const e = this.trace.at(i)!;
      if (e.time > horizon) break;
      if (e.type !== 'deliver') continue;
      const sentAt = Number(e.sentAt);
      if (sentAt > time) continue;
      total += 1;
      if (flights.length < limit) {
        flights.push({ msgId: Number(e.msgId), from: String(e.from), to: String(e.node), api: apiOf(e.payload), sentAt, arriveAt: e.time, fate: 'deliver' });
      }
    }
    return { flights, total };
  }

  /** The last `count` notable entries up to `step`, newest last (a binary search in the notable index). */
  recentAt(step: number, count = 14): EventLine[] {
    const end = this.countThrough(step);
    let lo = 0;
    let hi = this.notable.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.notable[mid] < end) lo = mid + 1;
      else hi = mid;
    }
    return this.notable.slice(Math.max(0, lo - count), lo).map((i) => {
      const e = this.trace.at(i)!;
      return { step: e.step, time: e.time, node: e.node ?? null, text: describeEntry(e), kind: markKindOf(e) ?? (e.type === 'record' ? 'fact' : 'engine') };
    });
  }
}
