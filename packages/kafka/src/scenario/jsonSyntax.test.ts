import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ScenarioError } from './errors';
import { jsonSyntaxProblem } from './jsonSyntax';
import { parseScenario } from './validate';

const scenariosDir = new URL('../../../../scenarios/', import.meta.url).pathname;
const text = readFileSync(`${scenariosDir}leader-failover.json`, 'utf8');

function parseError(source: string): string {
  try {
    parseScenario(source, 'f.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).message;
  }
  return '(accepted)';
}

describe('JSON syntax errors', () => {
  it('name the line and column, in one line, even where JSON.parse quotes the whole text', () => {
    expect(parseError('{ "name": "bad",\n  "seed": 1,,\n}')).toBe('f.json: (file): not valid JSON at line 2, column 13: unexpected ","; expected a double-quoted key');
    expect(parseError('{\n"a": tru\n}')).toBe('f.json: (file): not valid JSON at line 2, column 9: expected true');
    expect(parseError('\n\n  oops\nline')).toBe('f.json: (file): not valid JSON at line 3, column 3: unexpected "o"; expected a value');
    expect(parseError('{"a": "x\ny"}')).toBe('f.json: (file): not valid JSON at line 1, column 9: a line break inside a string (write it as an escape, like \\n)');
    expect(parseError(text.slice(0, 200))).toMatch(/^f\.json: \(file\): not valid JSON at line \d+, column \d+: unexpected end of the file$/);
    expect(parseError('')).toBe('f.json: (file): not valid JSON at line 1, column 1: unexpected end of the file');
    expect(parseError(`${text}}`)).toMatch(/not valid JSON at line \d+, column 1: unexpected "}" after the end of the JSON value$/);
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(parseScenario(`\uFEFF${text}`, 'f.json').name).toBe('leader-failover');
  });

  it('the scanner agrees with JSON.parse on 3000 seeded mutations of a scenario', () => {
    let seed = 16;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const pieces = ['', '"', ',', '}', ']', '{', '[', ':', '\\', '\n', 'x', '0', '-', '.', 'e', ' ', 'true', '\u0001', '\\u12', '"\\u00e9"'];
    let invalid = 0;
    for (let n = 0; n < 3000; n++) {
      const at = random(text.length);
      const cut = random(3);
      const mutated = text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at + cut);
      let parses = true;
      try {
        JSON.parse(mutated);
      } catch {
        parses = false;
        invalid += 1;
      }
      expect(jsonSyntaxProblem(mutated) === undefined, mutated.slice(Math.max(0, at - 20), at + 20)).toBe(parses);
    }
    expect(invalid).toBeGreaterThan(1000);
  });
});
