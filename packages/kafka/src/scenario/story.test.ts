import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from './validate';

const base = JSON.parse(readFileSync(new URL('../../../../scenarios/leader-failover.json', import.meta.url), 'utf8'));
const withStory = (story: unknown) => JSON.stringify({ ...base, story });
const errorOf = (text: string) => {
  try {
    parseScenario(text, 'story.json');
  } catch (e) {
    return (e as Error).message;
  }
  return null;
};

describe('the scenario story (the narrated mode\'s key moments)', () => {
  it('accepts a moment at a time or at a fact', () => {
    expect(errorOf(withStory([{ atMs: 4000, caption: 'the leader dies' }, { fact: 'leader-elected', node: 'broker-2', caption: 'a new leader' }]))).toBeNull();
  });

  it('names the field of a moment without a when, past the run, or on an unknown node', () => {
    expect(errorOf(withStory([{ caption: 'when?' }]))).toContain('story[0]');
    expect(errorOf(withStory([{ atMs: 999999, caption: 'late' }]))).toContain('story[0].atMs');
    expect(errorOf(withStory([{ fact: 'leader-elected', node: 'broker-9', caption: 'who?' }]))).toContain('story[0].node');
    expect(errorOf(withStory([{ atMs: 10, caption: 'x', captoin: 'typo' }]))).toContain('captoin');
  });
});
