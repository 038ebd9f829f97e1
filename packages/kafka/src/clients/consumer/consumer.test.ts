import { describe, expect, it } from 'vitest';
import { describeGroups } from '../../group/describe';
import { partitionForGroup } from '../../group/host';
import { describeConsumer } from './describe';
import { ackedIds, countsById, facts, groupRun } from './testing/groupRun';

describe('consumer group against a simulated cluster', () => {
  it('consumes every record once with auto-commit, two members splitting two partitions', () => {
    const run = groupRun({ seed: 1, records: 60, consumers: 2, processing: { mode: 'auto-commit', processingTimeMsPerRecord: 2 } });
    run.sim.runUntil(12000);
    const acked = ackedIds(run.sim);
    expect(acked).toHaveLength(60);
    const consumed = countsById(run.sim, 'consumed');
    expect([...consumed.keys()].sort()).toEqual([...acked].sort());
    expect([...consumed.values()].every((n) => n === 1)).toBe(true);
    const completed = facts(run.sim, 'rebalance-completed');
    expect(completed).toHaveLength(1);
    expect(Object.values(completed[0].data.assignment).map((a: any) => a.length)).toEqual([1, 1]);
    // Auto-commit caught up with the log end.
    const committed = facts(run.sim, 'offset-committed');
    const last = new Map(committed.map((f) => [f.data.partition, f.data.offset]));
    const consumedPerPartition = new Map<number, number>();
    for (const f of facts(run.sim, 'consumed')) consumedPerPartition.set(f.data.partition, Math.max(consumedPerPartition.get(f.data.partition) ?? -1, f.data.offset + 1));
    expect(last).toEqual(consumedPerPartition);
    const d = describeConsumer(run.sim.node('consumer-1').state.volatile);
    expect(d).toMatchObject({ status: 'up', memberState: 'STABLE', generation: 1 });
  });

  it('a dead member is removed after session.timeout.ms and its partitions move to the survivor', () => {
    const run = groupRun({ seed: 2, records: 200, ratePerSec: 40, consumers: 2, processing: { mode: 'auto-commit', processingTimeMsPerRecord: 1 } });
    run.sim.schedule(3000, { type: 'crash', node: 'consumer-2' });
    run.sim.runUntil(15000);
    const removed = facts(run.sim, 'member-removed');
    expect(removed).toHaveLength(1);
    expect(removed[0].data).toMatchObject({ member: expect.stringMatching(/^consumer-2-/), reason: 'session timeout expired' });
    // consumer-2 was last heard from at most one heartbeat interval before its crash.
    expect(removed[0].time).toBeGreaterThanOrEqual(3000 + 3000 - 1000);
    expect(removed[0].time).toBeLessThanOrEqual(3000 + 3000 + 10);
    const completed = facts(run.sim, 'rebalance-completed');
    const final = completed[completed.length - 1];
    expect(final.data.generation).toBe(2);
    expect(Object.keys(final.data.assignment)).toEqual([expect.stringMatching(/^consumer-1-/)]);
    expect(final.data.assignment[Object.keys(final.data.assignment)[0]]).toHaveLength(2);
    // Nothing is lost: every acknowledged record was consumed by someone.
    const consumed = countsById(run.sim, 'consumed');
    expect(ackedIds(run.sim).filter((id) => !consumed.has(id))).toEqual([]);
  });

  it('at-least-once: a crash between processing and commit makes the next owner re-read (duplicates, no loss)', () => {
    const run = groupRun({
      seed: 3, records: 40, ratePerSec: 200, consumers: 2, consumersStartAtMs: 1500,
      config: { 'max.poll.records': 10 },
      // Only consumer-1 crashes; consumer-2 survives and takes its partition over.
      processing: (id) => ({ mode: 'commit-after-process', processingTimeMsPerRecord: 20, ...(id === 'consumer-1' ? { crash: { afterProcessed: 15 } } : {}) }),
    });
    run.sim.runUntil(15000);
    expect(run.sim.trace.some((e) => e.type === 'crash' && e.node === 'consumer-1')).toBe(true);
    const processed = countsById(run.sim, 'processed');
    const acked = ackedIds(run.sim);
    expect(acked.filter((id) => !processed.has(id))).toEqual([]);
    const twice = [...processed.entries()].filter(([, n]) => n > 1).map(([id]) => id);
    // The second batch's first five records were processed but not committed.
    expect(twice).toHaveLength(5);
    const consumed = countsById(run.sim, 'consumed');
    expect([...consumed.values()].filter((n) => n > 1)).toHaveLength(10);
  });

  it('at-most-once: commit-before-process and a crash lose the rest of the batch (never processed)', () => {
    const run = groupRun({
      seed: 3, records: 40, ratePerSec: 200, consumers: 2, consumersStartAtMs: 1500,
      config: { 'max.poll.records': 10 },
      // Only consumer-1 crashes; consumer-2 survives and takes its partition over.
      processing: (id) => ({ mode: 'commit-before-process', processingTimeMsPerRecord: 20, ...(id === 'consumer-1' ? { crash: { afterProcessed: 15 } } : {}) }),
    });
    run.sim.runUntil(15000);
    const processed = countsById(run.sim, 'processed');
    const lost = ackedIds(run.sim).filter((id) => !processed.has(id));
    expect(lost).toHaveLength(5);
    expect([...processed.values()].every((n) => n === 1)).toBe(true);
    // They were returned by poll once, to the crashed consumer.
    for (const id of lost) expect(facts(run.sim, 'consumed').filter((f) => f.data.id === id).map((f) => f.node)).toEqual(['consumer-1']);
  });

  it('committed offsets survive the coordinator broker failover', () => {
    const run = groupRun({ seed: 4, records: 300, ratePerSec: 50, consumers: 2, config: { 'auto.commit.interval.ms': 500 }, processing: { mode: 'auto-commit', processingTimeMsPerRecord: 1 } });
    run.sim.runUntil(3500);
    const partition = partitionForGroup('group-1', 3);
    const coordinator = run.brokers.find((b) => describeGroups(run.sim.node(b).state.volatile.group).ownedPartitions.includes(partition))!;
    const before = describeGroups(run.sim.node(coordinator).state.volatile.group).groups[0];
    expect(before.committed.length).toBe(2);
    run.sim.schedule(3500, { type: 'crash', node: coordinator });
    run.sim.runUntil(4500 + 3000 + 3000);
    const successor = run.brokers.find((b) => b !== coordinator && describeGroups(run.sim.node(b).state.volatile.group).ownedPartitions.includes(partition));
    expect(successor).toBeDefined();
    const after = describeGroups(run.sim.node(successor!).state.volatile.group).groups[0];
    // Loaded from the log: at least what was committed before the crash.
    for (const c of before.committed) {
      expect(after.committed.find((a) => a.partition === c.partition)!.offset).toBeGreaterThanOrEqual(c.offset);
    }
    run.sim.runUntil(14000);
    // Consumption went on: every record consumed, re-reads limited to what was not yet committed.
    const consumed = countsById(run.sim, 'consumed');
    expect(ackedIds(run.sim).filter((id) => !consumed.has(id))).toEqual([]);
    expect(facts(run.sim, 'offset-committed').some((f) => f.node === successor)).toBe(true);
  });

  it('is deterministic: same seed, same trace', () => {
    const a = groupRun({ seed: 5, records: 30, consumers: 2, processing: { mode: 'commit-after-process', processingTimeMsPerRecord: 3 } });
    const b = groupRun({ seed: 5, records: 30, consumers: 2, processing: { mode: 'commit-after-process', processingTimeMsPerRecord: 3 } });
    a.sim.runUntil(6000);
    b.sim.runUntil(6000);
    expect(a.sim.traceHash()).toBe(b.sim.traceHash());
    // Plain data only (checkpoints clone it): the consumers' memory and the coordinators' state.
    for (const id of [...a.consumers, ...a.brokers]) {
      const state = a.sim.node(id).state;
      expect(structuredClone(state)).toEqual(state);
    }
  });

  it('continues identically from a checkpoint (time travel)', () => {
    const a = groupRun({ seed: 6, records: 40, consumers: 2, processing: { mode: 'commit-after-process', processingTimeMsPerRecord: 3 } });
    a.sim.runUntil(2500);
    const fork = a.sim.forkFrom(a.sim.checkpoint());
    a.sim.runUntil(6000);
    fork.runUntil(6000);
    const after = (trace: typeof a.sim.trace) => JSON.stringify(trace.filter((e) => e.time > 2500));
    expect(after(fork.trace)).toBe(after(a.sim.trace));
  });
});
