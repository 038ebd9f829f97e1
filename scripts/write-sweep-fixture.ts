// Records the reports of the fixture sweeps (packages/kafka/src/scenario/testing/sweepFixture.ts) in sweepFixture.json.
import { writeFileSync } from 'node:fs';
import { fixtureSweeps, sweepFixture } from '../packages/kafka/src/scenario/testing/sweepFixture';

const out = new URL('../packages/kafka/src/scenario/testing/sweepFixture.json', import.meta.url).pathname;
const reports = fixtureSweeps.map(sweepFixture);
writeFileSync(out, `${JSON.stringify(reports, null, 1)}\n`);
for (const r of reports) console.log(`${r.file}: ${r.report.seeds} seeds, ${r.report.failing.length} failing`);
