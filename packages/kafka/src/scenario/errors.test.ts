import { describe, expect, it } from 'vitest';
import { ScenarioError } from './errors';

describe('ScenarioError', () => {
  it('writes control characters and line separators from the file as escapes, one line per problem', () => {
    const error = new ScenarioError('f.json', [
      { path: 'cluster.brok\rers', message: 'unknown key "brok\rers" (did you mean "brokers"?)' },
      { path: 'workload.producers[0].topic', message: 'unknown topic "a\nb\u2028c\u0000"' },
    ]);
    expect(error.message.split('\n')).toEqual([
      'f.json: cluster.brok\\u000ders: unknown key "brok\\u000ders" (did you mean "brokers"?)',
      'f.json: workload.producers[0].topic: unknown topic "a\\u000ab\\u2028c\\u0000"',
    ]);
  });
});
