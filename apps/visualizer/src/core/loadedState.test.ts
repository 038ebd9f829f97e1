import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceEntry } from '@kafkasim/engine';
import { parseScenario, runScenario } from '@kafkasim/kafka';
import { describe, expect, it } from 'vitest';
import { describeEntry, isNotable } from './describeEntry';
import { applyEntry, emptyFactState } from './factState';

const scenarioDir = join(__dirname, '../../../../scenarios');

/** partition-reassignment with its controller (broker-1) crashed after sending the leader move to broker-4, before the answer. */
function reassignmentWithControllerCrash(): TraceEntry[] {
  const raw = JSON.parse(readFileSync(join(scenarioDir, 'partition-reassignment.json'), 'utf8'));
  delete raw.$schema;
  raw.faults.push({ atMs: 5045, action: 'crash', target: 'broker-1' });
  return [...runScenario(parseScenario(JSON.stringify(raw), 'x.json'), { traceMessages: false }).trace];
}

const loaded = (d: Record<string, unknown>): TraceEntry => ({
  step: 1, time: 10, type: 'record', node: 'broker-2', event: 'partition-state-loaded',
  data: {
    topic: 'orders', partition: 0, controller: 'broker-2', reason: 'failover', leader: 'broker-3', leaderEpoch: 2,
    isr: ['broker-3', 'broker-1'], partitionEpoch: 4, writtenByControllerEpoch: 1, controllerEpoch: 2,
    replicas: ['broker-1', 'broker-2', 'broker-3'], adding: [], removing: [], ...d,
  },
});

describe('a new controller reading the partition state from ZooKeeper', () => {
  it('has a line a student follows in the event log', () => {
    expect(describeEntry(loaded({}))).toBe('broker-2, the new controller, read orders-0 from ZooKeeper: leader broker-3, epoch 2, ISR [3,1]');
    expect(describeEntry(loaded({ leader: null, reason: 'resync', adding: ['broker-4'], removing: ['broker-1'] })))
      .toBe('broker-2, the controller, reconnected and re-read orders-0 from ZooKeeper: leader none, epoch 2, ISR [3,1]; reassignment in progress (adding [4], removing [1])');
    expect(isNotable(loaded({}))).toBe(true);
    expect(isNotable(loaded({ topic: '__consumer_offsets' }))).toBe(false);
  });

  it('the partition shows the leader, epoch and ISR ZooKeeper holds, also where their facts were never written', () => {
    const trace = reassignmentWithControllerCrash();
    const state = emptyFactState();
    let before: { leader: string | null; leaderEpoch: number } | null = null;
    let after: { leader: string | null; leaderEpoch: number; isr: string[] } | null = null;
    for (const entry of trace) {
      const isLoad = entry.type === 'record' && entry.event === 'partition-state-loaded' && (entry.data as { topic: string }).topic === 'orders';
      if (isLoad && !before) before = { leader: state.topics['orders-0'].leader, leaderEpoch: state.topics['orders-0'].leaderEpoch };
      applyEntry(state, entry);
      if (isLoad && !after) after = { leader: state.topics['orders-0'].leader, leaderEpoch: state.topics['orders-0'].leaderEpoch, isr: [...state.topics['orders-0'].isr] };
    }
    // The facts still named broker-1 (epoch 1): the move to broker-4 (epoch 2) was never recorded.
    expect(before).toEqual({ leader: 'broker-1', leaderEpoch: 1 });
    expect(after).toEqual({ leader: 'broker-4', leaderEpoch: 2, isr: ['broker-4', 'broker-5', 'broker-3', 'broker-1', 'broker-2'] });
    expect(state.topics['orders-0'].reassignment).toBeNull();
  });

  it('a reassignment in progress that ZooKeeper holds shows as one; one it completed does not', () => {
    const state = emptyFactState();
    applyEntry(state, loaded({ adding: ['broker-4'], removing: ['broker-1'] }));
    expect(state.topics['orders-0'].reassignment).toEqual({ phase: 'started', adding: ['broker-4'], removing: ['broker-1'] });
    applyEntry(state, loaded({ leader: null }));
    expect(state.topics['orders-0']).toMatchObject({ reassignment: null, leader: null, offline: true });
  });

  it('a late fact of an older leader epoch (a controller paused past its session) does not undo the partition state', () => {
    const state = emptyFactState();
    applyEntry(state, loaded({}));
    applyEntry(state, { step: 2, time: 20, type: 'record', node: 'broker-1', event: 'isr-changed', data: { topic: 'orders', partition: 0, isr: ['broker-1'], leaderEpoch: 1, partitionEpoch: 3 } });
    applyEntry(state, { step: 3, time: 30, type: 'record', node: 'broker-1', event: 'leader-elected', data: { topic: 'orders', partition: 0, leader: 'broker-1', leaderEpoch: 1, isr: ['broker-1'], unclean: false, reason: 'x', controllerEpoch: 1 } });
    expect(state.topics['orders-0']).toMatchObject({ leader: 'broker-3', leaderEpoch: 2, isr: ['broker-3', 'broker-1'] });
    applyEntry(state, { step: 4, time: 40, type: 'record', node: 'broker-2', event: 'isr-changed', data: { topic: 'orders', partition: 0, isr: ['broker-3'], leaderEpoch: 2, partitionEpoch: 5 } });
    expect(state.topics['orders-0'].isr).toEqual(['broker-3']);
  });
});
