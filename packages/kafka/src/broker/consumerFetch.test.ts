import { describe, expect, it } from 'vitest';
import { summarizeBroker } from './describe';
import { brokerState, detachedCluster } from './testing/harness';
import { elect, produce, response, send } from './testing/scenarios';

const T = 'events';
const fetchAt = (offset: number, extra: { maxWaitMs?: number; maxBytes?: number; minBytes?: number } = {}) => ({
  api: 'Fetch', replicaId: null, maxWaitMs: extra.maxWaitMs ?? 0, minBytes: extra.minBytes ?? 1, maxBytes: extra.maxBytes ?? 200,
  isolationLevel: 'read_uncommitted', partitions: [{ topic: T, partition: 0, fetchOffset: offset, currentLeaderEpoch: -1 }],
});

describe('consumer side: Fetch, ListOffsets, Metadata', () => {
  it('finds the right record at every offset through segments and the sparse index', () => {
    const c = detachedCluster({ seed: 11, brokers: 1, config: { 'log.segment.bytes': 1000, 'log.index.interval.bytes': 150 } });
    elect(c.sim, 10, T, 'broker-1', 1, ['broker-1'], ['broker-1']);
    const total = 240;
    for (let i = 0; i < total; i += 12) {
      produce(c.sim, 100 + i, 'broker-1', T, Array.from({ length: 12 }, (_, k) => `rec-${String(i + k).padStart(4, '0')}`), 1);
    }
    const fetches = Array.from({ length: total }, (_, offset) => send(c.sim, 2000 + offset, 'broker-1', fetchAt(offset)));
    c.sim.runUntil(3000);
    const summary = summarizeBroker(brokerState(c.sim, 'broker-1'));
    const log = summary.partitions[0].log;
    expect(log.segments.length).toBeGreaterThan(10);
    expect(log.segments.every((s) => s.indexEntries > 0 || s.recordCount <= 2)).toBe(true);
    fetches.forEach((id, offset) => {
      const part = response(c.sim, id).partitions[0];
      expect(part.error).toBe('NONE');
      expect(part.records[0]).toMatchObject({ offset, value: `rec-${String(offset).padStart(4, '0')}` });
    });
  });

  it('reads only below the high watermark, long-polls until it moves, and rejects offsets past the log end', () => {
    const c = detachedCluster({ seed: 12, brokers: 2 });
    const AB = ['broker-1', 'broker-2'];
    elect(c.sim, 10, T, 'broker-1', 1, AB, AB);
    c.sim.schedule(50, { type: 'pause', node: 'broker-2', durationMs: 1000 });
    produce(c.sim, 100, 'broker-1', T, ['x'], 1);
    const early = send(c.sim, 200, 'broker-1', fetchAt(0));
    const waiting = send(c.sim, 300, 'broker-1', fetchAt(0, { maxWaitMs: 5000 }));
    const beyond = send(c.sim, 400, 'broker-1', fetchAt(5));
    const earliest = send(c.sim, 1500, 'broker-1', { api: 'ListOffsets', isolationLevel: 'read_uncommitted', partitions: [{ topic: T, partition: 0, timestamp: -2 }] });
    const latest = send(c.sim, 1500, 'broker-1', { api: 'ListOffsets', isolationLevel: 'read_committed', partitions: [{ topic: T, partition: 0, timestamp: -1 }] });
    const metadata = send(c.sim, 1500, 'broker-2', { api: 'Metadata', topics: null });
    const notLeader = send(c.sim, 1500, 'broker-2', fetchAt(0));
    c.sim.runUntil(3000);

    expect(response(c.sim, early).partitions[0]).toMatchObject({ error: 'NONE', highWatermark: 0, records: [] });
    const polled = response(c.sim, waiting);
    // Answered when the follower came back (1050) and the HW passed the record, not after 5 s.
    expect(polled.receivedAt).toBeGreaterThan(1050);
    expect(polled.receivedAt).toBeLessThan(1200);
    expect(polled.partitions[0].records.map((r: any) => r.value)).toEqual(['x']);
    expect(response(c.sim, beyond).partitions[0].error).toBe('OFFSET_OUT_OF_RANGE');
    expect(response(c.sim, earliest).partitions[0]).toMatchObject({ error: 'NONE', offset: 0 });
    expect(response(c.sim, latest).partitions[0]).toMatchObject({ error: 'NONE', offset: 1, leaderEpoch: 1 });
    expect(response(c.sim, notLeader).partitions[0].error).toBe('NOT_LEADER_OR_FOLLOWER');
    expect(response(c.sim, metadata)).toMatchObject({
      brokers: AB, controller: 'controller',
      topics: [{ name: T, error: 'NONE', partitions: [{ partition: 0, leader: 'broker-1', leaderEpoch: 1, replicas: AB, isr: AB, error: 'NONE' }] }],
    });
  });
});
