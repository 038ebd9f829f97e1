import { describe, expect, it } from 'vitest';
import type { ModelFact } from '../events';
import { checkInvariants, deliveryReport } from '.';
import type { CheckContext } from './facts';
import { syntheticTrace as traceOf } from './testing/syntheticTrace';


const tp = { topic: 't', partition: 0 };
const context = (minIsr: number, unclean = false): CheckContext => ({
  brokers: ['broker-1', 'broker-2', 'broker-3'],
  topics: [{ name: 't', partitions: 1, replicationFactor: 3, minInsyncReplicas: minIsr, uncleanLeaderElection: unclean }],
  crashMode: 'process',
});
const isr = ['broker-1', 'broker-2', 'broker-3'];

describe('delivery report', () => {
  it('finds an acks=1 record lost when the new leader never had it, with its cause chain', () => {
    const trace = traceOf([
      { event: 'leader-elected', ...tp, leader: 'broker-1', leaderEpoch: 0, isr, unclean: false, reason: 'new', controllerEpoch: 1 },
      { event: 'produce-request', producer: 'p', id: 'p:0', key: null, topic: 't' },
      { event: 'produce-request', producer: 'p', id: 'p:1', key: null, topic: 't' },
      { event: 'append', ...tp, broker: 'broker-1', role: 'leader', leaderEpoch: 0, firstOffset: 0, lastOffset: 0, ids: ['p:0'] },
      { event: 'append', ...tp, broker: 'broker-2', role: 'follower', leaderEpoch: 0, firstOffset: 0, lastOffset: 0, ids: ['p:0'] },
      { event: 'append', ...tp, broker: 'broker-3', role: 'follower', leaderEpoch: 0, firstOffset: 0, lastOffset: 0, ids: ['p:0'] },
      { event: 'produce-acked', ...tp, producer: 'p', id: 'p:0', offset: 0, acks: '1', leader: 'broker-1' },
      { event: 'append', ...tp, broker: 'broker-1', role: 'leader', leaderEpoch: 0, firstOffset: 1, lastOffset: 1, ids: ['p:1'] },
      { event: 'produce-acked', ...tp, producer: 'p', id: 'p:1', offset: 1, acks: '1', leader: 'broker-1' },
      { engine: 'crash', node: 'broker-1' },
      { event: 'leader-elected', ...tp, leader: 'broker-2', leaderEpoch: 1, isr: ['broker-2', 'broker-3'], unclean: false, reason: 'leader died', controllerEpoch: 1 },
      { event: 'become-leader', ...tp, broker: 'broker-2', leaderEpoch: 1, logEndOffset: 1, highWatermark: 1 },
    ]);
    const report = deliveryReport(trace);
    expect(report.acknowledged).toBe(2);
    expect(report.lost).toBe(1);
    expect(report.lostByAcks['1']).toBe(1);
    const lost = report.records.find((r) => r.lost)!;
    expect(lost.id).toBe('p:1');
    expect(lost.storedOn).toEqual(['broker-1']);
    expect(lost.causes.map((c) => c.text)).toEqual([
      'acknowledged (acks=1) by broker-1 at offset 1',
      'broker-1 crashed',
      'broker-2 elected leader of t-0 (epoch 1; ISR broker-2,broker-3)',
      'broker-2 became leader with log end offset 1',
    ]);
    // And the old leader truncating it later keeps it lost.
    expect(checkInvariants(trace, context(1), report)).toEqual([]);
  });

  it('counts log duplicates, processing duplicates and reordering within a key', () => {
    const trace = traceOf([
      { event: 'leader-elected', ...tp, leader: 'broker-1', leaderEpoch: 0, isr, unclean: false, reason: 'new', controllerEpoch: 1 },
      ...['p:0', 'p:1', 'p:2'].map((id) => ({ event: 'produce-request' as const, producer: 'p', id, key: 'k', topic: 't' })),
      // p:1 retried: written twice; p:2 overtook p:1's first attempt? no: written before p:1's retry.
      { event: 'append', ...tp, broker: 'broker-1', role: 'leader', leaderEpoch: 0, firstOffset: 0, lastOffset: 3, ids: ['p:0', 'p:2', 'p:1', 'p:1'] },
      { event: 'consumed', ...tp, group: 'g', member: 'c-1', offset: 0, id: 'p:0', key: 'k' },
      { event: 'processed', ...tp, group: 'g', member: 'c-1', offset: 0, id: 'p:0' },
      { event: 'processed', ...tp, group: 'g', member: 'c-2', offset: 0, id: 'p:0' },
    ]);
    const report = deliveryReport(trace);
    expect(report.duplicatedInLog).toBe(1);
    expect(report.duplicatedProcessing).toBe(1);
    expect(report.duplicated).toBe(2);
    expect(report.records.filter((r) => r.reordered).map((r) => r.id)).toEqual(['p:1']);
    expect(report.consumedAtLeastOnce).toBe(1);
  });

  it('names the commit that moved the group back as a cause of the records processed again (offsets in ZooKeeper)', () => {
    const ids = ['p:0', 'p:1', 'p:2', 'p:3'];
    const processed = (member: string, offsets: number[]): ModelFact[] =>
      offsets.map((offset) => ({ event: 'processed', ...tp, group: 'g', member, offset, id: ids[offset] }));
    const trace = traceOf([
      { event: 'leader-elected', ...tp, leader: 'broker-1', leaderEpoch: 0, isr, unclean: false, reason: 'new', controllerEpoch: 1 },
      ...ids.map((id) => ({ event: 'produce-request' as const, producer: 'p', id, key: null, topic: 't' })),
      { event: 'append', ...tp, broker: 'broker-1', role: 'leader', leaderEpoch: 0, firstOffset: 0, lastOffset: 3, ids },
      ...ids.map((id, offset): ModelFact => ({ event: 'produce-acked', ...tp, producer: 'p', id, offset, acks: 'all', leader: 'broker-1' })),
      ...processed('c-2', [0, 1, 2, 3]),
      { event: 'offset-committed', ...tp, group: 'g', member: 'c-2', offset: 4, generation: 2, store: 'zookeeper' },
      // The zombie c-1 (generation 1) commits its stale position 2; the next owner reads from there.
      { event: 'offset-committed', ...tp, group: 'g', member: 'c-1', offset: 2, generation: 1, store: 'zookeeper' },
      ...processed('c-3', [2, 3]),
    ]).map((e) => (e.event === 'offset-committed' ? { ...e, node: `consumer-${(e.data as { member: string }).member.slice(2)}` } : e));
    const report = deliveryReport(trace);
    expect(report.records.filter((r) => r.duplicatedProcessing).map((r) => r.id)).toEqual(['p:2', 'p:3']);
    const rewind = 'consumer-1 committed t-0 offset 2 for group g in ZooKeeper, back from 4 (generation 1: ZooKeeper checks none)';
    expect(report.records.find((r) => r.id === 'p:2')!.causes.map((c) => c.text)).toContain(rewind);
    expect(report.records.find((r) => r.id === 'p:1')!.causes.map((c) => c.text)).not.toContain(rewind);
  });
});

describe('invariants', () => {
  const ackedAll = (id: string, offset: number): ModelFact[] => [
    { event: 'produce-request', producer: 'p', id, key: null, topic: 't' },
    { event: 'append', ...tp, broker: 'broker-1', role: 'leader', leaderEpoch: 0, firstOffset: offset, lastOffset: offset, ids: [id] },
    { event: 'produce-acked', ...tp, producer: 'p', id, offset, acks: 'all', leader: 'broker-1' },
  ];

  it('flags two leaders in one epoch, a HW past an ISR member, and committed offsets going back', () => {
    const trace = traceOf([
      { event: 'leader-elected', ...tp, leader: 'broker-1', leaderEpoch: 3, isr, unclean: false, reason: 'new', controllerEpoch: 1 },
      { event: 'become-leader', ...tp, broker: 'broker-1', leaderEpoch: 3, logEndOffset: 0, highWatermark: 0 },
      { event: 'become-leader', ...tp, broker: 'broker-2', leaderEpoch: 3, logEndOffset: 0, highWatermark: 0 },
      { event: 'append', ...tp, broker: 'broker-1', role: 'leader', leaderEpoch: 3, firstOffset: 0, lastOffset: 1, ids: ['a', 'b'] },
      { event: 'high-watermark', ...tp, broker: 'broker-1', highWatermark: 2 },
      { event: 'offset-committed', ...tp, group: 'g', member: 'm', offset: 5, generation: 1 },
      { event: 'offset-committed', ...tp, group: 'g', member: 'm', offset: 4, generation: 1 },
      { event: 'offset-committed', ...tp, group: 'g', member: 'm', offset: 1, generation: 2 },
    ]);
    const names = checkInvariants(trace, context(1), deliveryReport(trace)).map((v) => v.invariant);
    // strong-isr twice: broker-1 exposes offsets 0-1 that the ISR in ZooKeeper's broker-2 and broker-3 do not hold.
    expect(names).toEqual(['one-leader-per-epoch', 'hw-within-isr', 'hw-within-isr', 'strong-isr', 'strong-isr', 'committed-offsets-monotonic']);
  });

  it('flags a lost acks=all record only while the configuration promises durability', () => {
    const trace = traceOf([
      { event: 'leader-elected', ...tp, leader: 'broker-1', leaderEpoch: 0, isr, unclean: false, reason: 'new', controllerEpoch: 1 },
      ...ackedAll('p:0', 0),
      { engine: 'crash', node: 'broker-1' },
      { event: 'leader-elected', ...tp, leader: 'broker-2', leaderEpoch: 1, isr: ['broker-2'], unclean: true, reason: 'unclean', controllerEpoch: 1 },
    ]);
    const report = deliveryReport(trace);
    expect(report.lost).toBe(1);
    expect(checkInvariants(trace, context(2), report).map((v) => v.invariant)).toEqual(['no-acked-loss-when-promised']);
    expect(checkInvariants(trace, context(1), report)).toEqual([]);
    expect(checkInvariants(trace, context(2, true), report)).toEqual([]);
  });

  it('does not promise durability when more brokers were down than RF - min.insync.replicas', () => {
    const trace = traceOf([
      { event: 'leader-elected', ...tp, leader: 'broker-1', leaderEpoch: 0, isr, unclean: false, reason: 'new', controllerEpoch: 1 },
      ...ackedAll('p:0', 0),
      { engine: 'crash', node: 'broker-1' },
      { engine: 'crash', node: 'broker-2' },
      { event: 'leader-elected', ...tp, leader: 'broker-3', leaderEpoch: 1, isr: ['broker-3'], unclean: false, reason: 'x', controllerEpoch: 1 },
    ]);
    expect(checkInvariants(trace, context(2), deliveryReport(trace))).toEqual([]);
  });
});

describe('hw-within-isr on truncation', () => {
  it('flags an in-sync follower truncating below the leader high watermark, not one out of sync', () => {
    const trace = traceOf([
      { event: 'leader-elected', ...tp, leader: 'broker-1', leaderEpoch: 0, isr, unclean: false, reason: 'new', controllerEpoch: 1 },
      { event: 'append', ...tp, broker: 'broker-1', role: 'leader', leaderEpoch: 0, firstOffset: 0, lastOffset: 2, ids: ['a', 'b', 'c'] },
      { event: 'append', ...tp, broker: 'broker-2', role: 'follower', leaderEpoch: 0, firstOffset: 0, lastOffset: 2, ids: ['a', 'b', 'c'] },
      { event: 'append', ...tp, broker: 'broker-3', role: 'follower', leaderEpoch: 0, firstOffset: 0, lastOffset: 2, ids: ['a', 'b', 'c'] },
      { event: 'high-watermark', ...tp, broker: 'broker-1', highWatermark: 3 },
      { event: 'truncate', ...tp, broker: 'broker-2', from: 3, to: 1, rule: 'high-watermark', removedIds: ['b', 'c'] },
      { event: 'isr-changed', ...tp, isr: ['broker-1', 'broker-2'], leaderEpoch: 0, partitionEpoch: 1 },
      { event: 'truncate', ...tp, broker: 'broker-3', from: 3, to: 1, rule: 'leader-epoch', removedIds: ['b', 'c'] },
    ]);
    const violations = checkInvariants(trace, context(1), deliveryReport(trace));
    expect(violations.map((v) => v.message)).toEqual(["t-0: ISR member broker-2 truncated to 1 (high-watermark rule), below the committed high watermark 3"]);
  });
});
