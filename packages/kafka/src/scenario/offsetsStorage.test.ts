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

  it('offsets-in-zookeeper: the zombie\'s commit rewinds the group with ZooKeeper and is rejected with Kafka', () => {
    const scenario = load('offsets-in-zookeeper');
    const zk = runScenario(scenario, { traceMessages: false });
    const kafka = runScenario(applyOverrides(scenario, { 'kafkasim.offsets.storage': 'kafka' }, 'x.json'), { traceMessages: true, tracePayloads: 'full' });
    // ZooKeeper: after waking up (7 s) consumer-1 commits below what consumer-2 had committed for the partition.
    const commits = zk.trace.filter((e) => e.type === 'record' && e.event === 'offset-committed').map((e) => ({ time: e.time, node: e.node, ...(e.data as { partition: number; offset: number }) }));
    const zombie = commits.find((c) => c.node === 'consumer-1' && c.time >= 7000)!;
    const newOwner = commits.filter((c) => c.node === 'consumer-2' && c.partition === zombie.partition && c.time < 7000).at(-1)!;
    expect(zombie.offset).toBeLessThan(newOwner.offset);
    const rewound = zk.delivery.records.filter((r) => r.causes.some((c) => c.text.includes('in ZooKeeper, back from')));
    expect(rewound.length).toBeGreaterThan(0);
    // Kafka: the coordinator fences the zombie's commit, and far fewer records are processed twice.
    const answers = kafka.trace.filter((e) => e.type === 'deliver' && e.node === 'consumer-1' && e.time >= 7000 && (e.payload as { api?: string })?.api === 'OffsetCommitResponse');
    expect(answers.map((e) => (e.payload as { partitions: { error: string }[] }).partitions[0].error)).toContainEqual(expect.stringMatching(/^(UNKNOWN_MEMBER_ID|ILLEGAL_GENERATION)$/));
    expect(kafka.delivery.duplicated).toBeGreaterThan(0);
    expect(zk.delivery.duplicated).toBeGreaterThan(3 * kafka.delivery.duplicated);
  });
});
