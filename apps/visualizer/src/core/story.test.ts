/**
 * Every teaching scenario's narrated lesson (its `story`) plays as written: the session leaves out
 * a key moment whose fact the run never has (a typo in `fact`, a fact of another node), so a
 * broken anchor would silently drop a caption; and it plays moments in step order, so a story
 * written out of order would be told out of order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Handler } from './handler';
import { modelFor } from './models';
import type { Summary } from './view';

const scenarioDir = join(__dirname, '../../../../scenarios');
const names = readdirSync(scenarioDir)
  .filter((f) => f.endsWith('.json') && f !== 'schema.json' && f !== 'golden-hashes.json')
  .map((f) => f.replace(/\.json$/, ''))
  .sort();

describe('each lesson\'s story', () => {
  it.each(names)('%s: 3 to 6 key moments, each found in the run, told in the order written', (name) => {
    const scenario = JSON.parse(readFileSync(join(scenarioDir, `${name}.json`), 'utf8'));
    const written: { caption: string }[] = scenario.story ?? [];
    expect(written.length, 'story steps').toBeGreaterThanOrEqual(3);
    expect(written.length, 'story steps').toBeLessThanOrEqual(6);
    const summary = new Handler(modelFor).handle({ type: 'load', spec: { source: 'scenario', file: `scenarios/${name}.json`, scenario } }) as Summary;
    expect(summary.story.map((m) => m.caption)).toEqual(written.map((m) => m.caption));
    // Two moments on one step would show one caption over the other (moments in one millisecond on
    // different steps each pause: ui/storyStops.ts).
    const steps = summary.story.map((m) => m.step);
    expect(new Set(steps).size, `distinct steps in ${steps.join(', ')}`).toBe(steps.length);
  });
});
