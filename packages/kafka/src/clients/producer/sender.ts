/**
 * The Sender thread: one runOnce() drains ready batches into one Produce request per leader broker,
 * expires batches past delivery.timeout.ms and, for an idempotent producer, first obtains a
 * producer id. Responses (or their absence) decide per batch: done, retry, or fail.
 */
import type { NodeId } from '@kafkasim/engine';
import { emit } from '../../events';
import type {
  InitProducerIdRequest, InitProducerIdResponse, MetadataRequest, MetadataResponse, ProduceRequest, ProduceResponse,
} from '../../protocol';
import { drain, mutePartition, ready, reenqueue, takeExpiredBatches, unmutePartition } from './accumulator';
import { hasReachedDeliveryTimeout, incrementSequence } from './batch';
import { done, removeAndDeallocate, removeFromInflightBatches } from './completion';
import { wireAcks } from './config';
import { batchKey, batchOf, guaranteesOrder, keptBatches, type ProducerEnv } from './env';
import { isInvalidMetadata, isRetriable } from './errors';
import {
  bumpIdempotentEpochAndResetIdIfNeeded, canRetryIdempotent, handleCompletedBatch, handleFailedBatch, hasProducerId,
  markSequenceUnresolved, maybeResolveSequences, onInitProducerIdSuccess, removeInFlightBatch, transitionToFatalError,
} from './idempotence';
import { addTopic, failedUpdate, handleMetadataResponse, isUpdateDue, requestUpdate, timeToNextUpdate } from './metadata';
import { canSendRequest, connectionDelay, deepFreeze, leastLoadedNode, sendRequest } from './network';
import type { Batch, BatchRecord, IdempotenceState, InFlightRequest, ProduceError } from './types';

export interface RunOnceResult {
  /** Something was sent or completed: run again at once (Kafka polls with timeout 0). */
  progress: boolean;
  /** How long the sender may sleep if nothing else happens. */
  timeoutMs: number;
  /**
   * Another round at once would do nothing and report the same: this one sent, drained, expired
   * and requested nothing and drew no random number, so it left the state as it found it (but
   * for emptied in-flight entries, which it dropped). The producer's settle loop then skips that
   * round; the application cannot have moved either, as nothing it waits for changed.
   */
  quiet: boolean;
}

/** The idempotence steps at the start of runOnce would change nothing: no epoch bump, retry or unresolved sequence pending. */
function idempotenceSteady(s: IdempotenceState): boolean {
  if (s.state !== 'READY' || s.epochBumpRequired || s.initRequest !== null || !hasProducerId(s)) return false;
  for (const _ in s.unresolved) return false;
  return true;
}

export function runOnce(env: ProducerEnv): RunOnceResult {
  const s = env.m.idempotence;
  const steady = s === null || idempotenceSteady(s);
  if (s) {
    maybeResolveSequences(env);
    if (s.state === 'FATAL_ERROR') {
      const aborted = abortIncompleteBatches(env);
      const md = maybeUpdateMetadata(env);
      return { progress: aborted || md.sent, timeoutMs: md.timeoutMs, quiet: false };
    }
    bumpIdempotentEpochAndResetIdIfNeeded(env);
    const txn = maybeSendInitProducerId(env);
    if (txn.busy) {
      // maybeSendAndPollTransactionalRequest returned true: no produce data this round.
      const md = maybeUpdateMetadata(env);
      return { progress: txn.sent || md.sent, timeoutMs: Math.min(txn.timeoutMs, md.timeoutMs), quiet: false };
    }
  }
  const md = maybeUpdateMetadata(env);
  // The round's result is sendProducerData's, made by it for this round: amended, not copied.
  const pd = sendProducerData(env);
  pd.progress = md.sent || pd.progress;
  pd.timeoutMs = Math.min(md.timeoutMs, pd.timeoutMs);
  pd.quiet = pd.quiet && md.idle && steady;
  return pd;
}

// ---- metadata (NetworkClient.DefaultMetadataUpdater.maybeUpdate) ------------------------------

/** `idle`: returned before choosing a node (which draws a random number). */
function maybeUpdateMetadata(env: ProducerEnv): { sent: boolean; timeoutMs: number; idle: boolean } {
  const md = env.m.metadata;
  // An in-flight metadata request ends with its response or its request timeout, both events.
  if (md.inFlight) return { sent: false, timeoutMs: Infinity, idle: true };
  const wait = timeToNextUpdate(env);
  if (wait > 0) return { sent: false, timeoutMs: wait, idle: true };
  const node = leastLoadedNode(env);
  if (node === null) return { sent: false, timeoutMs: env.cfg['reconnect.backoff.ms'], idle: false };
  const topics = [...md.topics];
  const correlationId = sendRequest<MetadataRequest>(env, node, (c) => ({ api: 'Metadata', correlationId: c, topics }), 'Metadata', [], true);
  md.inFlight = { node, correlationId };
  env.m.counters.metadataRequests += 1;
  return { sent: true, timeoutMs: Infinity, idle: false };
}

// ---- InitProducerId (TransactionManager's request queue, idempotent case) ---------------------

function maybeSendInitProducerId(env: ProducerEnv): { busy: boolean; sent: boolean; timeoutMs: number } {
  const s = env.m.idempotence!;
  const init = s.initRequest;
  if (!init) return { busy: false, sent: false, timeoutMs: Infinity };
  if (init.status === 'in-flight') return { busy: true, sent: false, timeoutMs: Infinity };
  const now = env.ctx.now;
  // A retried request first sleeps retry.backoff.ms (the Sender thread really sleeps).
  if (now < init.retryAtMs) return { busy: true, sent: false, timeoutMs: init.retryAtMs - now };
  const node = leastLoadedNode(env);
  if (node === null) {
    s.initRequest = { status: 'pending', retryAtMs: now + env.cfg['retry.backoff.ms'] };
    requestUpdate(env);
    return { busy: true, sent: false, timeoutMs: env.cfg['retry.backoff.ms'] };
  }
  const correlationId = sendRequest<InitProducerIdRequest>(
    env, node,
    (c) => ({ api: 'InitProducerId', correlationId: c, transactionalId: null, transactionTimeoutMs: 2147483647 }),
    'InitProducerId', [], true,
  );
  s.initRequest = { status: 'in-flight', node, correlationId };
  return { busy: true, sent: true, timeoutMs: Infinity };
}

function handleInitProducerIdResponse(env: ProducerEnv, response: InitProducerIdResponse | null): void {
  const s = env.m.idempotence;
  if (!s) return;
  const retryLater = () => {
    s.initRequest = { status: 'pending', retryAtMs: env.ctx.now + env.cfg['retry.backoff.ms'] };
  };
  if (response === null) return retryLater();
  switch (response.error) {
    case 'NONE':
      return onInitProducerIdSuccess(env, response.producerId, response.producerEpoch);
    case 'NOT_COORDINATOR':
    case 'COORDINATOR_NOT_AVAILABLE':
    case 'COORDINATOR_LOAD_IN_PROGRESS':
    case 'CONCURRENT_TRANSACTIONS':
      return retryLater();
    default:
      return transitionToFatalError(env, response.error);
  }
}

/** Sender.maybeAbortBatches after a fatal error: every incomplete batch fails. */
function abortIncompleteBatches(env: ProducerEnv): boolean {
  const incomplete = keptBatches(env.m).filter((b) => b.finalState === null);
  for (const batch of incomplete) {
    const deque = env.m.accumulator.deques[batchKey(batch)];
    if (deque) env.m.accumulator.deques[batchKey(batch)] = deque.filter((id) => id !== batch.id);
    if (env.m.idempotence) removeInFlightBatch(env, batch);
    if (done(env, batch, -1, 'FATAL')) removeAndDeallocate(env, batch);
  }
  return incomplete.length > 0;
}

// ---- produce --------------------------------------------------------------------------------

/** Sender.getExpiredInflightBatches into `expired`: per partition, in drain order, up to the first one still in time. */
function takeExpiredInflightBatches(env: ProducerEnv, expired: number[]): void {
  const inFlight = env.m.inFlightBatches;
  const timeoutMs = env.cfg['delivery.timeout.ms'];
  // Runs in every Sender round: the common case (nothing expired) allocates and writes nothing.
  let kept = 0;
  for (let e = 0; e < inFlight.length; e++) {
    const entry = inFlight[e];
    const ids = entry.ids;
    let first = 0;
    while (first < ids.length && hasReachedDeliveryTimeout(batchOf(env, ids[first]), timeoutMs, env.ctx.now)) {
      expired.push(ids[first]);
      first += 1;
    }
    if (first > 0 && first < ids.length) entry.ids = ids.slice(first);
    if (first < ids.length) inFlight[kept++] = entry;
  }
  // Writing an array's length is a runtime call even when it does not change.
  if (kept !== inFlight.length) inFlight.length = kept;
}

/** Adds the batch to its partition's entry in Sender.inFlightBatches, a new entry added last if it has none. */
function addToInFlight(env: ProducerEnv, tp: string, id: number): void {
  const inFlight = env.m.inFlightBatches;
  for (const entry of inFlight) {
    if (entry.tp !== tp) continue;
    entry.ids.push(id);
    return;
  }
  // Made with the id: a pushed-to [] grows to room for 17.
  inFlight.push({ tp, ids: [id] });
}

function nextInflightExpiryMs(env: ProducerEnv): number {
  let next = Infinity;
  for (const { ids } of env.m.inFlightBatches) {
    if (ids.length > 0) next = Math.min(next, batchOf(env, ids[0]).createdMs + env.cfg['delivery.timeout.ms']);
  }
  return next;
}

function sendProducerData(env: ProducerEnv): RunOnceResult {
  const now = env.ctx.now;
  const result = ready(env);
  if (result.unknownLeaderTopics.length > 0) {
    for (const topic of result.unknownLeaderTopics) addTopic(env, topic);
    requestUpdate(env);
  }
  // ready() made the list for this round: the nodes not sendable now are taken out of it in place.
  const readyNodes = result.readyNodes;
  let sendable = 0;
  let notReadyTimeout = Infinity;
  for (let i = 0; i < readyNodes.length; i++) {
    const node = readyNodes[i];
    if (!isUpdateDue(env) && canSendRequest(env, node)) {
      readyNodes[sendable++] = node;
    } else {
      // A node busy with max.in.flight requests wakes us with a response; a closed one after its backoff.
      const delay = connectionDelay(env, node);
      if (delay > 0) notReadyTimeout = Math.min(notReadyTimeout, delay);
    }
  }
  if (sendable !== readyNodes.length) readyNodes.length = sendable;

  const drained = drain(env, readyNodes);
  for (const { batchIds } of drained) {
    for (const id of batchIds) {
      const tp = batchKey(batchOf(env, id));
      addToInFlight(env, tp, id);
      if (guaranteesOrder(env)) mutePartition(env, tp);
    }
  }

  // Queued ones first, then in-flight ones, in one list.
  const expired: number[] = [];
  const nextQueuedExpiryMs = takeExpiredBatches(env, expired);
  takeExpiredInflightBatches(env, expired);
  for (const id of expired) {
    const batch = batchOf(env, id);
    failBatch(env, batch, 'DELIVERY_TIMEOUT', false);
    // Sent at least once and now given up on: its sequence's fate is unknown.
    if (env.m.idempotence && batch.inRetry) markSequenceUnresolved(env, batch);
  }

  for (const { node, batchIds } of drained) sendProduceRequest(env, node, batchIds);

  const nextExpiry = Math.min(nextQueuedExpiryMs, nextInflightExpiryMs(env));
  const timeoutMs = Math.max(0, Math.min(result.nextReadyCheckDelayMs, notReadyTimeout, nextExpiry - now));
  // No ready node means drain() did not run (it moves the drain index even when it takes nothing).
  const quiet = result.unknownLeaderTopics.length === 0 && readyNodes.length === 0 && expired.length === 0;
  return { progress: drained.length > 0 || expired.length > 0, timeoutMs, quiet };
}

/** The batch's records as they go on the wire, frozen. */
function wireRecords(env: ProducerEnv, batch: Batch): ProduceRequest['partitions'][number]['batch']['records'] {
  const records = batch.records;
  // Without idempotence a record goes as the application made it (key, value, timestamp: see
  // newBatchRecord), and a drained batch is closed for appends: its own list is sent, every attempt.
  if (env.m.idempotence === null) return deepFreeze(records);
  const out = records.map((r, i) => Object.freeze({
    key: r.key, value: r.value, timestamp: r.timestamp,
    producerId: batch.producerId, producerEpoch: batch.producerEpoch, sequence: incrementSequence(batch.baseSequence, i),
  }));
  Object.freeze(out);
  return out;
}

/** One partition of a Produce request, frozen here (with all it holds) so that sendRequest need not walk it. */
function toWireBatch(env: ProducerEnv, batch: Batch): ProduceRequest['partitions'][number] {
  return Object.freeze({
    topic: batch.topic,
    partition: batch.partition,
    batch: Object.freeze({
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
      transactional: false,
      records: wireRecords(env, batch),
    }),
  });
}

/** A record's id (its value), for a produce-send fact: a function of the file, not a closure per batch. */
const recordId = (r: BatchRecord): string => r.value;

/** Takes `batchIds` over: the in-flight request keeps that very list. */
function sendProduceRequest(env: ProducerEnv, node: NodeId, batchIds: number[]): void {
  const { cfg } = env;
  const acks = wireAcks(cfg.acks);
  // One pass: each batch's fact, then its wire form (which emits nothing, so the facts keep their
  // order). map, not push: an array of the exact length rather than one grown for more.
  const partitions = batchIds.map((id) => {
    const batch = batchOf(env, id);
    batch.destination = node;
    emit(env.ctx, {
      event: 'produce-send', producer: env.self, topic: batch.topic, partition: batch.partition,
      ids: batch.records.map(recordId), acks: cfg.acks, attempt: batch.attempts + 1,
    });
    return toWireBatch(env, batch);
  });
  Object.freeze(partitions);
  env.m.counters.produceRequests += 1;
  env.m.counters.batchesSent += batchIds.length;
  const expectResponse = acks !== 0;
  sendRequest<ProduceRequest>(
    env, node,
    (correlationId) => ({ api: 'Produce', correlationId, acks, timeoutMs: cfg['request.timeout.ms'], transactionalId: null, partitions }),
    'Produce', batchIds, expectResponse,
  );
  // acks=0: the request completes once written to the socket, with no offsets.
  if (!expectResponse) for (let i = 0; i < batchIds.length; i++) completeBatch(env, batchOf(env, batchIds[i]), 'NONE', -1, -1);
}

function canRetry(env: ProducerEnv, batch: Batch, error: ProduceError, logStartOffset: number): boolean {
  return !hasReachedDeliveryTimeout(batch, env.cfg['delivery.timeout.ms'], env.ctx.now)
    && batch.attempts < env.cfg.retries
    && batch.finalState === null
    && (env.m.idempotence ? canRetryIdempotent(env, batch, error, logStartOffset) : isRetriable(error));
}

function completeBatchSuccess(env: ProducerEnv, batch: Batch, baseOffset: number): void {
  if (env.m.idempotence) handleCompletedBatch(env, batch, baseOffset);
  if (done(env, batch, baseOffset, null)) removeAndDeallocate(env, batch);
}

function failBatch(env: ProducerEnv, batch: Batch, error: ProduceError, adjustSequenceNumbers: boolean): void {
  if (env.m.idempotence) handleFailedBatch(env, batch, error, adjustSequenceNumbers);
  if (done(env, batch, -1, error)) removeAndDeallocate(env, batch);
}

/** Sender.completeBatch: done, retried (back to the front of its deque) or failed. */
function completeBatch(env: ProducerEnv, batch: Batch, error: ProduceError, baseOffset: number, logStartOffset: number): void {
  if (error !== 'NONE') {
    if (canRetry(env, batch, error, logStartOffset)) {
      reenqueue(env, batch);
      removeFromInflightBatches(env, batch);
      env.m.counters.retries += 1;
    } else if (error === 'DUPLICATE_SEQUENCE_NUMBER') {
      // The broker already has this batch but no longer its offset: success, offset unknown.
      completeBatchSuccess(env, batch, baseOffset);
    } else {
      // Only safe to reassign sequences if retries were not exhausted (we then know it was not written).
      failBatch(env, batch, error, batch.attempts < env.cfg.retries);
    }
    if (isInvalidMetadata(error)) requestUpdate(env);
  } else {
    completeBatchSuccess(env, batch, baseOffset);
  }
  if (guaranteesOrder(env)) unmutePartition(env, batchKey(batch));
}

function handleProduceResponse(env: ProducerEnv, request: InFlightRequest, response: ProduceResponse | null): void {
  const batches = request.batchIds.map((id) => batchOf(env, id));
  for (const batch of batches) {
    const part = response?.partitions.find((p) => p.topic === batch.topic && p.partition === batch.partition);
    // No response (the connection was closed) or no answer for this partition: a network error.
    if (!part) completeBatch(env, batch, 'NETWORK_EXCEPTION', -1, -1);
    else completeBatch(env, batch, part.error, part.baseOffset, part.logStartOffset);
  }
}

/** A response (or, with null, the disconnect that ends a request) for a request of this producer. */
export function handleCompletedRequest(
  env: ProducerEnv,
  request: InFlightRequest,
  response: ProduceResponse | InitProducerIdResponse | MetadataResponse | null,
): void {
  switch (request.api) {
    case 'Produce':
      return handleProduceResponse(env, request, response?.api === 'ProduceResponse' ? response : null);
    case 'InitProducerId':
      return handleInitProducerIdResponse(env, response?.api === 'InitProducerIdResponse' ? response : null);
    case 'Metadata':
      if (response?.api === 'MetadataResponse') return handleMetadataResponse(env, response);
      failedUpdate(env);
      return requestUpdate(env);
  }
}

/** NetworkClient.processDisconnection: every request on the closed connection fails; metadata is refreshed. */
export function handleDisconnect(env: ProducerEnv, failed: InFlightRequest[]): void {
  for (const request of failed) handleCompletedRequest(env, request, null);
  requestUpdate(env);
}
