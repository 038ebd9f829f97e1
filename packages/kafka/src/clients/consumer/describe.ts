/** A plain summary of one consumer for the visualizer. */
import type { TopicPartition } from '../../protocol';
import { tpKey } from './env';
import type { AppState, ConsumerMemory, MemberState, PartitionState } from './types';

export interface ConsumerDescription {
  status: 'up' | 'down';
  memberId: string;
  generation: number;
  memberState: MemberState | null;
  coordinator: string | null;
  rejoinNeeded: boolean;
  rejoinReason: string | null;
  partitions: (TopicPartition & { position: number | null; status: PartitionState['status']; committed: number | null; buffered: number })[];
  app: { phase: AppState['phase']; batchSize: number; processedInBatch: number };
  workers: { busyWith: string | null; queued: number }[];
  sharedQueue: number;
  pendingCommits: number;
  inFlight: { api: string; node: string; sentMs: number }[];
  counters: ConsumerMemory['counters'];
}

/** `m` is the consumer node's volatile state (null while the node is down). */
export function describeConsumer(m: ConsumerMemory | null | undefined): ConsumerDescription {
  if (!m) {
    return {
      status: 'down', memberId: '', generation: -1, memberState: null, coordinator: null, rejoinNeeded: false, rejoinReason: null,
      partitions: [], app: { phase: 'polling', batchSize: 0, processedInBatch: 0 }, workers: [], sharedQueue: 0, pendingCommits: 0, inFlight: [],
      counters: { polls: 0, recordsReturned: 0, processed: 0, commitsSent: 0, commitsFailed: 0, rebalances: 0, requestTimeouts: 0 },
    };
  }
  const app = m.app;
  return {
    status: 'up',
    memberId: m.group.memberId,
    generation: m.group.generation,
    memberState: m.group.state,
    coordinator: m.group.coordinator,
    rejoinNeeded: m.group.rejoinNeeded,
    rejoinReason: m.group.rejoinNeeded ? m.group.rejoinReason : null,
    partitions: m.assignment.map((p) => ({
      topic: p.topic,
      partition: p.partition,
      position: p.position,
      status: p.status,
      committed: m.committed[tpKey(p.topic, p.partition)] ?? null,
      buffered: m.buffer.filter((b) => b.topic === p.topic && b.partition === p.partition).reduce((n, b) => n + b.records.length, 0),
    })),
    app: {
      phase: app.phase,
      batchSize: app.phase === 'processing' || app.phase === 'committing-before' ? app.records.length : 0,
      processedInBatch: app.phase === 'processing' ? app.index : 0,
    },
    workers: m.workers.map((w) => ({ busyWith: w.busy?.value ?? null, queued: w.queue.length })),
    sharedQueue: m.sharedQueue.length,
    pendingCommits: m.commits.filter((c) => c.result === null).length,
    inFlight: m.inFlight.map((r) => ({ api: r.api, node: r.node, sentMs: r.sentMs })),
    counters: { ...m.counters },
  };
}
