import type { Trace, TraceEntry } from '@kafkasim/engine';
import type { DeliveryCounts } from './delivery';
import { modelFactOf, tpKey, type CheckContext, type Fact } from './facts';
import { isrChecker, namesPartition, type IsrInvariantName } from './isrInvariants';
import { applyToView, emptyView, isStaleQuorumFact, replicaLog, type ReplicaView } from './replicas';

export type InvariantName =
  | 'one-leader-per-epoch'
  | 'hw-within-isr'
  | 'committed-offsets-monotonic'
  | 'no-acked-loss-when-promised'
  | IsrInvariantName;

export interface InvariantViolation {
  invariant: InvariantName;
  step: number;
  time: number;
  message: string;
}

/** An invariant a run did not check, and why (its premise did not hold), so that a sweep can count the seeds each invariant really checked. */
export interface InvariantSkip {
  invariant: InvariantName;
  reason: string;
}

export const invariantNames: InvariantName[] = [
  'one-leader-per-epoch', 'hw-within-isr', 'committed-offsets-monotonic', 'no-acked-loss-when-promised',
  'leader-in-isr', 'weak-isr', 'strong-isr',
];

/** Checks every invariant over one pass of the trace; `skipped`, when given, receives the invariants whose premise did not hold. */
export function checkInvariants(trace: Trace, context: CheckContext, delivery: Pick<DeliveryCounts, 'records'>, skipped?: InvariantSkip[]): InvariantViolation[] {
  const pass = invariantPass(context);
  for (const entry of trace) pass.onEntry(entry);
  return pass.finish(delivery, skipped);
}

/**
 * The invariants as a pass over the trace, entry by entry, so that one loop can feed several
 * checkers the same fact (checkRun). A record's fact is read (modelFactOf: only its own fields)
 * only when its event is one the invariants read. The
 * delivery report is needed only at the end (no-acked-loss-when-promised).
 */
export interface InvariantPass {
  /** What every replica holds, as the facts so far left it (the delivery report's view is the same). */
  readonly view: ReplicaView;
  onEntry(entry: TraceEntry): void;
  /** onEntry for a record whose event is in invariantEvents, for a caller that looked already. */
  onFact(entry: TraceEntry, fact: Fact): void;
  finish(delivery: Pick<DeliveryCounts, 'records'>, skipped?: InvariantSkip[]): InvariantViolation[];
}

/**
 * The facts the invariants read (here, in isrInvariants.ts and in the replica view): the others,
 * a third of a run's (consumed, processed, produce-send...), change nothing they hold, so they
 * are not even read into an object.
 */
export const invariantEvents: ReadonlySet<string> = new Set([
  'append', 'truncate', 'high-watermark', 'become-leader', 'become-follower', 'leader-isr',
  'leader-elected', 'partition-offline', 'partition-state-loaded', 'isr-changed', 'offset-committed',
]);

export function invariantPass(context: CheckContext): InvariantPass {
  const violations: InvariantViolation[] = [];
  const view = emptyView();
  const leaderOfEpoch = new Map<string, string>();
  const leaderHw = new Map<string, number>();
  const committed = new Map<string, number>();
  /** tp -> log end offsets of leaders that took over below a committed offset. */
  const divergedAt = new Map<string, number[]>();
  const down = new Map<string, number>();
  const downNow = new Set<string>();
  const paused = new Set<string>();
  const partitioned = new Set<string>();
  let maxDown = 0;
  const observeDown = () => {
    const now = new Set([...downNow, ...paused, ...partitioned].filter((n) => context.brokers.includes(n)));
    maxDown = Math.max(maxDown, now.size);
  };

  // The ISR properties hold between steps: a step's facts (become-leader, then leader-isr) are one change.
  const isr = isrChecker(view);
  let step = -1;
  let stepTime = 0;

  function startStep(entry: TraceEntry): void {
    if (step >= 0) pushAll(violations, isr.endStep(step, stepTime));
    step = entry.step;
    stepTime = entry.time;
  }

  function onEntry(entry: TraceEntry): void {
    if (entry.type === 'record') {
      // A fact the invariants do not read changes nothing they hold, so it is skipped before the
      // step is even looked at: the step's checks then run at the next entry that is read, with
      // the same state and the same step and time.
      if (invariantEvents.has(entry.event as string)) onFact(entry, modelFactOf(entry));
      return;
    }
    if (entry.step !== step) startStep(entry);
    switch (entry.type) {
      case 'crash': isr.onCrash(entry.node!); downNow.add(entry.node!); down.set(entry.node!, entry.time); observeDown(); return;
      case 'restart': case 'boot': downNow.delete(entry.node!); return;
      case 'pause': paused.add(entry.node!); observeDown(); return;
      case 'resume': paused.delete(entry.node!); return;
      case 'partition': {
        const sides = [entry.sideA as string[], entry.sideB as string[]];
        const smaller = sides[0].length <= sides[1].length ? sides[0] : sides[1];
        smaller.forEach((n) => partitioned.add(n));
        observeDown();
        return;
      }
      case 'heal': partitioned.clear(); return;
      default:
    }
  }

  function onFact(entry: TraceEntry, fact: Fact): void {
    if (entry.step !== step) startStep(entry);
    // Appends and high-watermark moves are nearly all the facts read: neither is a quorum fact
    // (never stale) nor touches the other invariants, and their partition's key is found once.
    if (fact.event === 'append') {
      const tp = tpKey(fact.topic, fact.partition);
      const log = replicaLog(view, tp, fact.broker);
      if (namesPartition(fact)) isr.onAppend(tp, log.end, fact.firstOffset);
      log.append(fact.firstOffset, fact.ids);
      return;
    }
    if (fact.event === 'high-watermark') {
      const tp = tpKey(fact.topic, fact.partition);
      if (namesPartition(fact)) isr.onHighWatermark(tp, fact.broker, fact.highWatermark);
      checkHighWatermark(entry, tp, fact);
      return;
    }
    const at = { step: entry.step, time: entry.time };
    if (fact.event === 'truncate') {
      // An in-sync replica cutting its log below the leader's high watermark gives up committed
      // records: the KIP-101 bug of the legacy truncate-to-own-HW rule.
      const tp = tpKey(fact.topic, fact.partition);
      const hw = leaderHw.get(tp) ?? 0;
      if ((view.isr.get(tp) ?? []).includes(fact.broker) && view.leader.get(tp) !== fact.broker && fact.to < hw && fact.rule !== 'power-loss') {
        violations.push({ invariant: 'hw-within-isr', ...at, message: `${tp}: ISR member ${fact.broker} truncated to ${fact.to} (${fact.rule} rule), below the committed high watermark ${hw}` });
      }
    }
    const stale = isStaleQuorumFact(view, fact);
    // Committed stays committed across clean elections; only an unclean one gives it up.
    if (fact.event === 'leader-elected' && fact.unclean && !stale) leaderHw.delete(tpKey(fact.topic, fact.partition));
    isr.onFact(fact);
    applyToView(view, fact);
    if ((fact.event === 'leader-elected' || fact.event === 'partition-state-loaded') && fact.leader && !stale) {
      // ZooKeeper names the epoch's leader: a broker other than it presuming that epoch is a second
      // leader. A new controller's read of the state counts when it shows an epoch first (the
      // write that made it went unrecorded: its controller crashed before the answer).
      const key = `${tpKey(fact.topic, fact.partition)}@${fact.leaderEpoch}`;
      if (!leaderOfEpoch.has(key)) leaderOfEpoch.set(key, fact.leader);
    }
    if (fact.event === 'become-leader') {
      // A leader whose log ends below a committed offset (an unclean election, an older
      // truncation rule) has no records there any more: a consumer that finds out (KIP-320's
      // position validation) seeks back to where the logs diverge and commits from there.
      const tp = tpKey(fact.topic, fact.partition);
      const suffix = `|${tp}|`;
      if (committedPast(suffix, fact.logEndOffset)) divergedAt.set(tp, [...(divergedAt.get(tp) ?? []), fact.logEndOffset]);
      const key = `${tpKey(fact.topic, fact.partition)}@${fact.leaderEpoch}`;
      const previous = leaderOfEpoch.get(key);
      if (previous && previous !== fact.broker) {
        violations.push({ invariant: 'one-leader-per-epoch', ...at, message: `${fact.topic}-${fact.partition} epoch ${fact.leaderEpoch} has two leaders: ${previous} and ${fact.broker}` });
      }
      if (!previous) leaderOfEpoch.set(key, fact.broker);
    }
    if (fact.event === 'offset-committed') {
      const key = `${fact.group}|${tpKey(fact.topic, fact.partition)}|${fact.generation}`;
      const previous = committed.get(key);
      const seekToDivergence = (divergedAt.get(tpKey(fact.topic, fact.partition)) ?? []).some((d) => d < (previous ?? 0) && fact.offset >= d);
      if (previous !== undefined && fact.offset < previous && !seekToDivergence) {
        violations.push({ invariant: 'committed-offsets-monotonic', ...at, message: `group ${fact.group} ${fact.topic}-${fact.partition} generation ${fact.generation}: committed offset went back from ${previous} to ${fact.offset}` });
      }
      committed.set(key, Math.max(previous ?? -1, fact.offset));
    }
  }

  /** Whether a committed offset past `offset` has a key containing `suffix`: read in place, not copied (the map holds every group, partition and generation committed). */
  function committedPast(suffix: string, offset: number): boolean {
    for (const [key, committedOffset] of committed) if (committedOffset > offset && key.includes(suffix)) return true;
    return false;
  }

  function checkHighWatermark(entry: TraceEntry, tp: string, fact: Fact<'high-watermark'>): void {
    if (view.leader.get(tp) !== fact.broker) return;
    leaderHw.set(tp, Math.max(leaderHw.get(tp) ?? 0, fact.highWatermark));
    const members = view.isr.get(tp);
    if (!members) return;
    for (const member of members) {
      const leo = replicaLog(view, tp, member).end;
      if (fact.highWatermark > leo) {
        violations.push({ invariant: 'hw-within-isr', step: entry.step, time: entry.time, message: `${tp}: high watermark ${fact.highWatermark} on ${fact.broker} passes ISR member ${member}'s log end offset ${leo}` });
      }
    }
  }

  function finish(delivery: Pick<DeliveryCounts, 'records'>, skipped?: InvariantSkip[]): InvariantViolation[] {
    if (step >= 0) pushAll(violations, isr.endStep(step, stepTime));

    const notPromised: string[] = [];
    for (const topic of context.topics) {
      const promised = topic.minInsyncReplicas >= 2 && !topic.uncleanLeaderElection && context.crashMode === 'process'
        && maxDown <= topic.replicationFactor - topic.minInsyncReplicas;
      if (!promised) {
        notPromised.push(ackedLossNotPromisedBecause(topic, context.crashMode));
        continue;
      }
      for (const r of delivery.records) {
        if (r.topic === topic.name && r.lost && r.acks === 'all') {
          violations.push({
            invariant: 'no-acked-loss-when-promised', step: r.causes[0]?.step ?? 0, time: r.ackedAt ?? 0,
            message: `record ${r.id} acknowledged with acks=all on ${r.topic}-${r.partition} was lost although min.insync.replicas=${topic.minInsyncReplicas}, RF=${topic.replicationFactor}, unclean election off and at most ${maxDown} broker(s) down`,
          });
        }
      }
    }
    // Checked when at least one topic carried the promise; otherwise say why none did (stable
    // wording per cause, so that a sweep can count seeds by reason).
    if (skipped && notPromised.length === context.topics.length && notPromised.length > 0) {
      skipped.push({ invariant: 'no-acked-loss-when-promised', reason: [...new Set(notPromised)].join('; ') });
    }
    return violations;
  }

  return { view, onEntry, onFact, finish };
}

function pushAll<T>(to: T[], items: readonly T[]): void {
  for (const item of items) to.push(item);
}

function ackedLossNotPromisedBecause(topic: CheckContext['topics'][number], crashMode: CheckContext['crashMode']): string {
  if (topic.minInsyncReplicas < 2) return `${topic.name}: min.insync.replicas=${topic.minInsyncReplicas} (< 2)`;
  if (topic.uncleanLeaderElection) return `${topic.name}: unclean.leader.election.enable=true`;
  if (crashMode !== 'process') return `kafkasim.crash.mode=${crashMode}`;
  const allowed = topic.replicationFactor - topic.minInsyncReplicas;
  return `${topic.name}: more than RF - min.insync.replicas = ${allowed} broker(s) down at once`;
}
