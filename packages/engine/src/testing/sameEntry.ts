/**
 * For tests of the trace store: same keys in the same order at every level, same values
 * (Object.is: -0, NaN), same undefined-valued keys; throws naming the first place that differs.
 */
export function expectSameEntry(actual: unknown, expected: unknown, path = 'entry'): void {
  if (expected === null || typeof expected !== 'object') {
    if (!Object.is(actual, expected)) throw new Error(`${path}: ${String(actual)} is not ${String(expected)}`);
    return;
  }
  if (actual === null || typeof actual !== 'object') throw new Error(`${path}: ${String(actual)} is not an object`);
  if (Array.isArray(expected) !== Array.isArray(actual)) throw new Error(`${path}: array against non-array`);
  const keys = Object.keys(expected);
  const got = Object.keys(actual);
  if (keys.join('\u0000') !== got.join('\u0000')) throw new Error(`${path}: keys [${got}] are not [${keys}]`);
  for (const key of keys) expectSameEntry((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
}
