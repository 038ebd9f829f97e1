/** Notation helpers for the assignor tests, mirroring the "t1-0, t1-1" strings of Kafka's tests. */
import { compareTopicPartitions } from './common';
import type { Assignment, TopicPartition } from './types';

/** "t1-0, t2-3" -> partitions (TopicPartition.toString format, split at the last '-'). */
export function tps(list: string): TopicPartition[] {
  if (list.trim() === '') return [];
  return list.split(',').map((s) => {
    const text = s.trim();
    const dash = text.lastIndexOf('-');
    return { topic: text.slice(0, dash), partition: Number(text.slice(dash + 1)) };
  });
}

/** Partitions -> "t1-0, t2-3", sorted by topic then partition. */
export function show(partitions: readonly TopicPartition[]): string {
  return [...partitions]
    .sort(compareTopicPartitions)
    .map((p) => `${p.topic}-${p.partition}`)
    .join(', ');
}

/** Assignment -> member -> "t1-0, t2-3". */
export function showAll(assignment: Assignment): Record<string, string> {
  return Object.fromEntries(Object.entries(assignment).map(([member, partitions]) => [member, show(partitions)]));
}
