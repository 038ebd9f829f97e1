import { describe, expect, it } from 'vitest';
import { shrinkFaults } from './shrink';
import type { Fault } from './schema';

describe('shrinkFaults', () => {
  it('keeps only the faults the failure needs', () => {
    const faults: Fault[] = [
      { atMs: 1, action: 'crash', target: 'broker-1' },
      { atMs: 2, action: 'pause', target: 'broker-2', durationMs: 5 },
      { atMs: 3, action: 'crash', target: 'broker-3' },
      { atMs: 4, action: 'restart', target: 'broker-1' },
    ];
    const needs = (c: Fault[]) => c.some((f) => f.action === 'crash' && f.target === 'broker-1') && c.some((f) => f.action === 'crash' && f.target === 'broker-3');
    expect(shrinkFaults(faults, needs).faults).toEqual([faults[0], faults[2]]);
  });

  it('returns the schedule unchanged when every fault is needed', () => {
    const faults: Fault[] = [{ atMs: 1, action: 'crash', target: 'broker-1' }];
    expect(shrinkFaults(faults, (c) => c.length === 1).faults).toEqual(faults);
  });
});
