/**
 * Test doubles for the coordinator's unit tests: a NodeContext with a hand-driven clock and a
 * GroupHost whose __consumer_offsets log and high watermark the test moves explicitly.
 */
import type { NodeContext, NodeEvent, NodeId } from '@kafkasim/engine';
import type { GroupRequest, KafkaResponse } from '../../protocol';
import type { StoredRecord } from '../../storage';
import {
  createGroupCoordinatorState,
  handleGroupRequest,
  handleGroupTimer,
  onOffsetsHighWatermark,
  onOffsetsPartitionLeadership,
} from '../coordinator';
import type { GroupHost } from '../host';
import type { GroupCoordinatorConfig, GroupCoordinatorState } from '../types';

interface FakeTimer { id: number; at: number; name: string; data: unknown }

export class FakeBroker {
  now = 0;
  readonly node: NodeId = 'broker-1';
  readonly gc: GroupCoordinatorState;
  readonly sent: { to: NodeId; payload: KafkaResponse; at: number }[] = [];
  readonly facts: { event: string; data: Record<string, unknown>; at: number }[] = [];
  readonly logs: Record<number, StoredRecord[]> = {};
  appendError: 'NOT_LEADER_OR_FOLLOWER' | 'NOT_ENOUGH_REPLICAS' | null = null;
  leaderOfOverride: Record<number, NodeId | null> | null = null;
  private timers: FakeTimer[] = [];
  private nextTimer = 1;
  private correlation = 1;
  readonly ctx: NodeContext;
  readonly host: GroupHost & { leaderOf?: (topic: string, partition: number) => NodeId | null };

  constructor(readonly partitions = 3, config: Partial<GroupCoordinatorConfig> = {}) {
    this.gc = createGroupCoordinatorState(config);
    const self = this;
    this.ctx = {
      self: this.node,
      get now() { return self.now; },
      rng: { next: () => 0, int: (a: number) => a, chance: () => false, pick: <T>(xs: readonly T[]) => xs[0] },
      send: (to, payload) => { self.sent.push({ to, payload: payload as KafkaResponse, at: self.now }); },
      setTimer: (delay, name, data) => {
        const id = self.nextTimer++;
        self.timers.push({ id, at: self.now + Math.max(0, Math.round(delay)), name, data });
        return id;
      },
      cancelTimer: (id) => { self.timers = self.timers.filter((t) => t.id !== id); },
      record: (event, data) => { self.facts.push({ event, data: data ?? {}, at: self.now }); },
      crashSelf: () => { throw new Error('the coordinator never crashes its broker'); },
    };
    this.host = {
      brokerNode: this.node,
      offsetsPartitions: partitions,
      isLeaderOf: (topic, partition) => topic === '__consumer_offsets' && self.gc.ownedPartitions.includes(partition),
      partitionsPerTopic: () => ({}),
      appendToOffsetsPartition: (partition, records) => {
        if (self.appendError) return { error: self.appendError };
        const log = (self.logs[partition] ??= []);
        for (const r of records) log.push({ ...r, offset: log.length, leaderEpoch: 0 });
        return { lastOffset: log.length - 1 };
      },
    };
  }

  withLeaderLookup(map: Record<number, NodeId | null>): this {
    this.host.leaderOf = (_topic, partition) => map[partition] ?? null;
    return this;
  }

  lead(partition: number, records: StoredRecord[] = this.logs[partition] ?? []): void {
    onOffsetsPartitionLeadership(this.gc, partition, true, records, this.ctx, this.host);
  }

  resign(partition: number): void {
    onOffsetsPartitionLeadership(this.gc, partition, false, [], this.ctx, this.host);
  }

  leadAll(): void {
    for (let p = 0; p < this.partitions; p++) this.lead(p);
  }

  /** Replicates everything appended so far: the high watermark reaches the log end. */
  replicate(partition?: number): void {
    for (const p of partition === undefined ? Object.keys(this.logs).map(Number) : [partition]) {
      onOffsetsHighWatermark(this.gc, p, (this.logs[p] ?? []).length, this.ctx, this.host);
    }
  }

  /** Sends a request; returns its correlation id. */
  request(from: NodeId, body: Record<string, unknown> & { api: GroupRequest['api'] }): number {
    const correlationId = this.correlation++;
    handleGroupRequest(this.gc, from, { ...body, correlationId } as GroupRequest, this.ctx, this.host);
    return correlationId;
  }

  /** The response to a request, or undefined while it is parked. */
  response<T extends KafkaResponse = KafkaResponse>(correlationId: number): T | undefined {
    return this.sent.find((s) => s.payload.correlationId === correlationId)?.payload as T | undefined;
  }

  /** Advances the clock, firing due timers in (time, id) order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      const event: NodeEvent = { type: 'timer', name: due.name, data: due.data, timerId: due.id };
      if (!handleGroupTimer(this.gc, event, this.ctx, this.host)) throw new Error(`unexpected timer ${due.name}`);
    }
    this.now = until;
  }

  factsOf(event: string): Record<string, unknown>[] {
    return this.facts.filter((f) => f.event === event).map((f) => f.data);
  }
}
