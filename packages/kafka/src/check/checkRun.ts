/**
 * The checks a sweep makes of a run, in one pass: the invariants, and of the delivery report
 * only what no-acked-loss-when-promised reads, the acks=all records that were lost. Those are
 * found at the end on the invariants' own replica view (the report's view replays the same
 * facts), so a run with none makes no report at all. A run with one makes the full report (a
 * second pass over the trace), because the invariant reports such a record at the first step of
 * its cause chain: the violations are then the ones checkInvariants reports with the full
 * report, as `kafkasim run` makes it.
 *
 * The pass takes entries one at a time, so it can check a run as it goes (fed by the
 * simulation's traceSink) as well as a stored trace.
 */
import type { Trace, TraceEntry } from '@kafkasim/engine';
import { deliveryReport, indexHolders, lostAtEnd, type DeliveryReport } from './delivery';
import { isFact, modelFactOf, tpKey, type CheckContext, type Fact } from './facts';
import { invariantEvents, invariantPass, type InvariantSkip, type InvariantViolation } from './invariants';

export interface RunChecks {
  /** The full delivery report, made only when an acks=all record was lost; null when none was. */
  delivery: DeliveryReport | null;
  violations: InvariantViolation[];
}

export interface RunCheckPass {
  onEntry(entry: TraceEntry): void;
  /**
   * `trace` is the whole run's, read again only when an acks=all record was lost; a pass fed by
   * the fact sink of a run that stored no trace gives a function that makes it (by running again).
   */
  finish(trace: Trace | (() => Trace), skipped?: InvariantSkip[]): RunChecks;
}

/** Where a record was last acknowledged with acks=all: one object per partition, shared. */
interface AckedAll {
  topic: string;
  tp: string;
}

export function runCheckPass(context: CheckContext): RunCheckPass {
  const invariants = invariantPass(context);
  /**
   * Records the producers asked for (the report knows only those): the topic asked for, or,
   * when the last acknowledgement since was with acks=all, where that was. Only those records
   * can count for ackedAllLost, and no object an acknowledgement keeps the fifth of a run's
   * facts these are cheap.
   */
  const requested = new Map<string, string | AckedAll>();
  const ackedAllOn = new Map<string, AckedAll>();
  /**
   * Requests not yet entered in `requested`, in order, while no record was acknowledged with
   * acks=all: until then no lookup could find an AckedAll, so no acknowledgement changes anything
   * and nothing reads the map. A run whose producers use acks=0 or 1 then hashes no record id at
   * all (the Map insert of each request was the costliest line of these checks); the first
   * acks=all acknowledgement enters them, in their order, and later requests are entered as they come.
   */
  let pendingIds: string[] | null = [];
  let pendingTopics: string[] = [];

  function enterPendingRequests(): void {
    if (pendingIds === null) return;
    for (let i = 0; i < pendingIds.length; i++) requested.set(pendingIds[i], pendingTopics[i]);
    pendingIds = null;
    pendingTopics = [];
  }

  function ackedAllOf(topic: string, partition: number): AckedAll {
    const tp = tpKey(topic, partition);
    let acked = ackedAllOn.get(tp);
    if (!acked) ackedAllOn.set(tp, (acked = { topic, tp }));
    return acked;
  }

  function onEntry(entry: TraceEntry): void {
    if (!isFact(entry)) return invariants.onEntry(entry);
    const event = entry.event as string;
    // The two commonest facts, two in five, are told before the set's lookup.
    if (event === 'append' || event === 'high-watermark' || invariantEvents.has(event)) return invariants.onFact(entry, modelFactOf(entry));
    // The invariants read none of the others: those two are read from the entry's data.
    if (event === 'produce-request') {
      const data = entry.data as Fact<'produce-request'>;
      // A request again under the same id starts the report's record afresh.
      if (pendingIds !== null) {
        pendingIds.push(data.id);
        pendingTopics.push(data.topic);
      } else requested.set(data.id, data.topic);
    } else if (event === 'produce-acked') {
      const data = entry.data as Fact<'produce-acked'>;
      if (pendingIds !== null) {
        if (data.acks !== 'all') return;
        enterPendingRequests();
      }
      const known = requested.get(data.id);
      if (known === undefined) return;
      const topic = typeof known === 'string' ? known : known.topic;
      if (data.acks === 'all') requested.set(data.id, ackedAllOf(topic, data.partition));
      else if (known !== topic) requested.set(data.id, topic);
    }
  }

  function ackedAllLost(): boolean {
    // No acks=all acknowledgement yet: every record's value is still its topic.
    if (pendingIds !== null) return false;
    let holders: ReturnType<typeof indexHolders> | null = null;
    for (const [id, known] of requested) {
      if (typeof known === 'string') continue;
      holders ??= indexHolders(invariants.view);
      if (lostAtEnd(invariants.view, holders, id, known.tp)) return true;
    }
    return false;
  }

  function finish(trace: Trace | (() => Trace), skipped?: InvariantSkip[]): RunChecks {
    const delivery = ackedAllLost() ? deliveryReport(typeof trace === 'function' ? trace() : trace) : null;
    return { delivery, violations: invariants.finish(delivery ?? { records: [] }, skipped) };
  }

  return { onEntry, finish };
}

export function checkRun(trace: Trace, context: CheckContext, skipped?: InvariantSkip[]): RunChecks {
  const pass = runCheckPass(context);
  for (const entry of trace) pass.onEntry(entry);
  return pass.finish(trace, skipped);
}
