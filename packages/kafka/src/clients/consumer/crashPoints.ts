/**
 * Scripted consumer crashes (ProcessingModel.crash) carried out as real engine faults: the
 * simulation runs event by event and, right after the event in which a consumer completed its
 * n-th record, the consumer node is crashed (and restarted later if asked). Between that record's
 * processing and the next commit is exactly where at-least-once duplicates and at-most-once
 * losses come from.
 */
import type { Simulation, TraceEntry } from '@kafkasim/engine';
import { CONSUMER_KIND } from './consumer';
import type { ConsumerOptions } from './types';

interface CrashPlan {
  node: string;
  afterProcessed: number;
  restartAfterMs?: number;
  /** processed count in the current incarnation, and whether this incarnation already crashed */
  count: number;
  fired: boolean;
}

const plans = new WeakMap<Simulation, { traceIndex: number; plans: CrashPlan[] }>();

function plansOf(sim: Simulation) {
  let entry = plans.get(sim);
  if (!entry) {
    entry = { traceIndex: sim.trace.length, plans: [] };
    for (const node of sim.nodeIds(CONSUMER_KIND).sort()) {
      const options = (sim.behaviors[node] as { options?: ConsumerOptions }).options;
      const crash = options?.processing.crash;
      if (crash) entry.plans.push({ node, afterProcessed: crash.afterProcessed, restartAfterMs: crash.restartAfterMs, count: 0, fired: false });
    }
    plans.set(sim, entry);
  }
  return entry;
}

function observe(sim: Simulation, entry: TraceEntry, plan: CrashPlan): void {
  if (entry.node !== plan.node) return;
  if (entry.type === 'restart' || entry.type === 'boot') plan.count = 0;
  if (entry.type !== 'record' || entry.event !== 'processed' || plan.fired) return;
  plan.count += 1;
  if (plan.count < plan.afterProcessed) return;
  plan.fired = true;
  sim.schedule(sim.now, { type: 'crash', node: plan.node });
  if (plan.restartAfterMs !== undefined) sim.schedule(sim.now + plan.restartAfterMs, { type: 'restart', node: plan.node });
}

/** sim.runUntil(time), honouring the consumers' crash points. Needs the trace (the default). */
export function runWithCrashPoints(sim: Simulation, time: number): void {
  const state = plansOf(sim);
  for (;;) {
    const next = sim.nextEventTime();
    if (next === undefined || next > time) return;
    sim.stepOnce();
    for (; state.traceIndex < sim.trace.length; state.traceIndex++) {
      for (const plan of state.plans) observe(sim, sim.trace[state.traceIndex], plan);
    }
  }
}
