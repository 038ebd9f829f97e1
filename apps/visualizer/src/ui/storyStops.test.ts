import { describe, expect, it } from 'vitest';
import { storyStopBetween } from './storyStops';

const story = [
  { time: 1000, step: 40, caption: 'a' },
  { time: 4000, step: 300, caption: 'b' },
  { time: 4000, step: 305, caption: 'c' },
  { time: 6000, step: 500, caption: 'd' },
];

describe('storyStopBetween', () => {
  it('stops on the first moment the clock passes', () => {
    expect(storyStopBetween(story, 900, 1100, 30)?.caption).toBe('a');
    expect(storyStopBetween(story, 1000, 3999, 40)).toBeUndefined();
  });

  it('stops on each of two moments in the same millisecond', () => {
    const first = storyStopBetween(story, 3000, 4500, 200)!;
    expect(first.caption).toBe('b');
    // Playback resumes from the first one's time and step.
    const second = storyStopBetween(story, first.time, first.time + 16, first.step)!;
    expect(second.caption).toBe('c');
    expect(storyStopBetween(story, second.time, second.time + 16, second.step)).toBeUndefined();
  });

  it('does not stop again on a moment already on screen or behind it', () => {
    expect(storyStopBetween(story, 4000, 4100, 305)).toBeUndefined();
    expect(storyStopBetween(story, 4000, 4100, 400)).toBeUndefined();
  });
});
