/**
 * Every teaching scenario runs, and its test asserts the lesson it claims (its `expect` block),
 * the absence of unexpected invariant violations, and its trace hash: the same on a second run,
 * and equal to the golden hash recorded in golden-hashes.json (regenerate with
 * `npx tsx scripts/write-golden-hashes.ts` after an intended model change, and say why in the commit).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, runScenario } from '../packages/kafka/src/scenario';

const dir = new URL('.', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'schema.json' && f !== 'golden-hashes.json').sort();
const goldenFile = join(dir, 'golden-hashes.json');
const golden: Record<string, string> = existsSync(goldenFile) ? JSON.parse(readFileSync(goldenFile, 'utf8')) : {};

type Range = number | [number, number];
function expectWithin(actual: number, expected: Range | undefined, what: string) {
  if (expected === undefined) return;
  const [min, max] = typeof expected === 'number' ? [expected, expected] : expected;
  expect(actual, `${what}: expected ${min === max ? min : `${min}..${max}`}, got ${actual}`).toBeGreaterThanOrEqual(min);
  expect(actual, `${what}: expected ${min === max ? min : `${min}..${max}`}, got ${actual}`).toBeLessThanOrEqual(max);
}

describe.each(files)('scenario %s', (file) => {
  const scenario = parseScenario(readFileSync(join(dir, file), 'utf8'), file);
  const result = runScenario(scenario, { traceMessages: false });
  const expectation = scenario.expect ?? {};

  it('teaches its lesson', () => {
    const d = result.delivery;
    expect(d.produced, 'the workload produced records').toBeGreaterThan(0);
    expectWithin(d.lost, expectation.lostAcknowledged, 'lost acknowledged records');
    expectWithin(d.duplicated, expectation.duplicated, 'duplicated records');
    expectWithin(d.reordered, expectation.reordered, 'reordered records');
    expectWithin(d.unprocessed, expectation.unprocessed, 'unprocessed records');
    expectWithin(d.outputDuplicates, expectation.outputDuplicates, 'input records whose output was committed more than once');
    expectWithin(d.longestAckGapMs, expectation.longestAckGapMs, 'longest time without an acknowledgement (ms)');
    if (expectation.invariantViolations) {
      expect([...new Set(result.violations.map((v) => v.invariant))].sort(), JSON.stringify(result.violations.slice(0, 3))).toEqual([...expectation.invariantViolations].sort());
    }
    const facts = new Set(result.trace.filter((e) => e.type === 'record').map((e) => e.event as string));
    for (const fact of expectation.facts ?? []) expect(facts.has(fact), `fact ${fact} in the trace`).toBe(true);
  });

  it('is deterministic and matches its golden trace hash', () => {
    expect(runScenario(scenario, { traceMessages: false }).traceHash).toBe(result.traceHash);
    if (golden[scenario.name]) expect(result.traceHash).toBe(golden[scenario.name]);
  });
});

it('has a golden hash for every scenario and none for a scenario that is gone', () => {
  const names = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).name).sort();
  expect(Object.keys(golden).sort()).toEqual(names);
});
