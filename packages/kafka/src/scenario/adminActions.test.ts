import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ScenarioError } from './errors';
import { faultToAction } from './run';
import { parseScenario } from './validate';

const base = JSON.parse(readFileSync(new URL('../../../../scenarios/partition-reassignment.json', import.meta.url), 'utf8'));

function errorOf(faults: unknown[], change: (raw: any) => void = () => undefined): string {
  const raw = structuredClone(base);
  raw.faults = faults;
  change(raw);
  try {
    parseScenario(JSON.stringify(raw), 'x.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).message;
  }
  return '';
}

describe('admin actions in the fault list', () => {
  it('accept valid actions and turn them into commands for the broker or the admin tool', () => {
    const raw = structuredClone(base);
    raw.faults = [
      { atMs: 1000, action: 'shutdown', target: 'broker-2' },
      { atMs: 2000, action: 'shutdown', target: 'broker-3', clean: false },
      { atMs: 3000, action: 'elect-preferred', partitions: [{ topic: 'orders', partition: 0 }] },
      { atMs: 4000, action: 'reassign', partitions: [{ topic: 'orders', partition: 0, replicas: [4, 5, 3] }] },
      { atMs: 5000, action: 'delete-topic', topic: 'orders' },
    ];
    const s = parseScenario(JSON.stringify(raw), 'x.json');
    expect(s.faults.map((f) => faultToAction(f, ['zk-1']))).toEqual([
      { type: 'command', node: 'broker-2', name: 'shutdown', data: {} },
      { type: 'crash', node: 'broker-3' },
      { type: 'command', node: 'admin', name: 'elect-preferred', data: { partitions: [{ topic: 'orders', partition: 0 }] } },
      { type: 'command', node: 'admin', name: 'reassign', data: { partitions: [{ topic: 'orders', partition: 0, replicas: [4, 5, 3] }] } },
      { type: 'command', node: 'admin', name: 'delete-topic', data: { topic: 'orders' } },
    ]);
  });

  it('name the field of an unknown broker, topic or partition', () => {
    expect(errorOf([{ atMs: 1000, action: 'shutdown', target: 'zk-1' }])).toContain('faults[0].target: unknown node "zk-1"; expected one of broker-1');
    expect(errorOf([{ atMs: 1000, action: 'delete-topic', topic: 'ordres' }])).toContain('faults[0].topic: unknown topic "ordres"; defined: orders');
    expect(errorOf([{ atMs: 1000, action: 'elect-preferred', partitions: [{ topic: 'orders', partition: 3 }] }]))
      .toContain('faults[0].partitions[0].partition: topic "orders" has partitions 0..0, got 3');
    expect(errorOf([{ atMs: 1000, action: 'reassign', partitions: [{ topic: 'orders', partition: 0, replicas: [4, 6, 3] }] }]))
      .toContain('faults[0].partitions[0].replicas[1]: unknown broker id 6: the cluster has brokers 1..5');
    expect(errorOf([{ atMs: 1000, action: 'reassign', partitions: [{ topic: 'orders', partition: 0, replicas: [4, 4] }] }]))
      .toContain('faults[0].partitions[0].replicas: a broker appears twice');
    expect(errorOf([{ atMs: 1000, action: 'reassign', partitions: [{ topic: 'orders', partition: 0, replicas: [] }] }]))
      .toContain('faults[0].partitions[0].replicas');
  });

  it('check the time and reject unknown keys', () => {
    expect(errorOf([{ atMs: 99000, action: 'delete-topic', topic: 'orders' }])).toContain('faults[0].atMs: must be within the run');
    expect(errorOf([{ atMs: 1000, action: 'shutdown', target: 'broker-1', graceful: true }])).toContain('graceful');
  });

  it('keep the node id "admin" for the admin tool', () => {
    const message = errorOf([{ atMs: 1000, action: 'delete-topic', topic: 'orders' }], (raw) => {
      raw.workload.producers[0].id = 'admin';
    });
    expect(message).toContain('node id "admin" is taken by the admin tool');
  });
});
