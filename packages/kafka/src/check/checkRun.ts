/**
 * The checks a sweep makes of a run, in one pass over the trace: the delivery report in outline
 * and the invariants read each fact as one object (one factOf per record instead of one per
 * checker). One invariant reads a cause chain, which the outline leaves out:
 * no-acked-loss-when-promised reports a lost acks=all record at the first step of its chain. So
 * when the outline shows such a record, the full report is made (a second pass) and the
 * invariants finish with it: the violations are the ones checkInvariants reports with the full
 * report, as `kafkasim run` makes it.
 */
import type { Trace, TraceEntry } from '@kafkasim/engine';
import { deliveryPass, deliveryReport, type DeliveryOutline, type DeliveryReport } from './delivery';
import { factOf, isFact, type CheckContext } from './facts';
import { invariantPass, type InvariantSkip, type InvariantViolation } from './invariants';

export interface RunChecks {
  delivery: DeliveryOutline | DeliveryReport;
  violations: InvariantViolation[];
}

export function checkRun(trace: Trace, context: CheckContext, skipped?: InvariantSkip[]): RunChecks {
  const delivery = deliveryPass({ outline: true });
  const invariants = invariantPass(context);
  for (const entry of trace) {
    const fact = isFact(entry) ? factOf(entry) : null;
    delivery.onEntry(entry, fact);
    invariants.onEntry(entry, fact);
  }
  const outline = delivery.finish(trace);
  const report = outline.records.some((r) => r.lost && r.acks === 'all') ? deliveryReport(trace) : outline;
  return { delivery: report, violations: invariants.finish(report, skipped) };
}
