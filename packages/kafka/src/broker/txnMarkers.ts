/**
 * WriteTxnMarkers on a partition leader: append the COMMIT/ABORT control record of a producer's
 * transaction, which closes it here (the LSO moves on). A marker in __consumer_offsets also tells
 * the hosted group coordinator to commit or drop the transaction's offsets.
 * Kafka answers once the marker is replicated (acks=all); kafkasim answers after the leader's
 * append (a marker lost with a failed leader is not modelled).
 */
import type { NodeId } from '@kafkasim/engine';
import { emit } from '../events';
import { onOffsetsTxnMarker } from '../group/coordinator';
import { OFFSETS_TOPIC } from '../group/host';
import type { ErrorCode, WriteTxnMarkersRequest, WriteTxnMarkersResponse } from '../protocol';
import type { Broker } from './context';
import { leaderEpochError } from './fetchRead';
import { appendToLeaderLog } from './leaderAppend';
import { applyMarker } from './txnState';
import { tpKey } from './types';

export function handleWriteTxnMarkers(b: Broker, from: NodeId, req: WriteTxnMarkersRequest): void {
  const markers = req.markers.map((m) => ({
    producerId: m.producerId,
    partitions: m.partitions.map((tp) => {
      const notLeader = leaderEpochError(b, tp.topic, tp.partition, -1);
      if (notLeader) return { topic: tp.topic, partition: tp.partition, error: notLeader as ErrorCode };
      const p = b.v.partitions[tpKey(tp.topic, tp.partition)];
      const info = appendToLeaderLog(b, p, [{
        key: null, value: `marker:${m.transactionResult}:${m.producerId}:${m.producerEpoch}`, timestamp: b.ctx.now,
        producerId: m.producerId, producerEpoch: m.producerEpoch, sequence: -1, transactional: true, control: m.transactionResult,
      }]);
      applyMarker(p, m.producerId, m.transactionResult, info.lastOffset);
      // The marker's epoch fences older producer instances on this partition.
      const entry = p.producers[String(m.producerId)];
      if (!entry || entry.epoch < m.producerEpoch) p.producers[String(m.producerId)] = { epoch: m.producerEpoch, batches: [] };
      emit(b.ctx, { event: 'txn-marker', topic: tp.topic, partition: tp.partition, broker: b.self, producerId: m.producerId, result: m.transactionResult, offset: info.lastOffset });
      if (tp.topic === OFFSETS_TOPIC) onOffsetsTxnMarker(b.v.group, tp.partition, m.producerId, m.transactionResult, b.ctx);
      return { topic: tp.topic, partition: tp.partition, error: 'NONE' as ErrorCode };
    }),
  }));
  const response: WriteTxnMarkersResponse = { api: 'WriteTxnMarkersResponse', correlationId: req.correlationId, markers };
  b.ctx.send(from, response);
}
