/** The broker side of txn/host.ts: what the hosted transaction coordinator may ask of its broker. */
import { topicConfig, nextCorrelationId, type Broker } from './context';
import { appendToLeaderLog } from './leaderAppend';
import { leaderOf } from './partition';
import { TXN_TOPIC, type TxnHost } from '../txn/host';
import { tpKey } from './types';

export function txnHost(b: Broker): TxnHost {
  return {
    brokerNode: b.self,
    txnPartitions: b.env.config['transaction.state.log.num.partitions'],
    offsetsPartitions: b.env.config['offsets.topic.num.partitions'],
    leaderOf: (topic, partition) => {
      const local = leaderOf(b, topic, partition);
      if (local) return b.self;
      return b.v.metadata.partitions[tpKey(topic, partition)]?.leader ?? null;
    },
    coordinatorEpoch: (partition) => b.v.partitions[tpKey(TXN_TOPIC, partition)]?.leaderEpoch ?? -1,
    appendToTxnPartition: (partition, records) => {
      const p = leaderOf(b, TXN_TOPIC, partition);
      if (!p) return { error: 'NOT_LEADER_OR_FOLLOWER' };
      if (p.isr.length < topicConfig(b, TXN_TOPIC, 'min.insync.replicas')) return { error: 'NOT_ENOUGH_REPLICAS' };
      return { lastOffset: appendToLeaderLog(b, p, records).lastOffset };
    },
    allocateProducerId: () => {
      const id = b.v.brokerId * 1_000_000 + b.d.nextProducerSeq;
      b.d.nextProducerSeq += 1;
      return id;
    },
    nextCorrelationId: () => nextCorrelationId(b),
  };
}
