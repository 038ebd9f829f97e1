/**
 * A tiny producer for the broker's integration tests (not the real client): one partition, one
 * request in flight, one record per batch. It finds the leader with Metadata, sends Produce,
 * and on a retriable error or no answer refreshes metadata and retries. It writes the
 * producer facts ('produce-request', 'produce-send', 'produce-acked', 'produce-failed') so the
 * trace tells which records were acknowledged.
 */
import type { Behavior, NodeId } from '@kafkasim/engine';
import { emit } from '../../events';
import type { ErrorCode, MetadataResponse, ProduceResponse } from '../../protocol';

export interface TestProducerConfig {
  bootstrap: NodeId[];
  topic: string;
  partition: number;
  acks: 0 | 1 | -1;
  retries: number;
  requestTimeoutMs: number;
  retryBackoffMs: number;
}

interface Pending { id: string; attempts: number }

export interface TestProducerDisk {
  queue: Pending[];
  inFlight: { correlationId: number; kind: 'metadata' | 'produce'; record: Pending | null; to: NodeId } | null;
  leader: NodeId | null;
  nextCorrelationId: number;
  bootstrapIndex: number;
  acked: { id: string; offset: number; leader: NodeId; at: number }[];
  failed: { id: string; error: string }[];
}

const RETRIABLE: ErrorCode[] = [
  'NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE', 'REQUEST_TIMED_OUT', 'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'UNKNOWN_TOPIC_OR_PARTITION', 'FENCED_LEADER_EPOCH',
];

export function testProducer(config: TestProducerConfig): Behavior<TestProducerDisk, null> {
  const acksLabel = config.acks === -1 ? 'all' : config.acks === 1 ? '1' : '0';
  return {
    kind: 'test-producer',
    createDurable: () => ({ queue: [], inFlight: null, leader: null, nextCorrelationId: 1, bootstrapIndex: 0, acked: [], failed: [] }),
    boot: () => null,
    handle(state, event, ctx) {
      const d = state.durable;
      const tp = { topic: config.topic, partition: config.partition };

      const request = (to: NodeId, kind: 'metadata' | 'produce', record: Pending | null, payload: object) => {
        const correlationId = d.nextCorrelationId++;
        d.inFlight = { correlationId, kind, record, to };
        ctx.send(to, { ...payload, correlationId });
        ctx.setTimer(config.requestTimeoutMs, 'tp:timeout', { correlationId });
      };
      const pump = () => {
        if (d.inFlight || d.queue.length === 0) return;
        if (d.leader === null) {
          const to = config.bootstrap[d.bootstrapIndex++ % config.bootstrap.length];
          request(to, 'metadata', null, { api: 'Metadata', topics: [config.topic] });
          return;
        }
        const record = d.queue[0];
        record.attempts += 1;
        emit(ctx, { event: 'produce-send', producer: ctx.self, ...tp, ids: [record.id], acks: acksLabel, attempt: record.attempts });
        request(d.leader, 'produce', record, {
          api: 'Produce', acks: config.acks, timeoutMs: config.requestTimeoutMs, transactionalId: null,
          partitions: [{ ...tp, batch: { producerId: -1, producerEpoch: -1, baseSequence: -1, transactional: false, records: [{ key: null, value: record.id, timestamp: ctx.now }] } }],
        });
        if (config.acks === 0) {
          d.inFlight = null;
          d.queue.shift();
          ctx.setTimer(1, 'tp:pump');
        }
      };
      const retryOrFail = (record: Pending, error: string) => {
        d.leader = null;
        if (record.attempts > config.retries) {
          d.queue.shift();
          d.failed.push({ id: record.id, error });
          emit(ctx, { event: 'produce-failed', producer: ctx.self, id: record.id, error, topic: config.topic });
        }
        ctx.setTimer(config.retryBackoffMs, 'tp:pump');
      };

      if (event.type === 'command' && event.name === 'produce') {
        for (const id of event.data.ids as string[]) {
          emit(ctx, { event: 'produce-request', producer: ctx.self, id, key: null, topic: config.topic });
          d.queue.push({ id, attempts: 0 });
        }
        return pump();
      }
      if (event.type === 'timer' && event.name === 'tp:pump') return pump();
      if (event.type === 'timer' && event.name === 'tp:timeout') {
        const inFlight = d.inFlight;
        if (!inFlight || inFlight.correlationId !== event.data.correlationId) return;
        d.inFlight = null;
        if (inFlight.record) return retryOrFail(inFlight.record, 'REQUEST_TIMED_OUT');
        ctx.setTimer(config.retryBackoffMs, 'tp:pump');
        return;
      }
      if (event.type !== 'message' || !d.inFlight || event.payload.correlationId !== d.inFlight.correlationId) return;
      const inFlight = d.inFlight;
      d.inFlight = null;
      if (event.payload.api === 'MetadataResponse') {
        const md = event.payload as MetadataResponse;
        const p = md.topics.find((t) => t.name === config.topic)?.partitions.find((x) => x.partition === config.partition);
        d.leader = p?.leader ?? null;
        if (d.leader === null) return void ctx.setTimer(config.retryBackoffMs, 'tp:pump');
        return pump();
      }
      const part = (event.payload as ProduceResponse).partitions[0];
      const record = inFlight.record!;
      if (part.error === 'NONE') {
        d.queue.shift();
        d.acked.push({ id: record.id, offset: part.baseOffset, leader: event.from, at: ctx.now });
        emit(ctx, { event: 'produce-acked', producer: ctx.self, ...tp, id: record.id, offset: part.baseOffset, acks: acksLabel, leader: event.from });
        return pump();
      }
      if (RETRIABLE.includes(part.error)) return retryOrFail(record, part.error);
      d.queue.shift();
      d.failed.push({ id: record.id, error: part.error });
      emit(ctx, { event: 'produce-failed', producer: ctx.self, id: record.id, error: part.error, topic: config.topic });
      pump();
    },
  };
}
