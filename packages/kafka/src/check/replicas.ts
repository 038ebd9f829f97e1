import type { Trace, TraceEntry } from '@kafkasim/engine';
import { factOf, isFact, tpKey, type Fact } from './facts';

/**
 * Replays 'append' and 'truncate' facts into each replica's contents (offset -> record id),
 * and follows leadership, so the checkers know what every replica holds at any point.
 */
export interface ReplicaView {
  /** tp -> broker -> offset -> id */
  logs: Map<string, Map<string, ReplicaLog>>;
  /** tp -> current leader (null when offline) */
  leader: Map<string, string | null>;
  isr: Map<string, string[]>;
  /** tp -> the newest ZooKeeper partition state the facts showed: its leader epoch and znode version (-1: unknown). */
  quorumVersion: Map<string, { leaderEpoch: number; partitionEpoch: number }>;
}

/**
 * A replica's contents, offset -> record id, in an array indexed by offset (offsets are dense:
 * a replica appends at its log end). Its log end offset is the array's length, which append
 * and truncation keep ending at a held record: the high-watermark invariant asks for it at
 * every HW move, and scanning a log each time made checking a long run quadratic. A Map did
 * the same with a hash insert per record per replica, the check pass's largest cost after the
 * model itself.
 */
export class ReplicaLog {
  private readonly ids: (string | undefined)[] = [];

  /** The log end offset: one past the highest offset held (0 when empty). */
  get end(): number {
    return this.ids.length;
  }

  get(offset: number): string | undefined {
    return this.ids[offset];
  }

  /** Writes `ids` from `firstOffset` on. */
  append(firstOffset: number, ids: readonly string[]): void {
    for (let i = 0; i < ids.length; i++) this.ids[firstOffset + i] = ids[i];
  }

  /** Drops every offset from `to` on. */
  truncateFrom(to: number): void {
    const ids = this.ids;
    let end = Math.max(0, Math.min(to, ids.length));
    while (end > 0 && ids[end - 1] === undefined) end--;
    ids.length = end;
  }

  /** The offsets held, ascending. */
  offsets(): number[] {
    const out: number[] = [];
    for (let offset = 0; offset < this.ids.length; offset++) if (this.ids[offset] !== undefined) out.push(offset);
    return out;
  }

  /** The record ids held, by offset. */
  records(): string[] {
    const out: string[] = [];
    for (const id of this.ids) if (id !== undefined) out.push(id);
    return out;
  }
}

export function emptyView(): ReplicaView {
  return { logs: new Map(), leader: new Map(), isr: new Map(), quorumVersion: new Map() };
}

/**
 * A controller records a change when ZooKeeper's answer reaches it, so a controller that was
 * paused (or cut off) past its session records its last change late, after its successor read
 * and changed the state: that fact is older than what the view holds, and must not undo it.
 * ZooKeeper's order is the leader epoch, then the state znode's version (partitionEpoch).
 * leader-elected names no version: it is the first write of its epoch.
 */
export function isStaleQuorumFact(view: ReplicaView, fact: Fact): boolean {
  if (fact.event !== 'leader-elected' && fact.event !== 'isr-changed' && fact.event !== 'partition-state-loaded') return false;
  const known = view.quorumVersion.get(tpKey(fact.topic, fact.partition));
  if (!known) return false;
  if (fact.leaderEpoch !== known.leaderEpoch) return fact.leaderEpoch < known.leaderEpoch;
  if (fact.event === 'leader-elected') return known.partitionEpoch >= 0;
  return known.partitionEpoch >= 0 && fact.partitionEpoch < known.partitionEpoch;
}

function noteQuorumVersion(view: ReplicaView, fact: Fact<'leader-elected' | 'isr-changed' | 'partition-state-loaded'>): void {
  const tp = tpKey(fact.topic, fact.partition);
  const known = view.quorumVersion.get(tp);
  const partitionEpoch = fact.event === 'leader-elected' ? (known && known.leaderEpoch === fact.leaderEpoch ? known.partitionEpoch : -1) : fact.partitionEpoch;
  view.quorumVersion.set(tp, { leaderEpoch: fact.leaderEpoch, partitionEpoch });
}

export function replicaLog(view: ReplicaView, tp: string, broker: string): ReplicaLog {
  let byBroker = view.logs.get(tp);
  if (!byBroker) view.logs.set(tp, (byBroker = new Map()));
  let log = byBroker.get(broker);
  if (!log) byBroker.set(broker, (log = new ReplicaLog()));
  return log;
}

/** applyToView for an append to `tp`, for a caller that has its key. */
export function appendToView(view: ReplicaView, tp: string, fact: Fact<'append'>): void {
  replicaLog(view, tp, fact.broker).append(fact.firstOffset, fact.ids);
}

/** Applies one fact; returns true if it changed the view. */
export function applyToView(view: ReplicaView, fact: Fact): boolean {
  switch (fact.event) {
    case 'append':
      appendToView(view, tpKey(fact.topic, fact.partition), fact);
      return true;
    case 'truncate': {
      replicaLog(view, tpKey(fact.topic, fact.partition), fact.broker).truncateFrom(fact.to);
      return true;
    }
    case 'partition-offline':
      view.leader.set(tpKey(fact.topic, fact.partition), null);
      return true;
    case 'leader-elected':
    // partition-state-loaded is ZooKeeper's state as a new controller read it: it includes writes
    // whose facts were never recorded (their controller crashed before ZooKeeper's answer reached it).
    case 'partition-state-loaded':
      if (isStaleQuorumFact(view, fact)) return false;
      noteQuorumVersion(view, fact);
      view.leader.set(tpKey(fact.topic, fact.partition), fact.leader);
      view.isr.set(tpKey(fact.topic, fact.partition), fact.isr);
      return true;
    case 'isr-changed':
      if (isStaleQuorumFact(view, fact)) return false;
      noteQuorumVersion(view, fact);
      view.isr.set(tpKey(fact.topic, fact.partition), fact.isr);
      return true;
    default:
      return false;
  }
}

export function buildView(trace: Trace): ReplicaView {
  const view = emptyView();
  for (const entry of trace) if (isFact(entry)) applyToView(view, factOf(entry));
  return view;
}
