/**
 * The output side of a consume-process-produce application, kept inside the consumer node as a
 * small explicit request sequence rather than the full producer client:
 *  - plain (commit-after-process / commit-before-process with an output topic): one Produce at a
 *    time, no producer id, retried on errors (so a retry or a re-processing writes duplicates);
 *    the batch's commit waits until the output is flushed (producer.flush() before commitSync).
 *  - transactional ('exactly-once'): at start FindCoordinator(transaction) + InitProducerId
 *    (which fences a previous incarnation and aborts its open transaction); per batch
 *    AddPartitionsToTxn, Produce (transactional batches with sequences), AddOffsetsToTxn,
 *    TxnOffsetCommit to the group coordinator, EndTxn. An error aborts the transaction and the
 *    application rewinds to the committed offsets, as the KafkaProducer javadoc's loop does.
 */
import type { NodeId } from '@kafkasim/engine';
import { outputRecordId } from '../../events';
import type {
  AddOffsetsToTxnResponse, AddPartitionsToTxnResponse, EndTxnResponse, ErrorCode, FindCoordinatorResponse, InitProducerIdResponse,
  KafkaResponse, ProduceResponse, TxnOffsetCommitResponse,
} from '../../protocol';
import { groupId, tpKey, type ConsumerEnv } from './env';
import { requestMetadataUpdate } from './metadata';
import { REQUEST_TIMEOUT_TIMER } from './network';
import type { BufferedRecord, InFlightRequest, OutputApi, OutputState } from './types';

/** transaction.timeout.ms: short (Kafka's default is 60000) so a crashed member's transaction is aborted within a lesson. */
export const TRANSACTION_TIMEOUT_MS = 10000;

const RETRIABLE_TXN: ErrorCode[] = ['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS', 'CONCURRENT_TRANSACTIONS', 'REQUEST_TIMED_OUT'];

export function createOutputState(env: { self: NodeId; groupId: string; topic: string; transactional: boolean }): OutputState {
  return {
    topic: env.topic, transactional: env.transactional, transactionalId: `${env.groupId}-${env.self}`,
    coordinator: null, producerId: -1, producerEpoch: -1, ready: !env.transactional, initSent: false, findSent: false,
    sequences: {}, queue: [], sending: null, txn: null, backoffUntil: 0,
    counters: { produced: 0, committedTxns: 0, abortedTxns: 0 },
  };
}

function send(env: ConsumerEnv, node: NodeId, api: OutputApi, body: Record<string, unknown>): void {
  const correlationId = env.m.nextCorrelationId++;
  env.ctx.send(node, { ...body, api: api === 'FindTxnCoordinator' ? 'FindCoordinator' : api, correlationId });
  const timerId = env.ctx.setTimer(env.cfg['request.timeout.ms'], REQUEST_TIMEOUT_TIMER, { correlationId });
  env.m.inFlight.push({ correlationId, node, api, sentMs: env.ctx.now, timerId });
}

const backoff = (env: ConsumerEnv, o: OutputState) => { o.backoffUntil = env.ctx.now + env.cfg['retry.backoff.ms']; };
const ids = (o: OutputState) => ({ transactionalId: o.transactionalId, producerId: o.producerId, producerEpoch: o.producerEpoch });

export function isOutputApi(api: InFlightRequest['api']): api is OutputApi {
  return ['FindTxnCoordinator', 'InitProducerId', 'AddPartitionsToTxn', 'Produce', 'AddOffsetsToTxn', 'TxnOffsetCommit', 'EndTxn'].includes(api);
}

// ---- the application's side -------------------------------------------------------------------

/** The application may poll: the transactional writer is initialised and no transaction is open. */
export function outputReady(env: ConsumerEnv): boolean {
  const o = env.m.output;
  return !o || (o.ready && o.txn === null);
}

/** A batch was polled: in exactly-once mode its transaction begins (the output partitions join it). */
export function beginBatch(env: ConsumerEnv, records: BufferedRecord[]): void {
  const o = env.m.output;
  if (!o || !o.transactional) return;
  const partitions = [...new Set(records.map((r) => outputPartition(env, r)))].sort((a, b) => a - b);
  o.txn = { step: 'add-partitions', commit: true, partitions, offsets: [], sent: false };
}

function outputPartition(env: ConsumerEnv, r: BufferedRecord): number {
  const count = env.m.metadata.topics[env.m.output!.topic]?.length ?? 1;
  return r.partition % count;
}

/** One processed record: its output record is queued. */
export function writeOutput(env: ConsumerEnv, r: BufferedRecord): void {
  const o = env.m.output;
  if (!o) return;
  if (o.transactional && (!o.txn || o.txn.step !== 'add-partitions' && o.txn.step !== 'open')) return;
  o.queue.push({ partition: outputPartition(env, r), key: r.key, value: outputRecordId(r.value) });
}

/**
 * The batch is processed: plain output is done once flushed, a transaction once ended. Returns true when the batch is finished,
 * with `ok` false when its transaction was aborted (the application rewinds).
 */
export function finishOutput(env: ConsumerEnv): { done: boolean; ok: boolean } {
  const o = env.m.output;
  if (!o) return { done: true, ok: true };
  if (!o.transactional) return { done: o.queue.length === 0 && o.sending === null, ok: true };
  const txn = o.txn;
  if (!txn) return { done: true, ok: true };
  if (txn.step === 'done') {
    o.txn = null;
    return { done: true, ok: txn.commit };
  }
  return { done: false, ok: true };
}

/** The batch's offsets go into its transaction once processing ends. */
export function setBatchOffsets(env: ConsumerEnv, offsets: { topic: string; partition: number; offset: number }[]): void {
  const txn = env.m.output?.txn;
  if (txn) txn.offsets = offsets.map((x) => ({ ...x }));
}

function abort(env: ConsumerEnv, o: OutputState): void {
  if (!o.txn) return;
  o.queue = [];
  o.sending = null;
  o.txn = { ...o.txn, commit: false, step: 'end', sent: false };
}

// ---- driving the requests --------------------------------------------------------------------

/** Sends whatever the writer can send now. Returns true when something changed. */
export function runOutput(env: ConsumerEnv, processingDone: boolean): boolean {
  const o = env.m.output;
  if (!o || env.ctx.now < o.backoffUntil) return false;
  const busy = env.m.inFlight.some((r) => isOutputApi(r.api));
  if (busy) return false;
  if (o.transactional && !o.ready) return initTransactions(env, o);
  if (o.transactional && o.txn) {
    const txn = o.txn;
    if (txn.step === 'add-partitions') {
      if (!o.coordinator) return findCoordinator(env, o);
      send(env, o.coordinator, 'AddPartitionsToTxn', { ...ids(o), partitions: txn.partitions.map((partition) => ({ topic: o.topic, partition })) });
      txn.sent = true;
      return true;
    }
    if (txn.step === 'open') {
      if (sendProduce(env, o)) return true;
      if (!processingDone || o.queue.length > 0 || o.sending) return false;
      txn.step = 'add-offsets';
      return true;
    }
    if (txn.step === 'add-offsets') {
      if (!o.coordinator) return findCoordinator(env, o);
      send(env, o.coordinator, 'AddOffsetsToTxn', { ...ids(o), groupId: groupId(env) });
      return true;
    }
    if (txn.step === 'offset-commit') {
      const g = env.m.group;
      if (g.coordinator === null) return false;
      send(env, g.coordinator, 'TxnOffsetCommit', {
        ...ids(o), groupId: groupId(env), generationId: g.generation, memberId: g.memberId,
        offsets: txn.offsets.map((x) => ({ ...x, metadata: '' })),
      });
      return true;
    }
    if (txn.step === 'end') {
      if (!o.coordinator) return findCoordinator(env, o);
      send(env, o.coordinator, 'EndTxn', { ...ids(o), committed: txn.commit });
      return true;
    }
    return false;
  }
  return sendProduce(env, o);
}

function findCoordinator(env: ConsumerEnv, o: OutputState): boolean {
  const nodes = env.m.metadata.nodes.length > 0 ? env.m.metadata.nodes : [...env.bootstrap];
  const node = nodes[(env.m.group.findIndex + env.disk.boots) % nodes.length];
  send(env, node, 'FindTxnCoordinator', { key: o.transactionalId, keyType: 'transaction' });
  o.findSent = true;
  return true;
}

function initTransactions(env: ConsumerEnv, o: OutputState): boolean {
  if (!o.coordinator) return findCoordinator(env, o);
  send(env, o.coordinator, 'InitProducerId', { transactionalId: o.transactionalId, transactionTimeoutMs: TRANSACTION_TIMEOUT_MS });
  o.initSent = true;
  return true;
}

function sendProduce(env: ConsumerEnv, o: OutputState): boolean {
  if (!o.sending) {
    if (o.queue.length === 0) return false;
    const partition = o.queue[0].partition;
    const records = o.queue.filter((r) => r.partition === partition);
    o.queue = o.queue.filter((r) => r.partition !== partition);
    const key = tpKey(o.topic, partition);
    o.sending = { partition, records, baseSequence: o.transactional ? o.sequences[key] ?? 0 : -1, sent: false };
  }
  const leader = env.m.metadata.topics[o.topic]?.find((p) => p.partition === o.sending!.partition)?.leader ?? null;
  if (!leader) {
    requestMetadataUpdate(env);
    backoff(env, o);
    return false;
  }
  const s = o.sending;
  send(env, leader, 'Produce', {
    acks: -1, timeoutMs: env.cfg['request.timeout.ms'], transactionalId: o.transactional ? o.transactionalId : null,
    partitions: [{
      topic: o.topic, partition: s.partition,
      batch: {
        producerId: o.producerId, producerEpoch: o.producerEpoch, baseSequence: s.baseSequence, transactional: o.transactional,
        records: s.records.map((r) => ({ key: r.key, value: r.value, timestamp: env.ctx.now })),
      },
    }],
  });
  s.sent = true;
  return true;
}

// ---- responses ---------------------------------------------------------------------------------

/** Fenced by a newer incarnation, or its state is gone: start over with InitProducerId. */
function restartTransactions(env: ConsumerEnv, o: OutputState): void {
  if (o.txn) o.txn = { ...o.txn, commit: false, step: 'done', sent: false };
  o.queue = [];
  o.sending = null;
  o.ready = false;
  o.sequences = {};
  backoff(env, o);
}

function onTxnError(env: ConsumerEnv, o: OutputState, error: ErrorCode, what: string): void {
  void what;
  if (error === 'NOT_COORDINATOR' || error === 'COORDINATOR_NOT_AVAILABLE') o.coordinator = null;
  if (RETRIABLE_TXN.includes(error)) return backoff(env, o);
  if (error === 'PRODUCER_FENCED' || error === 'INVALID_PRODUCER_EPOCH' || error === 'UNKNOWN_PRODUCER_ID' || error === 'TRANSACTIONAL_ID_NOT_FOUND') {
    return restartTransactions(env, o);
  }
  // Anything else (INVALID_TXN_STATE, a failed offset commit): abort the batch's transaction.
  if (o.txn && o.txn.step !== 'end') return abort(env, o);
  restartTransactions(env, o);
}

export function onOutputResponse(env: ConsumerEnv, request: InFlightRequest, payload: KafkaResponse): void {
  const o = env.m.output;
  if (!o) return;
  switch (request.api) {
    case 'FindTxnCoordinator': {
      const r = payload as FindCoordinatorResponse;
      if (r.error === 'NONE' && r.coordinator) o.coordinator = r.coordinator;
      else {
        env.m.group.findIndex += 1;
        backoff(env, o);
      }
      return;
    }
    case 'InitProducerId': {
      const r = payload as InitProducerIdResponse;
      if (r.error !== 'NONE') return onTxnError(env, o, r.error === 'PRODUCER_FENCED' ? 'CONCURRENT_TRANSACTIONS' : r.error, 'InitProducerId');
      o.producerId = r.producerId;
      o.producerEpoch = r.producerEpoch;
      o.sequences = {};
      o.ready = true;
      return;
    }
    case 'AddPartitionsToTxn': {
      const r = payload as AddPartitionsToTxnResponse;
      if (!o.txn || o.txn.step !== 'add-partitions') return;
      if (r.error !== 'NONE') return onTxnError(env, o, r.error, 'AddPartitionsToTxn');
      o.txn.step = 'open';
      return;
    }
    case 'AddOffsetsToTxn': {
      const r = payload as AddOffsetsToTxnResponse;
      if (!o.txn || o.txn.step !== 'add-offsets') return;
      if (r.error !== 'NONE') return onTxnError(env, o, r.error, 'AddOffsetsToTxn');
      o.txn.step = 'offset-commit';
      return;
    }
    case 'TxnOffsetCommit': {
      const r = payload as TxnOffsetCommitResponse;
      if (!o.txn || o.txn.step !== 'offset-commit') return;
      const error = r.partitions.find((p) => p.error !== 'NONE')?.error ?? 'NONE';
      if (error === 'NONE') {
        o.txn.step = 'end';
        return;
      }
      if (error === 'NOT_COORDINATOR' || error === 'COORDINATOR_NOT_AVAILABLE' || error === 'COORDINATOR_LOAD_IN_PROGRESS' || error === 'CONCURRENT_TRANSACTIONS') {
        return backoff(env, o);
      }
      // ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS: the group moved on; abort.
      return abort(env, o);
    }
    case 'EndTxn': {
      const r = payload as EndTxnResponse;
      if (!o.txn || o.txn.step !== 'end') return;
      if (r.error !== 'NONE') return onTxnError(env, o, r.error, 'EndTxn');
      if (o.txn.commit) {
        o.counters.committedTxns += 1;
        for (const x of o.txn.offsets) env.m.committed[tpKey(x.topic, x.partition)] = x.offset;
      } else o.counters.abortedTxns += 1;
      o.txn.step = 'done';
      return;
    }
    case 'Produce': {
      const r = payload as ProduceResponse;
      const s = o.sending;
      if (!s) return;
      const error = r.partitions[0]?.error ?? 'UNKNOWN_SERVER_ERROR';
      if (error === 'NONE' || error === 'DUPLICATE_SEQUENCE_NUMBER') {
        if (o.transactional) o.sequences[tpKey(o.topic, s.partition)] = s.baseSequence + s.records.length;
        o.counters.produced += s.records.length;
        o.sending = null;
        return;
      }
      if (error === 'NOT_LEADER_OR_FOLLOWER' || error === 'UNKNOWN_TOPIC_OR_PARTITION' || error === 'NOT_ENOUGH_REPLICAS' || error === 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' || error === 'REQUEST_TIMED_OUT') {
        requestMetadataUpdate(env);
        return backoff(env, o);
      }
      if (!o.transactional) {
        o.sending = null;
        return;
      }
      return onTxnError(env, o, error, 'Produce');
    }
    default:
      return;
  }
}

/** A request of the writer timed out: the same step is retried (a Produce with the same sequence). */
export function onOutputTimeout(env: ConsumerEnv, request: InFlightRequest): void {
  const o = env.m.output;
  if (!o) return;
  if (request.api === 'Produce') requestMetadataUpdate(env);
  else if (request.api !== 'TxnOffsetCommit') o.coordinator = null;
  backoff(env, o);
}
