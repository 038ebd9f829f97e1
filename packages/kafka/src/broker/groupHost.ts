/** The broker side of group/host.ts: what the hosted group coordinator may ask of its broker. */
import type { GroupHost } from '../group/host';
import { OFFSETS_TOPIC } from '../group/host';
import { topicConfig, type Broker } from './context';
import { appendToLeaderLog } from './leaderAppend';
import { leaderOf } from './partition';

export function groupHost(b: Broker): GroupHost {
  return {
    brokerNode: b.self,
    offsetsPartitions: b.env.config['offsets.topic.num.partitions'],
    isLeaderOf: (topic, partition) => leaderOf(b, topic, partition) !== null,
    partitionsPerTopic: () => {
      const counts: Record<string, number> = {};
      for (const key of Object.keys(b.v.metadata.partitions).sort()) {
        const s = b.v.metadata.partitions[key];
        counts[s.topic] = Math.max(counts[s.topic] ?? 0, s.partition + 1);
      }
      return counts;
    },
    appendToOffsetsPartition: (partition, records) => {
      const p = leaderOf(b, OFFSETS_TOPIC, partition);
      if (!p) return { error: 'NOT_LEADER_OR_FOLLOWER' };
      // The coordinator writes with acks=all, so min.insync.replicas applies as for a producer.
      if (p.isr.length < topicConfig(b, OFFSETS_TOPIC, 'min.insync.replicas')) return { error: 'NOT_ENOUGH_REPLICAS' };
      return { lastOffset: appendToLeaderLog(b, p, records).lastOffset };
    },
  };
}
