import { describe, expect, it } from 'vitest';
import { topicPartitionKey } from './topicPartitionKey';

describe('topicPartitionKey', () => {
  it('names the topic and partition asked for, whichever topic was asked for before', () => {
    const asked: [string, number][] = [['a', 1], ['b', 1], ['b', 0], ['a', 1], ['a-1', 0], ['a', 0], ['b', 1], ['', 3], ['a', 2]];
    for (const [topic, partition] of asked) expect(topicPartitionKey(topic, partition)).toBe(`${topic}-${partition}`);
  });

  it('builds keys outside the kept slots each time', () => {
    expect(topicPartitionKey('a', -1)).toBe('a--1');
    expect(topicPartitionKey('a', 1.5)).toBe('a-1.5');
    expect(topicPartitionKey('a', 0x10000)).toBe('a-65536');
    expect(topicPartitionKey('a', 1)).toBe('a-1');
  });
});
