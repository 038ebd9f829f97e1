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
 * A replica's contents, offset -> record id, with its log end offset kept up to date by
 * applyToView: the high-watermark invariant asks for it at every HW move, and scanning a log
 * each time made checking a long run quadratic.
 */
export class ReplicaLog extends Map<number, string> {
  end = 0;
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

function endOfKeys(log: Map<number, string>): number {
  let end = 0;
  for (const offset of log.keys()) end = Math.max(end, offset + 1);
  return end;
}

/** applyToView for an append to `tp`, for a caller that has its key. */
export function appendToView(view: ReplicaView, tp: string, fact: Fact<'append'>): void {
  const log = replicaLog(view, tp, fact.broker);
  const { ids, firstOffset } = fact;
  for (let i = 0; i < ids.length; i++) log.set(firstOffset + i, ids[i]);
  if (ids.length > 0) log.end = Math.max(log.end, firstOffset + ids.length);
}

/** Applies one fact; returns true if it changed the view. */
export function applyToView(view: ReplicaView, fact: Fact): boolean {
  switch (fact.event) {
    case 'append':
      appendToView(view, tpKey(fact.topic, fact.partition), fact);
      return true;
    case 'truncate': {
      const log = replicaLog(view, tpKey(fact.topic, fact.partition), fact.broker);
      for (const offset of [...log.keys()]) if (offset >= fact.to) log.delete(offset);
      log.end = endOfKeys(log);
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
