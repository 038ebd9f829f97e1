// `npm test`: the unit, property and scenario tests (vitest), then the browser tests (Playwright on
// a production build, in a Chromium that scripts/browser finds or installs). Both always run. The
// last line printed is the sum of both, "N passed, N failed", which is what CI reads.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ensureChromium } from './browser/ensureChromium';
import { addCounts, countReportFile, type Count } from './countResults';

const vitestReport = '.vitest-results.json';
const playwrightReport = 'apps/visualizer/test-results/playwright.json';
for (const report of [vitestReport, playwrightReport]) rmSync(report, { force: true });

const run = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number =>
  spawnSync(command, args, { stdio: 'inherit', shell: false, env }).status ?? 1;

const counts: Count[] = [];
const unitStatus = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
counts.push(countReportFile(vitestReport));

let browserStatus = 0;
if (!process.argv.includes('--no-browser')) {
  const chromium = ensureChromium();
  if (chromium.ok) {
    browserStatus = run('npm', ['run', 'test:e2e', '--workspace', 'apps/visualizer'], { ...process.env, CHROMIUM_PATH: chromium.path });
    counts.push(countReportFile(playwrightReport));
  } else {
    console.log(`browser tests not run: ${chromium.reason}`);
    browserStatus = 1;
    counts.push({ passed: 0, failed: 1 });
  }
}

const total = addCounts(counts);
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(unitStatus !== 0 || browserStatus !== 0 || total.failed > 0 || total.passed === 0 ? 1 : 0);
