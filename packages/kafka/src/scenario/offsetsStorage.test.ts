import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyOverrides } from './overrides';
import { checkReferences } from './references';
import { runScenario } from './run';
import { parseScenario } from './validate';

const load = (name: string) => {
  const file = new URL(`../../../../scenarios/${name}.json`, import.meta.url);
  return parseScenario(readFileSync(file, 'utf8'), `${name}.json`);
};

describe('kafkasim.offsets.storage in scenarios', () => {
  it('--set kafkasim.offsets.storage=zookeeper reaches every consumer, which then commits to the coordinator ensemble', () => {
    const scenario = applyOverrides(load('consumer-crash-at-least-once'), { 'kafkasim.offsets.storage': 'zookeeper' }, 'x.json');
    expect(scenario.workload.consumers.map((g) => g.config['kafkasim.offsets.storage'])).toEqual(['zookeeper']);
    const r = runScenario(scenario, { traceMessages: false });
    const commits = r.trace.filter((e) => e.type === 'record' && e.event === 'offset-committed');
    expect(commits.length).toBeGreaterThan(0);
    expect(commits.every((e) => String(e.node).startsWith('consumer-') && (e.data as { store?: string }).store === 'zookeeper')).toBe(true);
    // The lesson of the scenario holds with either store: re-processing, no loss.
    expect(r.delivery.duplicated).toBeGreaterThan(0);
    expect(r.delivery.lost).toBe(0);
    expect(r.delivery.unprocessed).toBe(0);
  });

  it('is refused with exactly-once, whose offsets are written in the transaction', () => {
    const bad = structuredClone(load('exactly-once-pipeline'));
    bad.workload.consumers[0].config['kafkasim.offsets.storage'] = 'zookeeper';
    expect(checkReferences(bad).map((i) => `${i.path}: ${i.message}`)).toEqual([
      expect.stringMatching(/^workload\.consumers\[0\]\.config\.kafkasim\.offsets\.storage: must be "kafka" with processing\.mode "exactly-once"/),
    ]);
  });
});
