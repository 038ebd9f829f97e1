import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { invariantEvents } from './invariants';

/** The trace entry types (not facts) the invariants switch on. */
const entryTypes = new Set(['boot', 'crash', 'heal', 'partition', 'pause', 'record', 'restart', 'resume']);

describe('the facts the invariants read', () => {
  // The invariants skip every fact not in invariantEvents without looking at it: a fact a checker
  // starts reading must be added there, or the checker never sees it.
  it('include every event the invariants, the ISR invariants and the replica view name', () => {
    const named = new Set<string>();
    for (const file of ['invariants.ts', 'isrInvariants.ts', 'replicas.ts']) {
      const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
      for (const m of source.matchAll(/(?:case |fact\.event [!=]== )'([a-z-]+)'/g)) if (!entryTypes.has(m[1])) named.add(m[1]);
    }
    expect(named.size).toBeGreaterThan(8);
    expect([...named].filter((e) => !invariantEvents.has(e))).toEqual([]);
  });
});
