import { describe, expect, it } from 'vitest';
import { JoinedTrace } from './joinedTrace';
import type { TraceEntry } from './types';

const entries = (from: number, n: number): TraceEntry[] => Array.from({ length: n }, (_, i) => ({ step: from + i, time: from + i, type: 'timer', node: 'a', name: 't' }));

describe('JoinedTrace', () => {
  it('reads as the head prefix followed by the tail', () => {
    const head = entries(0, 10);
    const tail = entries(100, 4);
    const joined = new JoinedTrace(head, 6, tail);
    const expected = head.slice(0, 6).concat(tail);
    expect(joined.length).toBe(10);
    expect([...joined]).toEqual(expected);
    for (let i = -12; i < 12; i++) expect(joined.at(i)).toEqual(expected.at(i));
    for (const [a, b] of [[0, 10], [3, 8], [-4, undefined], [7, 2], [-50, 50]] as [number, number | undefined][]) expect(joined.slice(a, b)).toEqual(expected.slice(a, b));
    // Nested: a fork of a fork.
    expect([...new JoinedTrace(joined, 8, entries(200, 2))].map((e) => e.step)).toEqual([0, 1, 2, 3, 4, 5, 100, 101, 200, 201]);
  });

  it('refuses a head length outside the head', () => {
    expect(() => new JoinedTrace(entries(0, 3), 4, [])).toThrow(/headLength 4/);
  });
});
