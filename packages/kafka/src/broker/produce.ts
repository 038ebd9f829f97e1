/**
 * The produce path on the leader (ReplicaManager.appendRecords + Partition.appendRecordsToLeader):
 * leadership and min.insync.replicas checks, idempotence checks, the append, then the answer by
 * acks: 0 never, 1 after the leader's append, -1 (all) when the high watermark passes the batch.
 */
import type { NodeId } from '@kafkasim/engine';
import type { ErrorCode, InitProducerIdRequest, InitProducerIdResponse, ProduceRequest } from '../protocol';
import { topicConfig, type Broker } from './context';
import { leaderEpochError } from './fetchRead';
import { appendToLeaderLog } from './leaderAppend';
import { checkBatch, recordBatch } from './producerState';
import { addDelayedProduce, rejectFact, sendProduceResponse } from './purgatory';
import { trackTransactionalAppend } from './txnState';
import { tpKey, type DelayedProducePartition } from './types';

/** A function of the file, not a closure per call: tsx names every closure it makes (a defineProperty each). */
function failPartition(b: Broker, result: DelayedProducePartition, error: ErrorCode): DelayedProducePartition {
  rejectFact(b, result.topic, result.partition, error, result.ids);
  return { ...result, error };
}

function appendPartition(b: Broker, acks: ProduceRequest['acks'], part: ProduceRequest['partitions'][number]): DelayedProducePartition {
  const ids = part.batch.records.map((r) => r.value);
  const result: DelayedProducePartition = { topic: part.topic, partition: part.partition, requiredOffset: -1, baseOffset: -1, error: null, ids };
  const notLeader = leaderEpochError(b, part.topic, part.partition, -1);
  if (notLeader) return failPartition(b, result, notLeader);
  const p = b.v.partitions[tpKey(part.topic, part.partition)];
  // Checked before appending: with acks=all and too small an ISR, nothing is written.
  if (acks === -1 && p.isr.length < topicConfig(b, p.topic, 'min.insync.replicas')) return failPartition(b, result, 'NOT_ENOUGH_REPLICAS');
  const check = checkBatch(p.producers, part.batch);
  if (check.kind === 'error') return failPartition(b, result, check.error);
  if (check.kind === 'duplicate') {
    // Already written: answer with the original offsets; acks=all still waits for them to commit.
    const lastOffset = check.baseOffset + part.batch.records.length - 1;
    return { ...result, baseOffset: check.baseOffset, requiredOffset: lastOffset + 1 };
  }
  // Each record carries the batch's producer fields and its own sequence, so that the producer
  // state can be rebuilt from the log by a future leader.
  const { producerId, producerEpoch, baseSequence, transactional } = part.batch;
  // Object.assign, not a spread followed by keys: see docs/CONTRIBUTING.md (a hidden class per record otherwise).
  const records = part.batch.records.map((r, i) => Object.assign({}, r, {
    producerId, producerEpoch, sequence: baseSequence < 0 ? -1 : baseSequence + i, transactional,
  }));
  const info = appendToLeaderLog(b, p, records);
  recordBatch(p.producers, part.batch, info.firstOffset, info.lastOffset);
  if (transactional && producerId >= 0) trackTransactionalAppend(p, producerId, info.firstOffset);
  return { ...result, baseOffset: info.firstOffset, requiredOffset: info.lastOffset + 1 };
}

export function handleProduce(b: Broker, from: NodeId, req: ProduceRequest): void {
  if (req.acks !== 0 && req.acks !== 1 && req.acks !== -1) {
    const partitions = req.partitions.map((part) => ({
      topic: part.topic, partition: part.partition, requiredOffset: -1, baseOffset: -1,
      error: 'INVALID_REQUIRED_ACKS' as ErrorCode, ids: part.batch.records.map((r) => r.value),
    }));
    sendProduceResponse(b, { from, correlationId: req.correlationId, partitions });
    return;
  }
  const results = req.partitions.map((part) => appendPartition(b, req.acks, part));
  if (req.acks === 0) return;
  if (req.acks === 1) {
    sendProduceResponse(b, { from, correlationId: req.correlationId, partitions: results.map((r) => ({ ...r, error: r.error ?? 'NONE' })) });
    return;
  }
  addDelayedProduce(b, from, req.correlationId, req.timeoutMs, results);
}

/** Ids are allocated per broker from a durable counter, so they never repeat after a restart. */
export function handleInitProducerId(b: Broker, from: NodeId, req: InitProducerIdRequest): void {
  const producerId = b.v.brokerId * 1_000_000 + b.d.nextProducerSeq;
  b.d.nextProducerSeq += 1;
  const response: InitProducerIdResponse = {
    api: 'InitProducerIdResponse', correlationId: req.correlationId, error: 'NONE', producerId, producerEpoch: 0,
  };
  b.ctx.send(from, response);
}
