/**
 * The "<topic>-<partition>" key that logs, replicas, deques and positions are stored under.
 * Brokers and clients build it on nearly every event; building the string anew each time cost a
 * concatenation and, at the property lookup that follows, a search of V8's string table. The
 * strings built here are kept, one per topic and partition, so a lookup finds an interned key.
 */
const keysByTopic = new Map<string, string[]>();

export function topicPartitionKey(topic: string, partition: number): string {
  // Only array slots for real partitions: anything else (never in practice) is built each time.
  if (!(partition >= 0 && partition < 0x10000 && Number.isInteger(partition))) return `${topic}-${partition}`;
  let keys = keysByTopic.get(topic);
  if (keys === undefined) keysByTopic.set(topic, (keys = []));
  return (keys[partition] ??= `${topic}-${partition}`);
}
