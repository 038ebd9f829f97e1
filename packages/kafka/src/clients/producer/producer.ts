/**
 * The producer as a simulation node: the application thread (app.ts) and the Sender thread
 * (sender.ts) of one KafkaProducer. After every event both run until neither makes progress — the
 * Sender in Kafka loops with poll(0) while it has something to do — and the Sender's next wake-up
 * (linger, retry backoff, delivery expiry, metadata refresh) becomes one 'sender-poll' timer.
 */
import type { Behavior, NodeContext, NodeEvent, NodeId, Simulation } from '@kafkasim/engine';
import { createPartitionerState } from '../partitioner';
import { APP_SEND_TIMER, createAppState, MAX_BLOCK_TIMER, onAppTimer, onMaxBlockTimer, runApp, tryUnblock } from './app';
import { collectCompletedBatches } from './completion';
import { resolveProducerConfig } from './config';
import type { ProducerEnv } from './env';
import { createIdempotenceState } from './idempotence';
import { createMetadataState } from './metadata';
import { onRequestTimeout, receiveResponse, REQUEST_TIMEOUT_TIMER } from './network';
import { handleCompletedRequest, handleDisconnect, runOnce } from './sender';
import type { ProducerDisk, ProducerMemory, ProducerOptions, ProducerWorkload, ResolvedProducerConfig } from './types';

export const PRODUCER_KIND = 'producer';
export const SENDER_POLL_TIMER = 'sender-poll';

/** Correlation ids of one incarnation never collide with those of the previous one. */
const CORRELATION_IDS_PER_BOOT = 100_000_000;
const MAX_ROUNDS_PER_EVENT = 100_000;

function validateWorkload(w: ProducerWorkload, bootstrap: readonly NodeId[]): void {
  if (!(w.ratePerSec > 0) || !Number.isFinite(w.ratePerSec)) throw new RangeError(`workload.ratePerSec must be > 0, got ${w.ratePerSec}`);
  if (!Number.isInteger(w.startAtMs) || w.startAtMs < 0) throw new RangeError(`workload.startAtMs must be a non-negative integer, got ${w.startAtMs}`);
  if (w.count !== undefined && (!Number.isInteger(w.count) || w.count < 0)) throw new RangeError(`workload.count must be a non-negative integer, got ${w.count}`);
  if (w.partition !== undefined && (!Number.isInteger(w.partition) || w.partition < 0)) {
    throw new RangeError(`Invalid partition: ${w.partition}. Partition number should always be non-negative or null.`);
  }
  if ((w.keys.kind === 'uniform' || w.keys.kind === 'hot') && !(Number.isInteger(w.keys.cardinality) && w.keys.cardinality >= 1)) {
    throw new RangeError(`workload.keys.cardinality must be a positive integer, got ${w.keys.cardinality}`);
  }
  if (w.keys.kind === 'hot' && !(w.keys.hotShare >= 0 && w.keys.hotShare <= 1)) throw new RangeError(`workload.keys.hotShare must be in [0, 1], got ${w.keys.hotShare}`);
  if (bootstrap.length === 0) throw new RangeError('bootstrap must name at least one broker');
}

export function createMemory(cfg: ResolvedProducerConfig, options: ProducerOptions, disk: ProducerDisk, nowMs: number): ProducerMemory {
  return {
    app: createAppState(nowMs, disk.generated, options.workload.startAtMs),
    partitioner: createPartitionerState(),
    metadata: createMetadataState(options.bootstrap),
    net: { connections: {}, nextCorrelationId: (disk.boots - 1) * CORRELATION_IDS_PER_BOOT },
    accumulator: { deques: {}, bufferUsed: 0, muted: [], drainIndex: {} },
    inFlightBatches: [],
    idempotence: cfg['enable.idempotence'] ? createIdempotenceState() : null,
    batches: [],
    batchesFrom: 0,
    nextBatchId: 0,
    finishedBatchIds: [],
    pollTimer: null,
    counters: {
      requested: 0, appended: 0, acked: 0, failed: 0, produceRequests: 0, batchesSent: 0, retries: 0,
      requestTimeouts: 0, metadataRequests: 0, responsesDiscarded: 0,
    },
  };
}

/**
 * Runs the application and the Sender until both are idle, then arms the Sender's wake-up timer.
 * A quiet Sender round ends it at once: the round after it would find everything as it was.
 */
function settle(env: ProducerEnv): void {
  for (let round = 0; round < MAX_ROUNDS_PER_EVENT; round++) {
    const unblocked = tryUnblock(env);
    const sent = runApp(env);
    const sender = runOnce(env);
    if (sender.quiet || (!unblocked && !sent && !sender.progress)) {
      collectCompletedBatches(env);
      return schedulePoll(env, sender.timeoutMs);
    }
  }
  throw new Error(`${env.self}: producer did not settle within ${MAX_ROUNDS_PER_EVENT} rounds at t=${env.ctx.now}`);
}

function schedulePoll(env: ProducerEnv, timeoutMs: number): void {
  const { m, ctx } = env;
  if (!Number.isFinite(timeoutMs)) {
    if (m.pollTimer) ctx.cancelTimer(m.pollTimer.id);
    m.pollTimer = null;
    return;
  }
  const at = ctx.now + Math.max(1, Math.ceil(timeoutMs));
  if (m.pollTimer?.at === at) return;
  if (m.pollTimer) ctx.cancelTimer(m.pollTimer.id);
  m.pollTimer = { id: ctx.setTimer(at - ctx.now, SENDER_POLL_TIMER), at };
}

const RESPONSE_APIS = new Set(['ProduceResponse', 'MetadataResponse', 'InitProducerIdResponse']);

function onEvent(env: ProducerEnv, event: NodeEvent): void {
  if (event.type === 'message') {
    const payload = event.payload;
    if (!payload || !RESPONSE_APIS.has(payload.api)) return;
    for (const { request, payload: response } of receiveResponse(env, event.from, payload)) {
      handleCompletedRequest(env, request, response);
    }
    return;
  }
  if (event.type !== 'timer') return;
  switch (event.name) {
    case APP_SEND_TIMER:
      return onAppTimer(env, event.timerId);
    case MAX_BLOCK_TIMER:
      return onMaxBlockTimer(env, event.timerId);
    case REQUEST_TIMEOUT_TIMER: {
      const failed = onRequestTimeout(env, event.data.node, event.data.correlationId);
      if (failed.length > 0) handleDisconnect(env, failed);
      return;
    }
    case SENDER_POLL_TIMER:
      if (env.m.pollTimer?.id === event.timerId) env.m.pollTimer = null;
      return;
  }
}

/** A KafkaProducer plus the application feeding it, as a node with id `nodeId`. */
export function createProducer(nodeId: NodeId, options: ProducerOptions): Behavior<ProducerDisk, ProducerMemory> {
  const cfg = resolveProducerConfig(options.config);
  validateWorkload(options.workload, options.bootstrap);
  const frozen: ProducerOptions = structuredClone(options);
  const bootstrap = Object.freeze([...frozen.bootstrap]);
  const envOf = (disk: ProducerDisk, m: ProducerMemory, ctx: NodeContext): ProducerEnv => {
    if (ctx.self !== nodeId) throw new Error(`producer created as ${nodeId} runs as ${ctx.self}`);
    return { self: nodeId, cfg, bootstrap, workload: frozen.workload, ctx, disk, m };
  };
  return {
    kind: PRODUCER_KIND,
    createDurable: () => ({ generated: 0, boots: 0 }),
    boot(disk, ctx) {
      disk.boots += 1;
      const m = createMemory(cfg, frozen, disk, ctx.now);
      settle(envOf(disk, m, ctx));
      return m;
    },
    handle(state, event, ctx) {
      const env = envOf(state.durable, state.volatile, ctx);
      onEvent(env, event);
      settle(env);
    },
  };
}

/** Adds a producer node to a simulation; it boots at `startAt` (its workload starts at workload.startAtMs). */
export function addProducer(sim: Simulation, nodeId: NodeId, options: ProducerOptions, startAt = 0): Behavior<ProducerDisk, ProducerMemory> {
  const behavior = createProducer(nodeId, options);
  sim.addNode(nodeId, behavior, startAt);
  return behavior;
}
