/**
 * A sweep's report, as data: which sweep (scenario, seeds, fault mix), which shard of it, how
 * many seeds each invariant checked and broke, and every failing seed. `kafkasim sweep` writes it
 * next to the saved reproductions and prints it; `kafkasim sweep merge` adds up the shards'
 * reports into the report the whole sweep on one machine gives.
 */
import { canonicalJson, TraceHasher } from '@kafkasim/engine';
import { z } from 'zod';
import { invariantNames } from '../check';
import { defaultFaultKinds, faultKinds } from './randomFaults';
import type { Scenario } from './schema';
import type { Shard } from './shard';
import type { SeedOutcome, SweepOptions } from './sweep';

export const sweepReportFormat = 'kafkasim-sweep-report/1';

/** What makes two shards parts of one sweep. */
export interface SweepIdentity {
  scenario: string;
  /** Hash of the scenario as swept (after --set), so shards of different files or settings never merge. */
  scenarioHash: string;
  from: number;
  count: number;
  faults: SweepOptions['faults'];
  kinds: string[];
  maxFaults: number;
  shrink: boolean;
}

export interface InvariantTally {
  /** Seeds whose run checked the invariant (its premise held). */
  checked: number;
  broken: number;
  /** Seeds whose run did not check it, in all and by reason. */
  skipped: number;
  skippedBecause: Record<string, number>;
}

/** A failing seed as reported: its outcome and the saved reproduction (a path relative to the report's directory in the file, as given when printed). */
export type FailingSeed = Omit<SeedOutcome, 'checked'> & { file: string };

export interface SweepReport {
  format: typeof sweepReportFormat;
  scenario: string;
  /** Seeds swept in this report: a shard's share, or the whole sweep. */
  seeds: number;
  sweep: SweepIdentity;
  /** Which slice this report covers; null for a whole sweep (run on one machine, or merged). */
  shard: Shard | null;
  invariants: Record<string, InvariantTally>;
  failing: FailingSeed[];
}

export class SweepReportError extends Error {}

export function sweepIdentity(scenario: Scenario, options: SweepOptions, from: number, count: number): SweepIdentity {
  const hasher = new TraceHasher();
  hasher.update(canonicalJson(scenario));
  return {
    scenario: scenario.name,
    scenarioHash: hasher.digest(),
    from,
    count,
    faults: options.faults,
    kinds: options.faults === 'random' ? [...(options.kinds ?? defaultFaultKinds)] : [],
    maxFaults: options.maxFaults ?? 3,
    shrink: options.shrink !== false,
  };
}

/** Invariants in the checker's order, then any others by name: the same order however the counts were added up. */
function ordered(tallies: Map<string, InvariantTally>): Record<string, InvariantTally> {
  const rank = (name: string) => {
    const i = (invariantNames as string[]).indexOf(name);
    return i < 0 ? invariantNames.length : i;
  };
  const names = [...tallies.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, InvariantTally> = {};
  for (const name of names) {
    const t = tallies.get(name)!;
    const because = Object.keys(t.skippedBecause).sort();
    out[name] = { checked: t.checked, broken: t.broken, skipped: t.skipped, skippedBecause: Object.fromEntries(because.map((r) => [r, t.skippedBecause[r]])) };
  }
  return out;
}

function tallyOf(tallies: Map<string, InvariantTally>, name: string): InvariantTally {
  let t = tallies.get(name);
  if (!t) tallies.set(name, (t = { checked: 0, broken: 0, skipped: 0, skippedBecause: {} }));
  return t;
}

/** The report of the seeds one process swept (`fileOf` names each failing seed's saved reproduction). */
export function summarizeSweep(identity: SweepIdentity, shard: Shard | null, outcomes: readonly SeedOutcome[], fileOf: (o: SeedOutcome) => string): SweepReport {
  const sorted = [...outcomes].sort((a, b) => a.seed - b.seed);
  const tallies = new Map<string, InvariantTally>();
  for (const o of sorted) {
    for (const name of o.checked) tallyOf(tallies, name).checked += 1;
    for (const name of o.broken) tallyOf(tallies, name).broken += 1;
    for (const skip of o.skipped) {
      const t = tallyOf(tallies, skip.invariant);
      t.skipped += 1;
      t.skippedBecause[skip.reason] = (t.skippedBecause[skip.reason] ?? 0) + 1;
    }
  }
  const failing = sorted.filter((o) => o.broken.length > 0).map((o) => {
    const { checked: _, ...rest } = o;
    return { ...rest, file: fileOf(o) };
  });
  return { format: sweepReportFormat, scenario: identity.scenario, seeds: sorted.length, sweep: identity, shard, invariants: ordered(tallies), failing };
}

const tallySchema = z.object({
  checked: z.number().int().nonnegative(),
  broken: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  skippedBecause: z.record(z.string(), z.number().int().nonnegative()),
});

const reportSchema = z.object({
  format: z.literal(sweepReportFormat),
  scenario: z.string(),
  seeds: z.number().int().nonnegative(),
  sweep: z.object({
    scenario: z.string(), scenarioHash: z.string(), from: z.number().int().nonnegative(), count: z.number().int().nonnegative(),
    faults: z.enum(['random', 'scenario']), kinds: z.array(z.enum(faultKinds)), maxFaults: z.number().int().positive(), shrink: z.boolean(),
  }),
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).nullable(),
  invariants: z.record(z.string(), tallySchema),
  failing: z.array(z.looseObject({ seed: z.number().int(), broken: z.array(z.string()), file: z.string() })),
});

/** Reads a report file's text; a clear error naming the file and the field otherwise. */
export function parseSweepReport(text: string, source: string): SweepReport {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SweepReportError(`${source}: not JSON (${(error as Error).message})`);
  }
  const parsed = reportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.join('.') || '(top level)';
    throw new SweepReportError(`${source}: not a kafkasim sweep report (${sweepReportFormat}): ${path}: ${issue.message}`);
  }
  return parsed.data as SweepReport;
}

const shardLabel = (s: Shard | null) => (s ? `${s.index}/${s.count}` : '1/1');

/**
 * Adds up the reports of the shards of one sweep into the report of the whole sweep. Refuses
 * reports of different sweeps, a shard given twice and a missing shard, naming the files.
 */
export function mergeSweepReports(parts: readonly { source: string; report: SweepReport }[]): SweepReport {
  if (parts.length === 0) throw new SweepReportError('sweep merge: no sweep reports found');
  const [first] = parts;
  const identity = first.report.sweep;
  const count = first.report.shard?.count ?? 1;
  const bySlice = new Map<number, string>();
  for (const { source, report } of parts) {
    for (const field of Object.keys(identity) as (keyof SweepIdentity)[]) {
      const a = JSON.stringify(identity[field]);
      const b = JSON.stringify(report.sweep[field]);
      if (a !== b) throw new SweepReportError(`sweep merge: ${source} swept ${field} ${b} but ${first.source} swept ${a}: only the shards of one sweep merge`);
    }
    const shard = report.shard ?? { index: 1, count: 1 };
    if (shard.count !== count) throw new SweepReportError(`sweep merge: ${source} is shard ${shardLabel(report.shard)} but ${first.source} is shard ${shardLabel(first.report.shard)}`);
    const twice = bySlice.get(shard.index);
    if (twice) throw new SweepReportError(`sweep merge: shard ${shard.index}/${count} is given twice: ${twice} and ${source}`);
    bySlice.set(shard.index, source);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !bySlice.has(i));
  if (missing.length > 0) throw new SweepReportError(`sweep merge: missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} of ${identity.scenario} (seeds ${identity.from}..${identity.from + identity.count - 1})`);

  const tallies = new Map<string, InvariantTally>();
  for (const { report } of parts) {
    for (const [name, t] of Object.entries(report.invariants)) {
      const sum = tallyOf(tallies, name);
      sum.checked += t.checked;
      sum.broken += t.broken;
      sum.skipped += t.skipped;
      for (const [reason, n] of Object.entries(t.skippedBecause)) sum.skippedBecause[reason] = (sum.skippedBecause[reason] ?? 0) + n;
    }
  }
  const seeds = parts.reduce((n, p) => n + p.report.seeds, 0);
  if (seeds !== identity.count) throw new SweepReportError(`sweep merge: the shards swept ${seeds} seeds, the sweep has ${identity.count}: a shard's report is incomplete`);
  const failing = parts.flatMap((p) => p.report.failing).sort((a, b) => a.seed - b.seed);
  return { format: sweepReportFormat, scenario: identity.scenario, seeds, sweep: identity, shard: null, invariants: ordered(tallies), failing };
}
