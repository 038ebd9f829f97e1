import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, runScenario } from '@kafkasim/kafka';
import { describe, expect, it } from 'vitest';
import { describeEntry } from './describeEntry';
import { applyEntry, emptyFactState } from './factState';

const scenarioDir = join(__dirname, '../../../../scenarios');
const traceOf = (name: string) =>
  runScenario(parseScenario(readFileSync(join(scenarioDir, `${name}.json`), 'utf8'), `${name}.json`), { traceMessages: false }).trace;

describe('admin operations in the visualizer', () => {
  it('the partition shows each reassignment phase, then only the target replicas', () => {
    const trace = traceOf('partition-reassignment');
    const state = emptyFactState();
    const phases: (string | null)[] = [];
    for (const entry of trace) {
      applyEntry(state, entry);
      if (entry.type === 'record' && entry.event === 'reassignment') phases.push(state.topics['orders-0'].reassignment?.phase ?? null);
    }
    expect(phases).toEqual(['started', 'caught-up', 'leader-moved', 'replicas-removed', null]);
    expect(state.topics['orders-0'].replicas).toEqual(['broker-3', 'broker-4', 'broker-5']);
    expect(Object.keys(state.topics['orders-0'].logs).sort()).toEqual(['broker-3', 'broker-4', 'broker-5']);
  });

  it('a deleted topic disappears once its deletion completes', () => {
    const state = emptyFactState();
    for (const entry of traceOf('topic-deletion')) applyEntry(state, entry);
    expect(Object.keys(state.topics).filter((k) => k.startsWith('clicks-'))).toEqual([]);
    expect(state.topics['orders-0']).toBeDefined();
  });

  it('every admin fact has its own line in the event log', () => {
    const events = ['admin-request', 'controlled-shutdown', 'broker-shutdown', 'leader-imbalance', 'reassignment', 'topic-deletion', 'replica-stopped'];
    const trace = ['partition-reassignment', 'topic-deletion', 'controlled-shutdown'].flatMap((name) => [...traceOf(name)]);
    const auto = JSON.parse(readFileSync(join(scenarioDir, 'preferred-replica-election.json'), 'utf8'));
    auto.cluster.brokerConfig['auto.leader.rebalance.enable'] = true;
    trace.push(...runScenario(parseScenario(JSON.stringify(auto), 'x.json'), { traceMessages: false }).trace);
    for (const event of events) {
      const entry = trace.find((e) => e.type === 'record' && e.event === event);
      expect(entry, event).toBeDefined();
      expect(describeEntry(entry!)).not.toBe(`${entry!.node} ${event}`);
    }
  });
});
