import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Model code must use ctx.now and ctx.rng: any other clock or randomness breaks replay. */
const forbidden = /\bMath\.random\s*\(|\bDate\.now\s*\(|\bperformance\.now\s*\(|\bnew Date\s*\(\s*\)/;
const packagesDir = new URL('../../', import.meta.url).pathname;
// The CLI measures wall time for progress bars; it is outside the model.
const exempt = new Set(['cli']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.(test|spec)\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('determinism guard', () => {
  it('finds no wall clock or Math.random in model code under packages/', () => {
    const offenders = readdirSync(packagesDir)
      .filter((pkg) => !exempt.has(pkg))
      .flatMap((pkg) => sourceFiles(join(packagesDir, pkg, 'src')))
      .flatMap((file) =>
        readFileSync(file, 'utf8').split('\n').flatMap((line, i) => (forbidden.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  it('would catch an offender', () => {
    expect(forbidden.test('const t = Date.now();')).toBe(true);
    expect(forbidden.test('x = Math.random()')).toBe(true);
  });
});
