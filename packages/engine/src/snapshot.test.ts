import { describe, expect, it } from 'vitest';
import { snapshot, thaw } from './snapshot';

const deepFrozen = (v: unknown): boolean =>
  v === null || typeof v !== 'object' || (Object.isFrozen(v) && Object.values(v).every(deepFrozen));

describe('snapshot and thaw', () => {
  const world = () => {
    const record: Readonly<{ offset: number; value: string }> = Object.freeze({ offset: 0, value: 'a' });
    return {
      record,
      live: { log: [record], hw: 1, nested: { list: [1, 2, { x: -0 }] } },
      set: new Set([1, 2]),
      map: new Map([['k', { v: 1 }]]),
    };
  };

  it('is a deep-frozen copy that shares what the model froze', () => {
    const w = world();
    const s = snapshot(w);
    expect(s).toEqual(w);
    expect(deepFrozen(s)).toBe(true);
    expect(s.record).toBe(w.record);
    expect(s.live.log[0]).toBe(w.record);
    expect(s.live).not.toBe(w.live);
    expect(Object.is(s.live.nested.list[2] as { x: number }, w.live.nested.list[2])).toBe(false);
    expect(Object.is((s.live.nested.list[2] as { x: number }).x, -0)).toBe(true);
    expect(() => (s.set as Set<number>).add(3)).toThrow(/frozen/);
    expect(Object.keys(s.live)).toEqual(['log', 'hw', 'nested']);
  });

  it('shares unchanged parts with the previous snapshot of the same objects, copies changed ones', () => {
    const w = world();
    const first = snapshot(w);
    // (Sets and Maps are always copied, so the root is new; everything else is the same.)
    expect(snapshot(w).live).toBe(first.live);
    w.live.hw = 2;
    const second = snapshot(w);
    expect(second).not.toBe(first);
    expect(second.live).not.toBe(first.live);
    expect(second.live.nested).toBe(first.live.nested);
    expect(second.live.log).toBe(first.live.log);
    expect(first.live.hw).toBe(1);
    w.live.log.push(Object.freeze({ offset: 1, value: 'b' }));
    w.live.nested.list[0] = 9;
    const third = snapshot(w);
    expect(third.live.log.map((r) => r.offset)).toEqual([0, 1]);
    expect(second.live.log.length).toBe(1);
    expect(third.live.nested.list).toEqual([9, 2, { x: -0 }]);
    // A change from 0 to -0 is a change.
    (w.live.nested.list[2] as { x: number }).x = 0;
    expect(Object.is((snapshot(w).live.nested.list[2] as { x: number }).x, 0)).toBe(true);
  });

  it('thaws into a mutable copy that shares only what the model froze', () => {
    const w = world();
    const s = snapshot(w);
    const t = thaw(s);
    expect(t).toEqual(w);
    expect(Object.isFrozen(t.live)).toBe(false);
    expect(Object.isFrozen(t.live.log)).toBe(false);
    expect(t.record).toBe(w.record);
    t.live.log.push(Object.freeze({ offset: 1, value: 'b' }));
    t.live.nested.list.push(3);
    t.set.add(3);
    t.map.get('k')!.v = 2;
    expect(s).toEqual(world());
    // A snapshot of the thawed world, changed, is right; unchanged, equal to the original.
    expect(snapshot(t).live.log.length).toBe(2);
    expect(snapshot(thaw(s))).toEqual(s);
  });

  it('keeps an own "__proto__" key (a topic may be called that)', () => {
    const live: Record<string, unknown> = {};
    Object.defineProperty(live, '__proto__', { value: { n: 1 }, writable: true, enumerable: true, configurable: true });
    const s = snapshot({ byTopic: live });
    expect(Object.keys(s.byTopic)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(s.byTopic)).toBe(Object.prototype);
    const t = thaw(s);
    expect(Object.keys(t.byTopic)).toEqual(['__proto__']);
    expect(JSON.stringify(t)).toBe('{"byTopic":{"__proto__":{"n":1}}}');
  });

  it('thaws a plain (non-snapshot) world like cloneShared', () => {
    const w = world();
    const t = thaw(w);
    expect(t).toEqual(w);
    expect(t.live).not.toBe(w.live);
    expect(t.record).toBe(w.record);
  });
});
