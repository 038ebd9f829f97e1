/**
 * The produce path on the leader (ReplicaManager.appendRecords + Partition.appendRecordsToLeader):
 * leadership and min.insync.replicas checks, idempotence checks, the append, then the answer by
 * acks: 0 never, 1 after the leader's append, -1 (all) when the high watermark passes the batch.
 */
import type { NodeId } from '@kafkasim/engine';
import type { ErrorCode, InitProducerIdRequest, InitProducerIdResponse, ProduceRequest, RecordBatch } from '../protocol';
import { topicConfig, type Broker } from './context';
import { replicaEpochError } from './fetchRead';
import { appendToLeaderLog, recordValues } from './leaderAppend';
import { checkBatch, recordBatch } from './producerState';
import { addDelayedProduce, rejectFact, sendProduceResponse } from './purgatory';
import { trackTransactionalAppend } from './txnState';
import { tpKey, type DelayedProducePartition } from './types';

/** A function of the file, not a closure per call: tsx names every closure it makes (a defineProperty each). */
function failPartition(b: Broker, result: DelayedProducePartition, error: ErrorCode): DelayedProducePartition {
  rejectFact(b, result.topic, result.partition, error, result.ids);
  // The result was made for this partition and is not kept by anyone yet: set, not copied.
  result.error = error;
  return result;
}

function appendPartition(b: Broker, acks: ProduceRequest['acks'], part: ProduceRequest['partitions'][number]): DelayedProducePartition {
  const batch = part.batch;
  const ids = recordValues(batch.records);
  const result: DelayedProducePartition = { topic: part.topic, partition: part.partition, requiredOffset: -1, baseOffset: -1, error: null, ids };
  // One key and one lookup (leaderEpochError would make its own).
  const key = tpKey(part.topic, part.partition);
  const p = b.v.partitions[key];
  const notLeader = replicaEpochError(b, key, p, -1);
  if (notLeader) return failPartition(b, result, notLeader);
  // Checked before appending: with acks=all and too small an ISR, nothing is written.
  if (acks === -1 && p.isr.length < topicConfig(b, p.topic, 'min.insync.replicas')) return failPartition(b, result, 'NOT_ENOUGH_REPLICAS');
  const check = checkBatch(p.producers, batch);
  if (check.kind === 'error') return failPartition(b, result, check.error);
  if (check.kind === 'duplicate') {
    // Already written: answer with the original offsets; acks=all still waits for them to commit.
    const lastOffset = check.baseOffset + batch.records.length - 1;
    result.baseOffset = check.baseOffset;
    result.requiredOffset = lastOffset + 1;
    return result;
  }
  // Each record carries the batch's producer fields and its own sequence, so that the producer
  // state can be rebuilt from the log by a future leader.
  const { producerId, producerEpoch, baseSequence, transactional } = batch;
  const records: RecordBatch['records'] = new Array(batch.records.length);
  for (let i = 0; i < records.length; i++) {
    // Object.assign, not a spread followed by keys: see docs/CONTRIBUTING.md (a hidden class per record otherwise).
    records[i] = Object.assign({}, batch.records[i], {
      producerId, producerEpoch, sequence: baseSequence < 0 ? -1 : baseSequence + i, transactional,
    });
  }
  // The append fact's ids are these very values: the array is shared, never changed.
  const info = appendToLeaderLog(b, p, records, ids);
  recordBatch(p.producers, batch, info.firstOffset, info.lastOffset);
  if (transactional && producerId >= 0) trackTransactionalAppend(p, producerId, info.firstOffset);
  result.baseOffset = info.firstOffset;
  result.requiredOffset = info.lastOffset + 1;
  return result;
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
  // A loop, not map with a closure: every produce request comes here.
  const results: DelayedProducePartition[] = new Array(req.partitions.length);
  for (let i = 0; i < results.length; i++) results[i] = appendPartition(b, req.acks, req.partitions[i]);
  if (req.acks === 0) return;
  if (req.acks === 1) {
    // Answered as they are: the response reads an undecided error (null) as NONE.
    sendProduceResponse(b, { from, correlationId: req.correlationId, partitions: results });
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
