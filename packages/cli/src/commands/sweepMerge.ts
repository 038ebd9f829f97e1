import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mergeSweepReports, parseSweepReport, SweepReportError, type SweepReport } from '@kafkasim/kafka';
import { parseArgs, UsageError } from '../args';
import type { Out } from '../main';
import { sweepReportText } from '../sweepText';

/** The report files a merge argument names: the file itself, or every sweep-report*.json in a directory. */
function reportFiles(arg: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(arg).isDirectory();
  } catch {
    throw new UsageError(`${arg}: no such directory or sweep report`);
  }
  if (!isDir) return [arg];
  const files = readdirSync(arg).filter((f) => /^sweep-report(\.shard-\d+-of-\d+)?\.json$/.test(f)).sort().map((f) => join(arg, f));
  if (files.length === 0) throw new UsageError(`${arg}: no sweep report in it (sweep-report*.json, written by kafkasim sweep --out ${arg})`);
  return files;
}

/** A shard's report with its reproductions' paths resolved against the directory it lies in. */
function readReport(file: string): { source: string; report: SweepReport } {
  let report: SweepReport;
  try {
    report = parseSweepReport(readFileSync(file, 'utf8'), file);
  } catch (error) {
    if (error instanceof SweepReportError) throw new UsageError(error.message);
    throw new UsageError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { source: file, report: { ...report, failing: report.failing.map((o) => ({ ...o, file: join(dirname(file), o.file) })) } };
}

/** `kafkasim sweep merge DIR...`: the shards' reports added up into the report of the whole sweep. */
export async function sweepMergeCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { boolean: ['json'], value: [] });
  if (args.positionals.length === 0) throw new UsageError('sweep merge needs the directories (or report files) of the shards to merge');
  const parts = [...new Set(args.positionals.flatMap(reportFiles))].map(readReport);
  let report: SweepReport;
  try {
    report = mergeSweepReports(parts);
  } catch (error) {
    if (error instanceof SweepReportError) throw new UsageError(error.message);
    throw error;
  }
  const mergedFrom = parts.map((p) => p.source);
  if (args.flags.has('json')) {
    out.log(JSON.stringify({ ...report, mergedFrom }, null, 2));
  } else {
    out.log(`${report.scenario}: ${report.seeds} seeds merged from ${parts.length} shard report(s); ${report.failing.length} broke an invariant`);
    out.log(sweepReportText(report));
  }
  return report.failing.length > 0 ? 1 : 0;
}
