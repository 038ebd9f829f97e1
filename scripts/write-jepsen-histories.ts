// Writes the client history of every teaching scenario, and of each under N random fault schedules
// (the ones `sweep` draws), as Jepsen EDN, plus kafkasim's Jepsen anomaly counts in counts.json:
// run Jepsen's jepsen.tests.kafka/analysis on the .edn files and compare.
//   npx tsx scripts/write-jepsen-histories.ts <out-dir> [fault-seeds, default 3]
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientHistory } from '../packages/kafka/src/check/history';
import { historyToEdn } from '../packages/kafka/src/check/edn';
import { jepsenAnalysis, jepsenCounts } from '../packages/kafka/src/check/jepsen';
import { randomFaults } from '../packages/kafka/src/scenario/randomFaults';
import { runScenario } from '../packages/kafka/src/scenario/run';
import { parseScenario } from '../packages/kafka/src/scenario/validate';

const [outDir, seedsArg = '3'] = process.argv.slice(2);
if (!outDir || !/^\d+$/.test(seedsArg)) {
  console.error('usage: npx tsx scripts/write-jepsen-histories.ts <out-dir> [fault-seeds]');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
const dir = new URL('../scenarios/', import.meta.url).pathname;
const counts: Record<string, { counts: ReturnType<typeof jepsenCounts>; lostWrites: string[] }> = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json' && f !== 'golden-hashes.json').sort()) {
  const scenario = parseScenario(readFileSync(join(dir, file), 'utf8'), file);
  const variants: [string, typeof scenario][] = [[scenario.name, scenario]];
  for (let seed = 1; seed <= Number(seedsArg); seed++) {
    variants.push([`${scenario.name}~faults${seed}`, { ...scenario, seed, faults: randomFaults(scenario, seed, { maxFaults: 3 }) }]);
  }
  for (const [name, s] of variants) {
    const history = clientHistory(runScenario(s, { traceMessages: false }).trace);
    writeFileSync(join(outDir, `${name}.edn`), historyToEdn(history.ops));
    const analysis = jepsenAnalysis(history.ops);
    counts[name] = { counts: jepsenCounts(analysis), lostWrites: analysis['lost-write'].map((c) => c.value).sort() };
  }
}
writeFileSync(join(outDir, 'counts.json'), `${JSON.stringify(counts, null, 2)}\n`);
console.log(`${Object.keys(counts).length} histories in ${outDir}`);
