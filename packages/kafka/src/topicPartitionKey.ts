/**
 * The "<topic>-<partition>" key that logs, replicas, deques and positions are stored under.
 * Brokers and clients build it on nearly every event; building the string anew each time cost a
 * concatenation and, at the property lookup that follows, a search of V8's string table. The
 * strings built here are kept, one per topic and partition, so a lookup finds an interned key.
 */
const keysByTopic = new Map<string, string[]>();
// The topic asked for last and its keys: nearly every call is for the same topic as the one
// before, and comparing a short string costs less than hashing it for the map (a topic name read
// from a message is often a string object of its own, whose hash is not known yet).
let lastTopic: string | null = null;
let lastKeys: string[] = [];

export function topicPartitionKey(topic: string, partition: number): string {
  // Only array slots for real partitions: anything else (never in practice) is built each time.
  if (!(partition >= 0 && partition < 0x10000 && Number.isInteger(partition))) return `${topic}-${partition}`;
  let keys: string[] | undefined;
  if (topic === lastTopic) keys = lastKeys;
  else {
    keys = keysByTopic.get(topic);
    if (keys === undefined) keysByTopic.set(topic, (keys = []));
    lastTopic = topic;
    lastKeys = keys;
  }
  return (keys[partition] ??= `${topic}-${partition}`);
}
