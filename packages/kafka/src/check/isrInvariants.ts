/**
 * The ISR properties of Kafka's TLA+ specification (hachikuji/kafka-specification,
 * KafkaReplication.tla), checked after every step of a run:
 *
 * - leader-in-isr (LeaderInIsr): the leader ZooKeeper names is in the ISR ZooKeeper holds.
 * - weak-isr (WeakIsr): every broker that presumes leadership has, below its high watermark,
 *   the same record at every offset as each member of its own view of the ISR.
 * - strong-isr (StrongIsr): the same against the ISR held in ZooKeeper, the one the controller
 *   elects the next leader from: what consumers were shown survives any clean election.
 *
 * A broker presumes leadership from its 'become-leader' until its 'become-follower' or its
 * crash (a paused or partitioned leader still presumes it: the zombie the properties are about).
 * A property is reported once per episode, at the step where it starts to fail for a pair of
 * brokers, and again only after it held in between.
 */
import type { Fact } from './facts';
import { tpKey } from './facts';
import { isStaleQuorumFact, logEndOffset, replicaLog, type ReplicaView } from './replicas';

export type IsrInvariantName = 'leader-in-isr' | 'weak-isr' | 'strong-isr';

export interface IsrViolation {
  invariant: IsrInvariantName;
  step: number;
  time: number;
  message: string;
}

interface PresumedLeader {
  leaderEpoch: number;
  highWatermark: number;
  /** The leader's own ISR ('leader-isr'). */
  isr: string[];
}

export interface IsrChecker {
  /** Before the view applies `fact`: quorum state and presumed leaders. */
  onFact(fact: Fact): void;
  /** A node crashed: it presumes nothing any more. */
  onCrash(node: string): void;
  /** The step ended: check every partition something happened to. */
  endStep(at: { step: number; time: number }): IsrViolation[];
}

const noViolations = Object.freeze([]) as unknown as IsrViolation[];

/** Two replicas of a partition (in either order): how far their logs are known to agree. */
interface ReplicaPair {
  logA: Map<number, string>;
  logB: Map<number, string>;
  /** Length of the longest prefix known to be the same on both replicas. */
  agreed: number;
}

/** A leader and one ISR member: their pair, and the keys under which the pair's failures are tracked. */
interface CheckedPair {
  pair: ReplicaPair;
  weakKey: string;
  strongKey: string;
}

/** tp -> a -> b -> value: found without building a key string, several times a step. */
type ByPair<T> = Map<string, Map<string, Map<string, T>>>;

function innerOf<T>(byPair: ByPair<T>, tp: string, a: string): Map<string, T> {
  let byA = byPair.get(tp);
  if (!byA) byPair.set(tp, (byA = new Map()));
  let byB = byA.get(a);
  if (!byB) byA.set(a, (byB = new Map()));
  return byB;
}

export function isrChecker(view: ReplicaView): IsrChecker {
  /** tp -> broker -> what that broker believes as leader. */
  const presumed = new Map<string, Map<string, PresumedLeader>>();
  /** tp -> leader and leader epoch of ZooKeeper's partition state (the ISR is the view's). */
  const quorumLeader = new Map<string, string | null>();
  const quorumEpoch = new Map<string, number>();
  /** Keyed by the two brokers in order (a < b). */
  const pairs: ByPair<ReplicaPair> = new Map();
  /** Keyed by leader, then member. */
  const checkedPairs: ByPair<CheckedPair> = new Map();
  /** Pairs (and partitions) a property currently fails for: reported when they enter. */
  const failing = new Set<string>();
  const dirty = new Set<string>();
  const quorumDirty = new Set<string>();

  function pairOf(tp: string, x: string, y: string): ReplicaPair {
    const a = x < y ? x : y;
    const b = x < y ? y : x;
    const byB = innerOf(pairs, tp, a);
    let pair = byB.get(b);
    if (!pair) {
      // x's log first, then y's: the order a replica the view has not seen yet enters it.
      const logX = replicaLog(view, tp, x);
      const logY = replicaLog(view, tp, y);
      byB.set(b, (pair = { logA: a === x ? logX : logY, logB: a === x ? logY : logX, agreed: 0 }));
    }
    return pair;
  }

  function checkedPairOf(tp: string, leader: string, member: string): CheckedPair {
    const byMember = innerOf(checkedPairs, tp, leader);
    let checked = byMember.get(member);
    if (!checked) {
      const suffix = `|${tp}|${leader}|${member}`;
      byMember.set(member, (checked = { pair: pairOf(tp, leader, member), weakKey: `weak-isr${suffix}`, strongKey: `strong-isr${suffix}` }));
    }
    return checked;
  }

  /** First offset where the pair's replicas differ (or one ends), up to `limit`. */
  function firstDifference(pair: ReplicaPair, limit: number): number {
    const { logA, logB } = pair;
    const end = Math.min(limit, logEndOffset(logA), logEndOffset(logB));
    let offset = pair.agreed;
    while (offset < end && logA.get(offset) === logB.get(offset)) offset++;
    pair.agreed = offset;
    return offset;
  }

  function forgetAgreementAbove(tp: string, broker: string, offset: number): void {
    for (const [a, byB] of pairs.get(tp) ?? []) {
      for (const [b, pair] of byB) if ((a === broker || b === broker) && pair.agreed > offset) pair.agreed = offset;
    }
  }

  const leadersOf = (tp: string) => {
    let m = presumed.get(tp);
    if (!m) presumed.set(tp, (m = new Map()));
    return m;
  };

  function onFact(fact: Fact): void {
    if (!('topic' in fact) || typeof fact.topic !== 'string' || !('partition' in fact)) return;
    // A controller's late record of a change its successor has since overtaken (see replicas.ts).
    if (isStaleQuorumFact(view, fact)) return;
    const tp = tpKey(fact.topic, fact.partition as number);
    switch (fact.event) {
      case 'append':
        dirty.add(tp);
        return;
      case 'truncate':
        forgetAgreementAbove(tp, fact.broker, fact.to);
        dirty.add(tp);
        return;
      case 'become-leader':
        leadersOf(tp).set(fact.broker, { leaderEpoch: fact.leaderEpoch, highWatermark: fact.highWatermark, isr: [fact.broker] });
        dirty.add(tp);
        return;
      case 'leader-isr': {
        const p = leadersOf(tp).get(fact.broker);
        if (p) p.isr = [...fact.isr];
        dirty.add(tp);
        return;
      }
      case 'become-follower':
        leadersOf(tp).delete(fact.broker);
        dirty.add(tp);
        return;
      case 'high-watermark': {
        const p = leadersOf(tp).get(fact.broker);
        if (p) p.highWatermark = fact.highWatermark;
        dirty.add(tp);
        return;
      }
      case 'leader-elected':
        quorumLeader.set(tp, fact.leader || null);
        quorumEpoch.set(tp, fact.leaderEpoch);
        quorumDirty.add(tp);
        dirty.add(tp);
        return;
      case 'partition-offline':
        quorumLeader.set(tp, null);
        quorumDirty.add(tp);
        return;
      case 'partition-state-loaded':
        // What ZooKeeper holds, read by a new controller: authoritative, including changes whose
        // 'leader-elected' / 'isr-changed' were never recorded.
        quorumLeader.set(tp, fact.leader);
        quorumEpoch.set(tp, fact.leaderEpoch);
        quorumDirty.add(tp);
        dirty.add(tp);
        return;
      case 'isr-changed':
        // In ZooKeeper mode only the controller's OfflineReplica takes the leader out of the ISR,
        // and it sets the leader to none in the same write, with a new leader epoch (the fact
        // does not say so). An ISR change within the same epoch (a leader's AlterPartition)
        // that drops its own leader is a real violation.
        if (fact.leaderEpoch > (quorumEpoch.get(tp) ?? -1) && !fact.isr.includes(quorumLeader.get(tp) ?? '')) quorumLeader.set(tp, null);
        quorumEpoch.set(tp, Math.max(quorumEpoch.get(tp) ?? -1, fact.leaderEpoch));
        quorumDirty.add(tp);
        dirty.add(tp);
        return;
      default:
    }
  }

  function onCrash(node: string): void {
    for (const [tp, leaders] of presumed) {
      if (leaders.delete(node)) dirty.add(tp);
    }
  }

  /** Reports `key` when it starts failing; clears it when it holds. */
  function track(out: IsrViolation[], key: string, broken: boolean, make: () => IsrViolation): void {
    if (!broken) {
      failing.delete(key);
      return;
    }
    if (failing.has(key)) return;
    failing.add(key);
    out.push(make());
  }

  function checkPair(out: IsrViolation[], at: { step: number; time: number }, invariant: 'weak-isr' | 'strong-isr', tp: string, leader: string, p: PresumedLeader, member: string): void {
    const checked = checkedPairOf(tp, leader, member);
    const key = invariant === 'weak-isr' ? checked.weakKey : checked.strongKey;
    const differs = p.highWatermark > 0 && firstDifference(checked.pair, p.highWatermark) < p.highWatermark;
    // Inline, not through track: this runs for every pair at every step that touches the partition.
    if (!differs) {
      failing.delete(key);
      return;
    }
    if (failing.has(key)) return;
    failing.add(key);
    const offset = firstDifference(checked.pair, p.highWatermark);
    const mine = replicaLog(view, tp, leader).get(offset);
    const theirs = replicaLog(view, tp, member).get(offset);
    const whose = invariant === 'weak-isr' ? `its own ISR [${p.isr.join(', ')}]` : `the ISR in ZooKeeper [${(view.isr.get(tp) ?? []).join(', ')}]`;
    out.push({
      invariant, ...at,
      message: `${tp}: ${leader} leads epoch ${p.leaderEpoch} with high watermark ${p.highWatermark}, but ${member} of ${whose} `
        + `has ${theirs ?? 'nothing'} at offset ${offset} where ${leader} has ${mine ?? 'nothing'}`,
    });
  }

  function endStep(at: { step: number; time: number }): IsrViolation[] {
    // Most steps (timers, messages) touch no partition: nothing to check, nothing to allocate.
    if (dirty.size === 0 && quorumDirty.size === 0) return noViolations;
    const out: IsrViolation[] = [];
    for (const tp of [...quorumDirty].sort()) {
      const leader = quorumLeader.get(tp) ?? null;
      const isr = view.isr.get(tp) ?? [];
      track(out, `leader-in-isr|${tp}`, leader !== null && !isr.includes(leader), () => ({
        invariant: 'leader-in-isr', ...at, message: `${tp}: ZooKeeper names ${leader} leader (epoch ${quorumEpoch.get(tp)}) but its ISR is [${isr.join(', ')}]`,
      }));
    }
    for (const tp of [...dirty].sort()) {
      const leaders = presumed.get(tp);
      if (!leaders) continue;
      for (const leader of [...leaders.keys()].sort()) {
        const p = leaders.get(leader)!;
        for (const member of p.isr) if (member !== leader) checkPair(out, at, 'weak-isr', tp, leader, p, member);
        for (const member of view.isr.get(tp) ?? []) if (member !== leader) checkPair(out, at, 'strong-isr', tp, leader, p, member);
      }
      // Pairs that are no longer checked (leader gone, member left) hold vacuously.
      for (const key of [...failing]) {
        const [invariant, keyTp, leader, member] = key.split('|');
        if (keyTp !== tp || invariant === 'leader-in-isr') continue;
        const p = leaders.get(leader);
        const members = !p ? [] : invariant === 'weak-isr' ? p.isr : view.isr.get(tp) ?? [];
        if (!members.includes(member)) failing.delete(key);
      }
    }
    dirty.clear();
    quorumDirty.clear();
    return out;
  }

  return { onFact, onCrash, endStep };
}
