import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioError } from './errors';
import { scenarioJsonSchema } from './jsonSchema';
import { parseScenario } from './validate';

const scenariosDir = new URL('../../../../scenarios/', import.meta.url).pathname;
const malformedDir = join(scenariosDir, 'malformed');
const expected: Record<string, string> = JSON.parse(readFileSync(join(malformedDir, 'expected-errors.json'), 'utf8'));

describe('scenario validation', () => {
  const files = readdirSync(malformedDir).filter((f) => f.endsWith('.json') && f !== 'expected-errors.json').sort();

  it('has an expected error for every malformed file', () => {
    expect(files).toEqual(Object.keys(expected).sort());
  });

  it.each(files)('%s: a clear error naming the file and the field', (file) => {
    const text = readFileSync(join(malformedDir, file), 'utf8');
    let error: unknown;
    try {
      parseScenario(text, `scenarios/malformed/${file}`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const message = (error as ScenarioError).message;
    expect(message).toContain(`scenarios/malformed/${file}: ${expected[file]}`);
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('accepts every teaching scenario', () => {
    const scenarios = readdirSync(scenariosDir).filter((f) => f.endsWith('.json') && f !== 'schema.json' && f !== 'golden-hashes.json');
    for (const file of scenarios) {
      expect(() => parseScenario(readFileSync(join(scenariosDir, file), 'utf8'), file)).not.toThrow();
    }
  });

  it('publishes a JSON Schema identical to the one generated from the definition', () => {
    const published = JSON.parse(readFileSync(join(scenariosDir, 'schema.json'), 'utf8'));
    expect(published).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
});
