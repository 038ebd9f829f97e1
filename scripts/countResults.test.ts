import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addCounts, countReport, countReportFile } from './countResults';

describe('countResults', () => {
  it('reads both report shapes, counting runtime errors and flaky tests as failures', () => {
    expect(countReport({ numPassedTests: 5, numFailedTests: 1, numRuntimeErrorTestSuites: 2 })).toEqual({ passed: 5, failed: 3 });
    expect(countReport({ stats: { expected: 4, unexpected: 1, flaky: 1 } })).toEqual({ passed: 4, failed: 2 });
  });

  it('counts a missing report as one failure and sums suites', () => {
    const dir = mkdtempSync(join(tmpdir(), 'count-'));
    const file = join(dir, 'r.json');
    expect(countReportFile(file)).toEqual({ passed: 0, failed: 1 });
    writeFileSync(file, JSON.stringify({ numPassedTests: 7, numFailedTests: 0 }));
    expect(addCounts([countReportFile(file), { passed: 2, failed: 1 }])).toEqual({ passed: 9, failed: 1 });
  });
});
