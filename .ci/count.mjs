// Sums every JSON report the test command wrote and prints the one line CI reads.
import { existsSync, readFileSync } from 'node:fs';

const reports = ['.vitest-results.json', 'apps/visualizer/test-results/playwright.json'];
let passed = 0;
let failed = 0;
let found = 0;
for (const file of reports) {
  if (!existsSync(file)) continue;
  found += 1;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (report.numPassedTests !== undefined) {
    passed += report.numPassedTests;
    failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  } else if (report.stats) {
    passed += report.stats.expected;
    failed += report.stats.unexpected + (report.stats.flaky ?? 0);
  }
}
if (found === 0) failed += 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
