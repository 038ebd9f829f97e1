/**
 * A scriptable stand-in broker for the producer's tests: it answers Metadata, Produce and
 * InitProducerId per protocol.ts, appends to one in-memory log per partition it leads, and checks
 * idempotent producers' sequences the way Kafka's ProducerStateManager does (the last five batches
 * per producer are remembered, so a retried duplicate gets its original offset back instead of
 * being written twice; a gap is OUT_OF_ORDER_SEQUENCE_NUMBER; an unknown producer id is accepted
 * at any sequence, as brokers do since KIP-360).
 *
 * Faults come in as engine commands (sim.schedule(t, { type: 'command', node, name, data })):
 *  - 'drop-responses' { count }: the next `count` Produce requests are handled (appended!) but get no response.
 *  - 'delay-responses' { count, ms }: the next `count` Produce responses leave `ms` later.
 *  - 'fail-produce' { count, error, topic?, partition? }: the next `count` matching partition batches are
 *    rejected with `error` before anything is appended.
 *  - 'set-leader' { topic, partition, leader, leaderEpoch }: this broker's view of who leads a partition.
 *  - 'clear': forget every pending fault.
 */
import type { Behavior, NodeId } from '@kafkasim/engine';
import { emit } from '../../../events';
import type {
  ErrorCode, InitProducerIdRequest, MetadataRequest, MetadataResponse, ProduceRequest, ProduceResponse,
} from '../../../protocol';
import type { StoredRecord } from '../../../storage';

export interface FakeTopic {
  name: string;
  /** Leader of each partition (index = partition). */
  leaders: (NodeId | null)[];
}

export interface FakeBrokerOptions {
  brokers: NodeId[];
  topics: FakeTopic[];
}

interface ProducerEntry {
  epoch: number;
  lastSeq: number;
  /** Up to five recent batches: (firstSeq, lastSeq) -> baseOffset. */
  recent: { firstSeq: number; lastSeq: number; baseOffset: number }[];
}

export interface FakeBrokerDisk {
  /** Per `${topic}-${partition}`: everything appended, in offset order. */
  logs: Record<string, StoredRecord[]>;
  producers: Record<string, ProducerEntry>;
  nextProducerId: number;
  produceRequests: number;
}

interface Faults {
  drop: number;
  delay: { count: number; ms: number };
  fail: { count: number; error: ErrorCode; topic?: string; partition?: number }[];
}

export interface FakeBrokerMemory {
  leaders: Record<string, { leader: NodeId | null; leaderEpoch: number }[]>;
  faults: Faults;
}

const INT_MAX = 2147483647;
const nextSeq = (seq: number): number => (seq === INT_MAX ? 0 : seq + 1);
const addSeq = (seq: number, n: number): number => (seq > INT_MAX - n ? n - (INT_MAX - seq) - 1 : seq + n);

export function fakeBroker(options: FakeBrokerOptions): Behavior<FakeBrokerDisk, FakeBrokerMemory> {
  const config = structuredClone(options);
  return {
    kind: 'fake-broker',
    createDurable: () => ({ logs: {}, producers: {}, nextProducerId: 0, produceRequests: 0 }),
    boot(disk, ctx) {
      // Producer ids must not collide between fake brokers.
      disk.nextProducerId = Math.max(disk.nextProducerId, config.brokers.indexOf(ctx.self) * 1000);
      const leaders: FakeBrokerMemory['leaders'] = {};
      for (const t of config.topics) leaders[t.name] = t.leaders.map((leader) => ({ leader, leaderEpoch: 0 }));
      return { leaders, faults: { drop: 0, delay: { count: 0, ms: 0 }, fail: [] } };
    },
    handle(state, event, ctx) {
      const disk = state.durable;
      const mem = state.volatile;
      if (event.type === 'command') {
        const d = event.data ?? {};
        if (event.name === 'drop-responses') mem.faults.drop += d.count ?? 1;
        if (event.name === 'delay-responses') mem.faults.delay = { count: d.count ?? 1, ms: d.ms };
        if (event.name === 'fail-produce') mem.faults.fail.push({ count: d.count ?? 1, error: d.error, topic: d.topic, partition: d.partition });
        if (event.name === 'set-leader') mem.leaders[d.topic][d.partition] = { leader: d.leader, leaderEpoch: d.leaderEpoch };
        if (event.name === 'clear') mem.faults = { drop: 0, delay: { count: 0, ms: 0 }, fail: [] };
        return;
      }
      if (event.type === 'timer' && event.name === 'send-later') {
        ctx.send(event.data.to, event.data.payload);
        return;
      }
      if (event.type !== 'message') return;
      const req = event.payload;
      if (req.api === 'Metadata') {
        const r = req as MetadataRequest;
        const names = r.topics ?? Object.keys(mem.leaders);
        const response: MetadataResponse = {
          api: 'MetadataResponse', correlationId: r.correlationId, brokers: [...config.brokers], controller: null,
          topics: names.map((name) => {
            const parts = mem.leaders[name];
            if (!parts) return { name, error: 'UNKNOWN_TOPIC_OR_PARTITION' as const, partitions: [] };
            return {
              name, error: 'NONE' as const,
              partitions: parts.map((p, partition) => ({
                partition, leader: p.leader, leaderEpoch: p.leaderEpoch,
                replicas: p.leader ? [p.leader] : [], isr: p.leader ? [p.leader] : [],
                error: p.leader ? 'NONE' as const : 'LEADER_NOT_AVAILABLE' as const,
              })),
            };
          }),
        };
        ctx.send(event.from, response);
        return;
      }
      if (req.api === 'InitProducerId') {
        const r = req as InitProducerIdRequest;
        ctx.send(event.from, { api: 'InitProducerIdResponse', correlationId: r.correlationId, error: 'NONE', producerId: disk.nextProducerId++, producerEpoch: 0 });
        return;
      }
      if (req.api !== 'Produce') return;
      const r = req as ProduceRequest;
      disk.produceRequests += 1;
      const partitions: ProduceResponse['partitions'] = r.partitions.map((p) => {
        const result = (error: ErrorCode, baseOffset = -1) => ({ topic: p.topic, partition: p.partition, error, baseOffset, logStartOffset: 0 });
        const meta = mem.leaders[p.topic]?.[p.partition];
        if (!meta) return result('UNKNOWN_TOPIC_OR_PARTITION');
        if (meta.leader !== ctx.self) return result('NOT_LEADER_OR_FOLLOWER');
        const fault = mem.faults.fail.find((f) => f.count > 0 && (f.topic === undefined || f.topic === p.topic) && (f.partition === undefined || f.partition === p.partition));
        if (fault) {
          fault.count -= 1;
          emit(ctx, { event: 'produce-rejected', broker: ctx.self, topic: p.topic, partition: p.partition, error: fault.error, ids: p.batch.records.map((x) => x.value) });
          return result(fault.error);
        }
        const tp = `${p.topic}-${p.partition}`;
        const log = (disk.logs[tp] ??= []);
        const b = p.batch;
        const count = b.records.length;
        const key = `${b.producerId}:${tp}`;
        const entry = b.producerId >= 0 ? disk.producers[key] : undefined;
        if (b.producerId >= 0 && entry) {
          const lastSeq = addSeq(b.baseSequence, count - 1);
          if (b.producerEpoch < entry.epoch) return result('INVALID_PRODUCER_EPOCH');
          if (b.producerEpoch === entry.epoch) {
            const dup = entry.recent.find((x) => x.firstSeq === b.baseSequence && x.lastSeq === lastSeq);
            if (dup) return result('NONE', dup.baseOffset);
            if (b.baseSequence !== nextSeq(entry.lastSeq)) return result('OUT_OF_ORDER_SEQUENCE_NUMBER');
          } else if (b.baseSequence !== 0) {
            return result('OUT_OF_ORDER_SEQUENCE_NUMBER');
          }
        }
        const baseOffset = log.length;
        b.records.forEach((rec, i) => log.push({ ...rec, offset: baseOffset + i, leaderEpoch: meta.leaderEpoch }));
        if (b.producerId >= 0) {
          const next: ProducerEntry = entry && entry.epoch === b.producerEpoch ? entry : { epoch: b.producerEpoch, lastSeq: -1, recent: [] };
          next.lastSeq = addSeq(b.baseSequence, count - 1);
          next.recent = [...next.recent, { firstSeq: b.baseSequence, lastSeq: next.lastSeq, baseOffset }].slice(-5);
          disk.producers[key] = next;
        }
        emit(ctx, {
          event: 'append', broker: ctx.self, topic: p.topic, partition: p.partition, role: 'leader', leaderEpoch: meta.leaderEpoch,
          firstOffset: baseOffset, lastOffset: baseOffset + count - 1, ids: b.records.map((x) => x.value),
        });
        return result('NONE', baseOffset);
      });
      if (r.acks === 0) return;
      if (mem.faults.drop > 0) {
        mem.faults.drop -= 1;
        return;
      }
      const response: ProduceResponse = { api: 'ProduceResponse', correlationId: r.correlationId, partitions };
      if (mem.faults.delay.count > 0) {
        mem.faults.delay.count -= 1;
        ctx.setTimer(mem.faults.delay.ms, 'send-later', { to: event.from, payload: response });
        return;
      }
      ctx.send(event.from, response);
    },
  };
}

/** The values (record ids) in a fake broker's partition log, in offset order. */
export function fakeLogIds(disk: FakeBrokerDisk, topic: string, partition: number): string[] {
  return (disk.logs[`${topic}-${partition}`] ?? []).map((r) => r.value);
}
