/**
 * The application thread and KafkaProducer.send(): the workload calls send() at ratePerSec; send()
 * waits for the topic's metadata (waitOnMetadata), serializes, partitions, and appends to the
 * accumulator, allocating a new batch's buffer from buffer.memory. Both waits block the calling
 * thread for at most max.block.ms in total, after which the record fails (METADATA_TIMEOUT or
 * BUFFER_EXHAUSTED). While send() blocks, the application makes no further calls; records that fell
 * due meanwhile are sent right after, as a fixed-rate scheduler catching up.
 */
import { emit } from '../../events';
import { utf8 } from '../murmur2';
import { choosePartition, onNewBatch } from '../partitioner';
import { allocate, appendNewBatch, tryAppendToLast } from './accumulator';
import { newBatchRecord, recordBytesInBatch, recordUpperBoundBytes } from './batch';
import type { ProducerEnv } from './env';
import { addTopic, availablePartitions, partitionsOf, requestUpdate } from './metadata';
import { tpKey, type AppRecord, type AppState, type ProduceError } from './types';

export const APP_SEND_TIMER = 'app-send';
export const MAX_BLOCK_TIMER = 'max-block';

export function createAppState(nowMs: number, generated: number, startAtMs: number): AppState {
  return { originMs: Math.max(nowMs, startAtMs), originCount: generated, tickTimer: null, blocked: null };
}

/** When the application calls send() for its n-th record (n counts over the producer's whole life). */
function dueTimeMs(env: ProducerEnv, n: number): number {
  const { app } = env.m;
  return app.originMs + Math.ceil(((n - app.originCount) * 1000) / env.workload.ratePerSec);
}

// `key-<i>` for the first 16,384 i, built once: a keyed workload draws a key per record.
const KEPT_KEY_NAMES = 16_384;
const keyNames: (string | undefined)[] = new Array(KEPT_KEY_NAMES);
const keyName = (i: number): string => (i < KEPT_KEY_NAMES ? (keyNames[i] ??= `key-${i}`) : `key-${i}`);

function drawKey(env: ProducerEnv): string | null {
  const spec = env.workload.keys;
  const rng = env.ctx.rng;
  switch (spec.kind) {
    case 'none':
      return null;
    case 'fixed':
      return spec.key;
    case 'uniform':
      return keyName(rng.int(0, spec.cardinality - 1));
    case 'hot':
      if (spec.cardinality <= 1 || rng.chance(spec.hotShare)) return 'key-0';
      return keyName(rng.int(1, spec.cardinality - 1));
  }
}

/** Makes every send() call that is due, until one blocks. Returns whether any was made. */
export function runApp(env: ProducerEnv): boolean {
  const { m, disk, workload, ctx } = env;
  let progress = false;
  for (;;) {
    if (m.app.blocked) return progress;
    const n = disk.generated;
    if (workload.count !== undefined && n >= workload.count) return progress;
    const due = dueTimeMs(env, n);
    if (workload.stopAtMs !== undefined && due >= workload.stopAtMs) return progress;
    if (due > ctx.now) {
      if (m.app.tickTimer?.at !== due) {
        if (m.app.tickTimer) ctx.cancelTimer(m.app.tickTimer.id);
        m.app.tickTimer = { id: ctx.setTimer(due - ctx.now, APP_SEND_TIMER), at: due };
      }
      return progress;
    }
    const record: AppRecord = {
      id: `${env.self}:${n}`,
      key: drawKey(env),
      topic: workload.topic,
      partition: workload.partition ?? null,
    };
    disk.generated = n + 1;
    m.counters.requested += 1;
    emit(ctx, { event: 'produce-request', producer: env.self, id: record.id, key: record.key, topic: record.topic });
    send(env, record);
    progress = true;
  }
}

export function onAppTimer(env: ProducerEnv, timerId: number): void {
  if (env.m.app.tickTimer?.id === timerId) env.m.app.tickTimer = null;
}

function metadataReady(env: ProducerEnv, record: AppRecord): boolean {
  const partitions = partitionsOf(env, record.topic);
  return partitions !== undefined && partitions.length > 0 && (record.partition === null || record.partition < partitions.length);
}

function failRecord(env: ProducerEnv, record: AppRecord, error: ProduceError): void {
  emit(env.ctx, { event: 'produce-failed', producer: env.self, id: record.id, error, topic: record.topic });
  env.m.counters.failed += 1;
}

function block(env: ProducerEnv, record: AppRecord, sinceMs: number, reason: 'metadata' | 'buffer', partition: number | null = null, allocSize = 0): void {
  const deadlineMs = sinceMs + env.cfg['max.block.ms'];
  const timerId = env.ctx.setTimer(deadlineMs - env.ctx.now, MAX_BLOCK_TIMER);
  env.m.app.blocked = { record, reason, sinceMs, deadlineMs, timerId, partition, allocSize, timestamp: env.ctx.now };
}

/** KafkaProducer.send. */
function send(env: ProducerEnv, record: AppRecord): void {
  if (record.partition !== null && (!Number.isInteger(record.partition) || record.partition < 0)) {
    // ProducerRecord's constructor rejects a negative partition before send() is even called.
    throw new RangeError(`Invalid partition: ${record.partition}. Partition number should always be non-negative or null.`);
  }
  addTopic(env, record.topic);
  if (!metadataReady(env, record)) {
    requestUpdate(env);
    block(env, record, env.ctx.now, 'metadata');
    return;
  }
  append(env, record, env.ctx.now);
}

/** The part of doSend after waitOnMetadata: partition, size checks, accumulator append. */
function append(env: ProducerEnv, record: AppRecord, sinceMs: number): void {
  const { m, cfg, ctx } = env;
  const topic = record.topic;
  const numPartitions = (partitionsOf(env, topic) ?? []).length;
  const keyBytes = record.key === null ? null : utf8(record.key);
  const available = availablePartitions(env, topic);
  const partitionerConfig = { keyless: cfg['partitioner.class'] };
  const target = { topic, numPartitions, partition: record.partition, key: keyBytes, availablePartitions: available };
  let partition = choosePartition(target, partitionerConfig, m.partitioner, ctx.rng);

  const upperBound = recordUpperBoundBytes(record.key, record.id);
  if (upperBound > cfg['max.request.size'] || upperBound > cfg['buffer.memory']) return failRecord(env, record, 'RECORD_TOO_LARGE');
  const bytes = recordBytesInBatch(record.key, record.id);
  const batchRecord = newBatchRecord(record.id, record.key, ctx.now);

  if (tryAppendToLast(env, tpKey(topic, partition), batchRecord, bytes) !== null) {
    m.counters.appended += 1;
    return;
  }
  // abortOnNewBatch: the sticky partitioner moves on whenever a new batch is needed (KIP-480).
  // Kafka's fixed RoundRobinPartitioner reuses its choice here, so round-robin does not re-partition.
  if (cfg['partitioner.class'] === 'sticky') {
    onNewBatch(topic, numPartitions, partition, m.partitioner, ctx.rng, available);
    partition = choosePartition(target, partitionerConfig, m.partitioner, ctx.rng);
    if (tryAppendToLast(env, tpKey(topic, partition), batchRecord, bytes) !== null) {
      m.counters.appended += 1;
      return;
    }
  }
  const size = Math.max(cfg['batch.size'], upperBound);
  if (allocate(env, size)) {
    appendNewBatch(env, topic, partition, batchRecord, bytes, size);
    m.counters.appended += 1;
    return;
  }
  // BufferPool.allocate blocks for the rest of max.block.ms.
  block(env, record, sinceMs, 'buffer', partition, size);
}

/** The blocked send() continues if what it waits for is there. Returns whether it did. */
export function tryUnblock(env: ProducerEnv): boolean {
  const b = env.m.app.blocked;
  if (!b) return false;
  if (b.reason === 'metadata' && metadataReady(env, b.record)) {
    env.ctx.cancelTimer(b.timerId);
    env.m.app.blocked = null;
    append(env, b.record, b.sinceMs);
    return true;
  }
  if (b.reason === 'buffer' && allocate(env, b.allocSize)) {
    env.ctx.cancelTimer(b.timerId);
    env.m.app.blocked = null;
    const batchRecord = newBatchRecord(b.record.id, b.record.key, b.timestamp);
    appendNewBatch(env, b.record.topic, b.partition as number, batchRecord, recordBytesInBatch(b.record.key, b.record.id), b.allocSize);
    env.m.counters.appended += 1;
    return true;
  }
  return false;
}

/** max.block.ms elapsed: send() throws, the record fails. */
export function onMaxBlockTimer(env: ProducerEnv, timerId: number): void {
  const b = env.m.app.blocked;
  if (!b || b.timerId !== timerId) return;
  env.m.app.blocked = null;
  failRecord(env, b.record, b.reason === 'metadata' ? 'METADATA_TIMEOUT' : 'BUFFER_EXHAUSTED');
}
