// Records each teaching scenario's trace hash in scenarios/golden-hashes.json.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../packages/kafka/src/scenario/validate';
import { runScenario } from '../packages/kafka/src/scenario/run';

const dir = new URL('../scenarios/', import.meta.url).pathname;
const hashes: Record<string, string> = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json' && f !== 'golden-hashes.json').sort()) {
  const scenario = parseScenario(readFileSync(join(dir, file), 'utf8'), file);
  hashes[scenario.name] = runScenario(scenario, { traceMessages: false }).traceHash;
}
writeFileSync(join(dir, 'golden-hashes.json'), `${JSON.stringify(hashes, null, 2)}\n`);
console.log(hashes);
