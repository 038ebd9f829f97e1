import { describe, expect, it } from 'vitest';
import { summarizeBroker } from './describe';
import { brokerState, detachedCluster, facts } from './testing/harness';
import { elect, logValues, produce, response } from './testing/scenarios';

const T = 'disk';
const ONE = ['broker-1'];
const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => `rec-${String(from + i).padStart(3, '0')}`);

function run(mode: 'process' | 'power-loss') {
  const c = detachedCluster({ seed: 8, brokers: 1, config: { 'kafkasim.crash.mode': mode, 'log.segment.bytes': 400 } });
  elect(c.sim, 10, T, 'broker-1', 1, ONE, ONE);
  for (let i = 0; i < 5; i++) produce(c.sim, 100 + i * 10, 'broker-1', T, ids(i * 3, 3), 1);
  c.sim.runUntil(500);
  const before = summarizeBroker(brokerState(c.sim, 'broker-1'));
  c.sim.schedule(500, { type: 'crash', node: 'broker-1' });
  c.sim.schedule(600, { type: 'restart', node: 'broker-1' });
  c.sim.runUntil(700);
  return { c, before };
}

describe('what a broker crash keeps', () => {
  it('a process crash keeps the whole log (the page cache survives)', () => {
    const { c, before } = run('process');
    expect(logValues(c.sim, 'broker-1', T)).toEqual(ids(0, 15));
    expect(before.partitions[0].log.segments.length).toBeGreaterThan(2);
    expect(facts(c.sim, 'truncate')).toEqual([]);
  });

  it('a power loss keeps only what was flushed: segments are flushed when they roll', () => {
    const { c, before } = run('power-loss');
    const segments = before.partitions[0].log.segments;
    const activeBase = segments[segments.length - 1].baseOffset;
    expect(activeBase).toBeGreaterThan(0);
    expect(logValues(c.sim, 'broker-1', T)).toEqual(ids(0, activeBase));
    expect(facts(c.sim, 'truncate')).toEqual([
      expect.objectContaining({ broker: 'broker-1', rule: 'power-loss', from: 15, to: activeBase, removedIds: ids(activeBase, 15 - activeBase) }),
    ]);
  });

  it('acks=0 gets no response at all', () => {
    const c = detachedCluster({ seed: 9, brokers: 1 });
    elect(c.sim, 10, T, 'broker-1', 1, ONE, ONE);
    const fireAndForget = produce(c.sim, 100, 'broker-1', T, ['f'], 0);
    c.sim.runUntil(1000);
    expect(response(c.sim, fireAndForget)).toBeUndefined();
    expect(logValues(c.sim, 'broker-1', T)).toEqual(['f']);
  });
});
