/**
 * Snapshots for time travel: a snapshot is a deep-frozen copy of a world, and `thaw` makes a
 * mutable world from one again. Both share what the model froze (stored records, sealed log
 * segments, sent messages), like cloneShared. On top of that, a snapshot of a live object that
 * has not changed since its previous snapshot IS that snapshot: consecutive checkpoints of a
 * long run share everything that did not change in between, and "unchanged" is decided by
 * comparing slots with the previous snapshot's (a pointer comparison for a shared value), so
 * a large unchanged array is checked without touching its entries.
 *
 * Sound because snapshots are frozen (nobody changes them afterwards), and a live world never
 * holds an object a snapshot made (thaw copies each of them): a live slot identical to the
 * previous snapshot's slot therefore holds a primitive or a shared frozen value.
 *
 * Objects and arrays a snapshot makes carry a hidden mark (a non-enumerable symbol property:
 * invisible to Object.keys, JSON, structuredClone and equality checks) so that thaw knows to
 * copy them. Marks and the memo avoid weak collections keyed by snapshot objects: with
 * hundreds of checkpoints those grow to millions of entries and make every GC slow.
 */

const MARK = Symbol('kafkasim.snapshot');
/** A made object or array. */
const MADE = 1;
/** A made array none of whose entries was made: thawed with one slice. */
const MADE_FLAT = 2;

/** A live (mutable) object -> its latest snapshot. */
const latest = new WeakMap<object, object>();
/** Whether the snapshot being taken is remembered in `latest` (see snapshot's `remember`). */
let remembering = true;

function markOf(value: object): number | undefined {
  return (value as { [MARK]?: number })[MARK];
}

function seal<T extends object>(out: T, mark: number): T {
  Object.defineProperty(out, MARK, { value: mark });
  return Object.freeze(out);
}

/** Same value, telling 0 from -0 (NaN counts as changed, which only costs a copy). */
function same(a: unknown, b: unknown): boolean {
  return a === b && (a !== 0 || 1 / (a as number) === 1 / (b as number));
}

/** Sets an own data property, also for the key "__proto__" (a topic may be called that). */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

function throwFrozen(): never {
  throw new Error('this snapshot is frozen');
}

/**
 * Deep-frozen copy of `value`, sharing frozen parts and unchanged earlier snapshots. With
 * `remember` false the copy is not remembered for the next snapshot of the same objects: that
 * saves the bookkeeping for a world snapshotted once (a replay's result).
 */
export function snapshot<T>(value: T, remember = true): T {
  const outer = remembering;
  remembering = remember;
  try {
    return snapshotValue(value);
  } finally {
    remembering = outer;
  }
}

function snapshotValue<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  const prev = remembering ? latest.get(value) : undefined;
  if (Array.isArray(value)) return snapshotArray(value, prev as unknown[] | undefined) as T;
  if (value instanceof Set) return lockCollection(new Set([...value].map(snapshotValue))) as T;
  if (value instanceof Map) return lockCollection(new Map([...value].map(([k, v]) => [k, snapshotValue(v)]))) as T;
  return snapshotObject(value as Record<string, unknown>, prev as Record<string, unknown> | undefined) as T;
}

/** Whether every entry is the very same as in the previous snapshot (then all are shared values). */
function sameEntries(live: unknown[], prev: unknown[]): boolean {
  for (let i = 0; i < live.length; i++) if (!same(live[i], prev[i])) return false;
  return true;
}

function snapshotArray(live: unknown[], prev: unknown[] | undefined): unknown[] {
  const n = live.length;
  // The common case, e.g. a partition's list of sealed segments: nothing changed.
  if (prev !== undefined && prev.length === n && sameEntries(live, prev)) return prev;
  const out = new Array(n);
  let flat = true;
  for (let i = 0; i < n; i++) {
    const v = live[i];
    const s = prev !== undefined && i < prev.length && same(prev[i], v) ? v : snapshotValue(v);
    if (s !== v) flat = false;
    out[i] = s;
  }
  if (prev !== undefined && prev.length === n && sameEntries(out, prev)) return prev;
  seal(out, flat ? MADE_FLAT : MADE);
  if (remembering) latest.set(live, out);
  return out;
}

function snapshotObject(live: Record<string, unknown>, prev: Record<string, unknown> | undefined): Record<string, unknown> {
  const keys = Object.keys(live);
  // Unchanged since the previous snapshot (the common case): found without allocating.
  let matched = 0;
  if (prev !== undefined) {
    const prevKeys = Object.keys(prev);
    if (prevKeys.length === keys.length) {
      for (; matched < keys.length; matched++) {
        const key = keys[matched];
        if (prevKeys[matched] !== key) break;
        const v = live[key];
        if (!same(prev[key], v) && !same(prev[key], snapshotValue(v))) break;
      }
      if (matched === keys.length) return prev;
    }
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    // Keys before `matched` hold what the previous snapshot holds (shared or an unchanged snapshot).
    put(out, keys[i], i < matched ? prev![keys[i]] : snapshotValue(live[keys[i]]));
  }
  seal(out, MADE);
  if (remembering) latest.set(live, out);
  return out;
}

/** Freezes a Set or Map for good: Object.freeze alone leaves add/set/delete/clear working. */
function lockCollection<C extends Set<unknown> | Map<unknown, unknown>>(collection: C): C {
  const c = collection as unknown as Record<string, unknown>;
  c.add = c.set = c.delete = c.clear = throwFrozen;
  return seal(collection, MADE);
}

/**
 * A mutable copy: every object a snapshot made is copied (it was mutable), a mutable object
 * that is not a snapshot is copied too (so this is also cloneShared for plain worlds), and
 * everything else frozen is shared.
 */
export function thaw<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  const mark = markOf(value);
  if (mark === undefined && Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    if (mark === MADE_FLAT) return value.slice() as T;
    const copy = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = thaw(value[i]);
    return copy as T;
  }
  if (value instanceof Set) return new Set([...value].map(thaw)) as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, thaw(v)])) as T;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) put(copy, key, thaw((value as Record<string, unknown>)[key]));
  return copy as T;
}
