import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from './validate';
import { runScenario } from './run';
import { checkReferences } from './references';

const file = new URL('../../../../scenarios/exactly-once-pipeline.json', import.meta.url);
const scenario = parseScenario(readFileSync(file, 'utf8'), 'exactly-once-pipeline.json');

describe('exactly-once consume-process-produce', () => {
  it('the same crash leaves duplicate committed output with commit-after-process, none with exactly-once', () => {
    const eos = runScenario(scenario, { traceMessages: false }).delivery;
    const plain = structuredClone(scenario);
    plain.workload.consumers[0].processing.mode = 'commit-after-process';
    const alo = runScenario(plain, { traceMessages: false }).delivery;
    // Both re-process the records consumer-1 processed but did not commit...
    expect(eos.duplicatedProcessing).toBeGreaterThan(0);
    expect(alo.duplicatedProcessing).toBeGreaterThan(0);
    // ...but only the transactional pipeline hides the first outputs (aborted).
    expect(eos.outputDuplicates).toBe(0);
    expect(eos.outputAborted).toBeGreaterThan(0);
    expect(eos.outputMissing).toBe(0);
    expect(alo.outputDuplicates).toBeGreaterThan(0);
    expect(alo.outputMissing).toBe(0);
  });

  it('a restarted member fences its previous incarnation: InitProducerId aborts the open transaction', () => {
    const restarted = structuredClone(scenario);
    restarted.workload.consumers[0].processing.crash!.restartAfterMs = 500;
    const r = runScenario(restarted, { traceMessages: false });
    const aborted = r.trace.filter((e) => e.type === 'record' && e.event === 'txn-aborted').map((e) => (e.data as { reason: string }).reason);
    expect(aborted).toEqual(['fenced by a new producer instance (InitProducerId)']);
    expect(r.delivery.outputDuplicates).toBe(0);
    expect(r.delivery.outputMissing).toBe(0);
  });

  it('names the settings exactly-once needs', () => {
    const bad = structuredClone(scenario);
    bad.cluster.transactions = false;
    bad.workload.consumers[0].config['isolation.level'] = 'read_uncommitted';
    bad.workload.consumers[0].outputTopic = 'nope';
    const paths = checkReferences(bad).map((i) => `${i.path}: ${i.message}`);
    expect(paths).toEqual(expect.arrayContaining([
      expect.stringMatching(/^workload\.consumers\[0\]\.outputTopic: unknown topic "nope"/),
      expect.stringMatching(/^cluster\.transactions: must be true/),
      expect.stringMatching(/^workload\.consumers\[0\]\.config\.isolation\.level: must be "read_committed"/),
    ]));
  });
});
