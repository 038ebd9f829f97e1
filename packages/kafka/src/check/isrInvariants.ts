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
import { isStaleQuorumFact, replicaLog, type ReplicaLog, type ReplicaView } from './replicas';

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
  /** member -> this leader's pair with it (checkedPairs' inner map, looked up once). */
  checked: Map<string, CheckedPair>;
}

export interface IsrChecker {
  /** Before the view applies `fact`: quorum state and presumed leaders. */
  onFact(fact: Fact): void;
  /** onFact for an append to `tp` at `firstOffset`, by far the commonest fact, for a caller that has its key and the log end offset of the appending replica (before the append). */
  onAppend(tp: string, logEnd: number, firstOffset: number): void;
  /** onFact for a high-watermark move on `tp`, likewise. */
  onHighWatermark(tp: string, broker: string, highWatermark: number): void;
  /** A node crashed: it presumes nothing any more. */
  onCrash(node: string): void;
  /** The step ended: check every partition something that the properties read happened to. */
  endStep(step: number, time: number): IsrViolation[];
}

const noViolations = Object.freeze([]) as unknown as IsrViolation[];

/** Two replicas of a partition (in either order): how far their logs are known to agree. */
interface ReplicaPair {
  logA: ReplicaLog;
  logB: ReplicaLog;
  /** Length of the longest prefix known to be the same on both replicas. */
  agreed: number;
}

/** A leader and one ISR member: their pair, and whether each property currently fails for them (reported when it starts to). */
interface CheckedPair {
  pair: ReplicaPair;
  leader: string;
  member: string;
  weakFailing: boolean;
  strongFailing: boolean;
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
  /** Partitions leader-in-isr currently fails for: reported when they enter. */
  const leaderNotInIsr = new Set<string>();
  /** tp -> its pairs weak-isr or strong-isr currently fails for. */
  const failingPairs = new Map<string, Set<CheckedPair>>();
  /**
   * The partitions the step touched: the first one, then any others. A step touches one
   * partition nearly always, and emptying a Set allocates its table afresh, every step.
   */
  let firstDirty: string | null = null;
  const moreDirty = new Set<string>();
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

  function checkedPairOf(tp: string, leader: string, p: PresumedLeader, member: string): CheckedPair {
    let checked = p.checked.get(member);
    if (!checked) {
      checked = { pair: pairOf(tp, leader, member), leader, member, weakFailing: false, strongFailing: false };
      p.checked.set(member, checked);
    }
    return checked;
  }

  /** First offset where the pair's replicas differ (or one ends), up to `limit`. */
  function firstDifference(pair: ReplicaPair, limit: number): number {
    const { logA, logB } = pair;
    const end = Math.min(limit, logA.end, logB.end);
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

  function markDirty(tp: string): void {
    if (firstDirty === null) firstDirty = tp;
    else if (tp !== firstDirty) moreDirty.add(tp);
  }

  const leadersOf = (tp: string) => {
    let m = presumed.get(tp);
    if (!m) presumed.set(tp, (m = new Map()));
    return m;
  };

  /**
   * The properties compare offsets below a presumed leader's high watermark, and nothing else of
   * a log: an append from at or past each one's high watermark that leaves no gap before it (the
   * log ended there or later) changes nothing they read, so the step need not check its
   * partition again. That is nearly every append: a leader appends at its log end, a follower at
   * its own, which is at the leader's high watermark or past it.
   */
  function onAppend(tp: string, logEnd: number, firstOffset: number): void {
    const leaders = presumed.get(tp);
    if (leaders === undefined) return;
    let changesWhatIsChecked = !(firstOffset <= logEnd);
    for (const p of leaders.values()) if (!(firstOffset >= p.highWatermark)) changesWhatIsChecked = true;
    if (changesWhatIsChecked) markDirty(tp);
  }

  /** Only a presumed leader's own high watermark is read: a follower's moving changes nothing checked. */
  function onHighWatermark(tp: string, broker: string, highWatermark: number): void {
    const p = presumed.get(tp)?.get(broker);
    if (p === undefined || p.highWatermark === highWatermark) return;
    p.highWatermark = highWatermark;
    markDirty(tp);
  }

  function onFact(fact: Fact): void {
    if (!namesPartition(fact)) return;
    // A controller's late record of a change its successor has since overtaken (see replicas.ts).
    if (isStaleQuorumFact(view, fact)) return;
    const tp = tpKey(fact.topic, fact.partition as number);
    switch (fact.event) {
      case 'append':
        return onAppend(tp, view.logs.get(tp)?.get(fact.broker)?.end ?? 0, fact.firstOffset);
      case 'truncate':
        forgetAgreementAbove(tp, fact.broker, fact.to);
        markDirty(tp);
        return;
      case 'become-leader':
        leadersOf(tp).set(fact.broker, {
          leaderEpoch: fact.leaderEpoch, highWatermark: fact.highWatermark, isr: [fact.broker], checked: innerOf(checkedPairs, tp, fact.broker),
        });
        markDirty(tp);
        return;
      case 'leader-isr': {
        const p = leadersOf(tp).get(fact.broker);
        if (p) p.isr = [...fact.isr];
        markDirty(tp);
        return;
      }
      case 'become-follower':
        leadersOf(tp).delete(fact.broker);
        markDirty(tp);
        return;
      case 'high-watermark':
        return onHighWatermark(tp, fact.broker, fact.highWatermark);
      case 'leader-elected':
        quorumLeader.set(tp, fact.leader || null);
        quorumEpoch.set(tp, fact.leaderEpoch);
        quorumDirty.add(tp);
        markDirty(tp);
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
        markDirty(tp);
        return;
      case 'isr-changed':
        // In ZooKeeper mode only the controller's OfflineReplica takes the leader out of the ISR,
        // and it sets the leader to none in the same write, with a new leader epoch (the fact
        // does not say so). An ISR change within the same epoch (a leader's AlterPartition)
        // that drops its own leader is a real violation.
        if (fact.leaderEpoch > (quorumEpoch.get(tp) ?? -1) && !fact.isr.includes(quorumLeader.get(tp) ?? '')) quorumLeader.set(tp, null);
        quorumEpoch.set(tp, Math.max(quorumEpoch.get(tp) ?? -1, fact.leaderEpoch));
        quorumDirty.add(tp);
        markDirty(tp);
        return;
      default:
    }
  }

  function onCrash(node: string): void {
    for (const [tp, leaders] of presumed) {
      if (leaders.delete(node)) markDirty(tp);
    }
  }

  function checkPair(out: IsrViolation[], step: number, time: number, invariant: 'weak-isr' | 'strong-isr', tp: string, leader: string, p: PresumedLeader, member: string): void {
    const checked = checkedPairOf(tp, leader, p, member);
    const differs = p.highWatermark > 0 && firstDifference(checked.pair, p.highWatermark) < p.highWatermark;
    const weak = invariant === 'weak-isr';
    if (!differs) {
      if (weak) checked.weakFailing = false;
      else checked.strongFailing = false;
      return;
    }
    if (weak ? checked.weakFailing : checked.strongFailing) return;
    if (weak) checked.weakFailing = true;
    else checked.strongFailing = true;
    let failing = failingPairs.get(tp);
    if (!failing) failingPairs.set(tp, (failing = new Set()));
    failing.add(checked);
    const offset = firstDifference(checked.pair, p.highWatermark);
    const mine = replicaLog(view, tp, leader).get(offset);
    const theirs = replicaLog(view, tp, member).get(offset);
    const whose = weak ? `its own ISR [${p.isr.join(', ')}]` : `the ISR in ZooKeeper [${(view.isr.get(tp) ?? []).join(', ')}]`;
    out.push({
      invariant, step, time,
      message: `${tp}: ${leader} leads epoch ${p.leaderEpoch} with high watermark ${p.highWatermark}, but ${member} of ${whose} `
        + `has ${theirs ?? 'nothing'} at offset ${offset} where ${leader} has ${mine ?? 'nothing'}`,
    });
  }

  function checkLeaderInIsr(out: IsrViolation[], step: number, time: number, tp: string): void {
    const leader = quorumLeader.get(tp) ?? null;
    const isr = view.isr.get(tp) ?? [];
    if (!(leader !== null && !isr.includes(leader))) {
      leaderNotInIsr.delete(tp);
      return;
    }
    if (leaderNotInIsr.has(tp)) return;
    leaderNotInIsr.add(tp);
    out.push({ invariant: 'leader-in-isr', step, time, message: `${tp}: ZooKeeper names ${leader} leader (epoch ${quorumEpoch.get(tp)}) but its ISR is [${isr.join(', ')}]` });
  }

  function checkPartition(out: IsrViolation[], step: number, time: number, tp: string): void {
    const leaders = presumed.get(tp);
    if (!leaders) return;
    // A partition has one presumed leader nearly always: sorting is for the steps it has more.
    // Two loops, not one over either the map's keys or a sorted copy: V8 optimized neither
    // iteration of that loop, and made an iterator result per leader (1.2% of a sweep's bytes).
    if (leaders.size === 1) {
      for (const [leader, p] of leaders) checkLeader(out, step, time, tp, leader, p);
    } else {
      for (const leader of [...leaders.keys()].sort()) checkLeader(out, step, time, tp, leader, leaders.get(leader)!);
    }
    // Pairs that are no longer checked (leader gone, member left) hold vacuously.
    const failing = failingPairs.get(tp);
    if (!failing || failing.size === 0) return;
    for (const checked of failing) {
      const p = leaders.get(checked.leader);
      if (checked.weakFailing && !(p && p.isr.includes(checked.member))) checked.weakFailing = false;
      if (checked.strongFailing && !(p && (view.isr.get(tp) ?? []).includes(checked.member))) checked.strongFailing = false;
      if (!checked.weakFailing && !checked.strongFailing) failing.delete(checked);
    }
  }

  function checkLeader(out: IsrViolation[], step: number, time: number, tp: string, leader: string, p: PresumedLeader): void {
    for (const member of p.isr) if (member !== leader) checkPair(out, step, time, 'weak-isr', tp, leader, p, member);
    const quorumIsr = view.isr.get(tp);
    if (quorumIsr) for (const member of quorumIsr) if (member !== leader) checkPair(out, step, time, 'strong-isr', tp, leader, p, member);
  }

  function endStep(step: number, time: number): IsrViolation[] {
    // Most steps (timers, messages) touch no partition: nothing to check, nothing to allocate.
    if (firstDirty === null && quorumDirty.size === 0) return noViolations;
    const out: IsrViolation[] = [];
    // Partitions in order (a step touches one, nearly always): the violations' order.
    if (quorumDirty.size > 0) for (const tp of quorumDirty.size === 1 ? quorumDirty : [...quorumDirty].sort()) checkLeaderInIsr(out, step, time, tp);
    if (firstDirty !== null && moreDirty.size === 0) checkPartition(out, step, time, firstDirty);
    else if (firstDirty !== null) {
      for (const tp of [firstDirty, ...moreDirty].sort()) checkPartition(out, step, time, tp);
      moreDirty.clear();
    }
    firstDirty = null;
    if (quorumDirty.size > 0) quorumDirty.clear();
    return out.length === 0 ? noViolations : out;
  }

  return { onFact, onAppend, onHighWatermark, onCrash, endStep };
}

/** Whether the ISR checker reads a fact: it names a topic (a string) and a partition (a trace's facts are not checked against their type). */
export function namesPartition(fact: Fact): fact is Fact & { topic: string; partition: unknown } {
  return 'topic' in fact && typeof fact.topic === 'string' && 'partition' in fact;
}
