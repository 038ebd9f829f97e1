import { describe, expect, it } from 'vitest';
import { addConsumer } from './consumer';
import { describeConsumer } from './describe';
import { facts, groupRun, type GroupRun } from './testing/groupRun';

const topic = { name: 't', partitions: 4, replicationFactor: 3 };

/** Adds consumer-3 at `at` ms to a running group of two. */
function thirdMember(run: GroupRun, strategy: 'range' | 'cooperative-sticky', at: number): void {
  addConsumer(run.sim, 'consumer-3', {
    bootstrap: run.brokers, topics: ['t'], config: { 'partition.assignment.strategy': strategy },
    processing: { mode: 'auto-commit', processingTimeMsPerRecord: 1 },
  }, at);
}

/** Per consumer: time windows between sending JoinGroup and receiving its SyncGroup answer. */
function rebalanceWindows(run: GroupRun, consumer: string): [number, number][] {
  const windows: [number, number][] = [];
  let open: number | null = null;
  for (const e of run.sim.trace) {
    const api = (e.payload as { api?: string } | undefined)?.api;
    if (e.type === 'deliver' && e.from === consumer && api === 'JoinGroup' && open === null) open = e.time;
    if (e.type === 'deliver' && e.node === consumer && api === 'SyncGroupResponse' && open !== null) {
      windows.push([open, e.time]);
      open = null;
    }
  }
  return windows;
}

function consumedWithin(run: GroupRun, consumer: string, windows: [number, number][]): number {
  return facts(run.sim, 'consumed', consumer).filter((f) => windows.some(([a, b]) => f.time > a && f.time < b)).length;
}

describe('rebalance protocols', () => {
  it('eager: a joining member makes everyone revoke everything; nobody consumes while rebalancing', () => {
    const run = groupRun({ seed: 11, topic, records: 800, ratePerSec: 100, consumers: 2, config: { 'partition.assignment.strategy': 'range' }, processing: { mode: 'auto-commit', processingTimeMsPerRecord: 1 } });
    thirdMember(run, 'range', 4000);
    run.sim.runUntil(10000);
    const before = facts(run.sim, 'rebalance-completed').filter((f) => f.time < 4000).length;
    const completed = facts(run.sim, 'rebalance-completed').filter((f) => f.time > 4000);
    // One round: every member revoked everything and got a fresh share.
    expect(completed.map((f) => f.data.generation)).toEqual([before + 1]);
    expect(Object.values(completed[0].data.assignment).map((a) => (a as unknown[]).length)).toEqual([2, 1, 1]);
    for (const c of ['consumer-1', 'consumer-2']) {
      const windows = rebalanceWindows(run, c).filter(([a]) => a > 4000);
      expect(windows).toHaveLength(1);
      expect(consumedWithin(run, c, windows)).toBe(0);
    }
  });

  it('cooperative-sticky: members keep consuming during the rebalance, and moving partitions need a second round', () => {
    const run = groupRun({ seed: 11, topic, records: 800, ratePerSec: 100, consumers: 2, config: { 'partition.assignment.strategy': 'cooperative-sticky' }, processing: { mode: 'auto-commit', processingTimeMsPerRecord: 1 } });
    thirdMember(run, 'cooperative-sticky', 4000);
    run.sim.runUntil(10000);
    const before = facts(run.sim, 'rebalance-completed').filter((f) => f.time < 4000).length;
    const completed = facts(run.sim, 'rebalance-completed').filter((f) => f.time > 4000);
    expect(completed.map((f) => f.data.generation)).toEqual([before + 1, before + 2]);
    const count = (f: (typeof completed)[number]) => Object.values(f.data.assignment).flat().length;
    // The first round withholds the partition that moves to consumer-3; the second hands it over.
    expect(count(completed[0])).toBe(3);
    expect(count(completed[1])).toBe(4);
    const newcomer = Object.keys(completed[1].data.assignment).find((m) => m.startsWith('consumer-3-'))!;
    expect(completed[1].data.assignment[newcomer]).toHaveLength(1);
    const consumedWhileRebalancing = ['consumer-1', 'consumer-2'].reduce((n, c) => n + consumedWithin(run, c, rebalanceWindows(run, c).filter(([a]) => a > 4000)), 0);
    expect(consumedWhileRebalancing).toBeGreaterThan(0);
  });

  it('a member that stops polling for max.poll.interval.ms leaves the group; its late commit fails', () => {
    const run = groupRun({
      seed: 12, records: 100, ratePerSec: 200, consumers: 2, consumersStartAtMs: 1000,
      config: { 'max.poll.interval.ms': 1500, 'max.poll.records': 20 },
      processing: (id) => ({ mode: 'commit-after-process', processingTimeMsPerRecord: id === 'consumer-1' ? 100 : 1 }),
    });
    run.sim.runUntil(8000);
    const removed = facts(run.sim, 'member-removed');
    expect(removed.map((f) => [f.data.member.split('-').slice(0, 2).join('-'), f.data.reason])).toContainEqual(['consumer-1', 'left the group (LeaveGroup)']);
    expect(describeConsumer(run.sim.node('consumer-1').state.volatile).counters.commitsFailed).toBeGreaterThan(0);
  });
});
