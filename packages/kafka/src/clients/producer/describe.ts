/** A read-only summary of a producer node for the visualizer and CLI. */
import type { NodeId, NodeState } from '@kafkasim/engine';
import type { ProducerCounters, ProducerDisk, ProducerMemory } from './types';
import { batchAt } from './env';

export interface BatchDescription {
  id: number;
  ids: string[];
  sizeBytes: number;
  capacity: number;
  createdMs: number;
  /** Times re-enqueued after a failed attempt. */
  attempts: number;
  closed: boolean;
  baseSequence: number;
  producerEpoch: number;
}

export interface ProducerDescription {
  /** false while the node is crashed (its memory is gone). */
  running: boolean;
  recordsGenerated: number;
  app: { blocked: null | { reason: 'metadata' | 'buffer'; id: string; sinceMs: number; deadlineMs: number } };
  buffer: { usedBytes: number };
  metadata: {
    version: number;
    needUpdate: boolean;
    inFlightTo: NodeId | null;
    nodes: NodeId[];
    partitions: { topic: string; partition: number; leader: NodeId | null; leaderEpoch: number }[];
  };
  /** The accumulator: per partition, its deque of batches, head first. */
  accumulator: { topic: string; partition: number; muted: boolean; batches: BatchDescription[] }[];
  /** Requests awaiting a response, per broker connection, oldest first. */
  inFlight: {
    node: NodeId;
    correlationId: number;
    api: string;
    sentMs: number;
    batches: { topic: string; partition: number; ids: string[]; baseSequence: number; attempt: number }[];
  }[];
  idempotence: null | {
    state: string;
    producerId: number;
    producerEpoch: number;
    epochBumps: number;
    partitions: { partition: string; nextSequence: number; lastAckedSequence: number; inflightSequences: number[]; unresolved: boolean }[];
  };
  counters: ProducerCounters | null;
}

export function describeProducer(state: NodeState<ProducerDisk, ProducerMemory | null>): ProducerDescription {
  const m = state.volatile;
  const base = { recordsGenerated: state.durable.generated };
  if (!m) {
    return {
      running: false, ...base, app: { blocked: null }, buffer: { usedBytes: 0 },
      metadata: { version: 0, needUpdate: false, inFlightTo: null, nodes: [], partitions: [] },
      accumulator: [], inFlight: [], idempotence: null, counters: null,
    };
  }
  const describeBatch = (id: number): BatchDescription => {
    const b = batchAt(m, id)!;
    return {
      id, ids: b.records.map((r) => r.value), sizeBytes: b.sizeBytes, capacity: b.capacity, createdMs: b.createdMs,
      attempts: b.attempts, closed: b.closed, baseSequence: b.baseSequence, producerEpoch: b.producerEpoch,
    };
  };
  const blocked = m.app.blocked;
  return {
    running: true,
    ...base,
    app: { blocked: blocked && { reason: blocked.reason, id: blocked.record.id, sinceMs: blocked.sinceMs, deadlineMs: blocked.deadlineMs } },
    buffer: { usedBytes: m.accumulator.bufferUsed },
    metadata: {
      version: m.metadata.version,
      needUpdate: m.metadata.needUpdate,
      inFlightTo: m.metadata.inFlight?.node ?? null,
      nodes: [...m.metadata.nodes],
      partitions: m.metadata.topics.flatMap((topic) => (m.metadata.partitions[topic] ?? []).map((p) => ({ topic, ...p }))),
    },
    accumulator: Object.entries(m.accumulator.deques).map(([tp, ids]) => {
      const first = ids.length > 0 ? batchAt(m, ids[0]) : undefined;
      const cut = tp.lastIndexOf('-');
      return {
        topic: first?.topic ?? tp.slice(0, cut),
        partition: first?.partition ?? Number(tp.slice(cut + 1)),
        muted: m.accumulator.muted.includes(tp),
        batches: ids.map(describeBatch),
      };
    }),
    inFlight: Object.entries(m.net.connections).flatMap(([node, conn]) =>
      conn.inFlight.map((r) => ({
        node, correlationId: r.correlationId, api: r.api, sentMs: r.sentMs,
        batches: r.batchIds.filter((id) => batchAt(m, id)).map((id) => {
          const b = batchAt(m, id)!;
          return { topic: b.topic, partition: b.partition, ids: b.records.map((x) => x.value), baseSequence: b.baseSequence, attempt: b.attempts + 1 };
        }),
      })),
    ),
    idempotence: m.idempotence && {
      state: m.idempotence.state,
      producerId: m.idempotence.producerId,
      producerEpoch: m.idempotence.producerEpoch,
      epochBumps: m.idempotence.epochBumps,
      partitions: Object.entries(m.idempotence.partitions).map(([partition, e]) => ({
        partition,
        nextSequence: e.nextSequence,
        lastAckedSequence: e.lastAckedSequence,
        inflightSequences: e.inflight.map((id) => batchAt(m, id)?.baseSequence ?? -1),
        unresolved: Object.prototype.hasOwnProperty.call(m.idempotence!.unresolved, partition),
      })),
    },
    counters: { ...m.counters },
  };
}
