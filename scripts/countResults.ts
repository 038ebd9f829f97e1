/** Sums the JSON reports of vitest and Playwright into one passed/failed count. */
import { existsSync, readFileSync } from 'node:fs';

export type Count = { passed: number; failed: number };

type VitestReport = { numPassedTests: number; numFailedTests: number; numRuntimeErrorTestSuites?: number };
type PlaywrightReport = { stats: { expected: number; unexpected: number; flaky?: number } };

export function countReport(report: VitestReport | PlaywrightReport): Count {
  if ('numPassedTests' in report) {
    return { passed: report.numPassedTests, failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0) };
  }
  return { passed: report.stats.expected, failed: report.stats.unexpected + (report.stats.flaky ?? 0) };
}

/** A suite that ran and wrote no report counts as one failure: something stopped it before it could. */
export function countReportFile(file: string): Count {
  if (!existsSync(file)) return { passed: 0, failed: 1 };
  return countReport(JSON.parse(readFileSync(file, 'utf8')));
}

export const addCounts = (counts: Count[]): Count =>
  counts.reduce((total, count) => ({ passed: total.passed + count.passed, failed: total.failed + count.failed }), { passed: 0, failed: 0 });
