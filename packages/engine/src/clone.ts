/**
 * A deep copy for checkpoints that shares every frozen object instead of copying it. Models
 * freeze what never changes again (a stored record, a sent message), so a checkpoint of a
 * long run copies the mutable spine of the state and points at the immutable bulk: the
 * structural sharing that makes thousands of checkpoints affordable.
 */
export function cloneShared<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = cloneShared(value[i]);
    return out as T;
  }
  if (value instanceof Set) return new Set([...value].map(cloneShared)) as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, cloneShared(v)])) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = cloneShared((value as Record<string, unknown>)[key]);
  return out as T;
}
