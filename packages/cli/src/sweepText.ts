/** The body of a sweep report for the terminal, the same for one machine's sweep and a merged one. */
import type { SweepReport } from '@kafkasim/kafka';
import { table } from './table';

export function sweepReportText(report: SweepReport): string {
  const lines: string[] = [];
  const { sweep } = report;
  if (report.shard) {
    lines.push(`shard ${report.shard.index}/${report.shard.count} of seeds ${sweep.from}..${sweep.from + sweep.count - 1}; merge the shards' directories with \`kafkasim sweep merge DIR...\``);
  }
  lines.push('', 'seeds per invariant (checked: the run met the invariant\'s premise):');
  const tallies = Object.entries(report.invariants);
  lines.push(table(['invariant', 'checked', 'broken', 'skipped'], tallies.map(([name, t]) => [name, t.checked, t.broken, t.skipped])));
  for (const [name, t] of tallies) {
    for (const [reason, n] of Object.entries(t.skippedBecause)) lines.push(`  ${name} skipped in ${n} seed(s): ${reason}`);
  }
  if (report.failing.length > 0) {
    lines.push('');
    lines.push(table(['seed', 'broken invariants', 'first broken in the saved run', 'faults', 'shrunk to', 'reproduce with'], report.failing.map((o) => [
      o.seed,
      o.broken.join(', '),
      (o.violations ?? []).map((v) => `${v.invariant} at step ${v.step} (t=${v.time} ms)`).join('; '),
      o.faults.length,
      (o.shrunk ?? o.faults).length,
      `kafkasim run ${o.file}`,
    ])));
  }
  return lines.join('\n');
}
