import { describe, expect, it } from 'vitest';
import { cloneShared } from './clone';

describe('cloneShared', () => {
  it('copies mutable structure and shares frozen objects', () => {
    const record = Object.freeze({ offset: 1, value: 'a' });
    const state = { log: [record, { offset: 2 }], ids: new Set([1, 2]), byName: new Map([['x', { n: 1 }]]), n: 3, none: null };
    const copy = cloneShared(state);
    expect(copy).toEqual(state);
    expect(copy.log).not.toBe(state.log);
    expect(copy.log[0]).toBe(record);
    expect(copy.log[1]).not.toBe(state.log[1]);
    expect(copy.ids).not.toBe(state.ids);
    expect(copy.byName.get('x')).not.toBe(state.byName.get('x'));
    state.log.push({ offset: 3 });
    state.ids.add(3);
    expect(copy.log).toHaveLength(2);
    expect(copy.ids.has(3)).toBe(false);
  });
});
