// `npm test`: the unit, property and scenario tests (vitest), then the browser tests
// (Playwright on a production build). Both always run; the exit code fails if either failed.
// Each writes a JSON report that .ci/count.mjs sums into CI's "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const reports = ['.vitest-results.json', 'apps/visualizer/test-results/playwright.json'];
for (const report of reports) rmSync(report, { force: true });

const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', shell: false }).status ?? 1;
const unit = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=.vitest-results.json']);
const browser = process.argv.includes('--no-browser') ? 0 : run('npm', ['run', 'test:e2e', '--workspace', 'apps/visualizer']);
process.exit(unit !== 0 || browser !== 0 ? 1 : 0);
