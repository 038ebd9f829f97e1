/**
 * The controller crashes after ZooKeeper committed one of its partition state writes but before
 * the answer reached it: the change is real (the next controller reads it and acts on it) but its
 * 'leader-elected' / 'isr-changed' is never recorded. The checkers must take ZooKeeper's state
 * from the next controller's 'partition-state-loaded' instead of reporting losses and ISR
 * violations that did not happen. Each case crashes the controller inside that window; the test
 * first checks that the crash did fall there, so that a change of timing cannot make it vacuous.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { TraceStore } from '@kafkasim/engine';
import { parseScenario, runScenario } from '../scenario';

function runWithCrash(file: string, target: string, atMs: number, pauseMs?: number) {
  const raw = JSON.parse(readFileSync(new URL(`../../../../scenarios/${file}.json`, import.meta.url), 'utf8'));
  delete raw.$schema;
  const fault = pauseMs === undefined ? { atMs, action: 'crash', target } : { atMs, action: 'pause', target, durationMs: pauseMs };
  raw.faults = [...raw.faults, fault];
  return runScenario(parseScenario(JSON.stringify(raw), `${file}.json`), { traceMessages: false });
}

const facts = (trace: TraceStore, event: string, topic = 'orders') =>
  trace.filter((e) => e.type === 'record' && e.event === event && (e.data as { topic?: string }).topic === topic);

/**
 * What the next controller read, when it is the crashed controller's last write and no fact had
 * shown it (the write was sent, or committed, before the crash; its answer came too late).
 */
function unrecordedLoadedState(trace: TraceStore, controller: string): Record<string, unknown> | undefined {
  const crash = trace.find((e) => e.type === 'crash' && e.node === controller)!;
  const loaded = facts(trace, 'partition-state-loaded').find((e) => e.step > crash.step);
  if (!loaded) return undefined;
  const committed = trace.filter((e) => e.type === 'record' && e.event === 'zk-write-committed' && e.step < loaded.step
    && /\/brokers\/topics\/orders\/partitions\/0\/state$/.test((e.data as { path: string }).path));
  const recorded = [...facts(trace, 'leader-elected'), ...facts(trace, 'isr-changed')].filter((e) => e.step < loaded.step);
  const data = loaded.data as { partitionEpoch: number; leader: string | null; isr: string[]; leaderEpoch: number };
  const shown = recorded.some((e) => {
    const d = e.data as { partitionEpoch?: number; leaderEpoch: number; leader?: string };
    return d.partitionEpoch === data.partitionEpoch || (d.leader === data.leader && d.leaderEpoch === data.leaderEpoch);
  });
  // The state znode's version counts its writes (0 at creation).
  return data.partitionEpoch === committed.length - 1 && !shown ? data : undefined;
}

describe('a controller that crashes between ZooKeeper\'s commit and its answer', () => {
  it('reassignment: the leader move to broker-4 was committed, not recorded; no acks=all record is reported lost', () => {
    const r = runWithCrash('partition-reassignment', 'broker-1', 5045);
    expect(unrecordedLoadedState(r.trace, 'broker-1')).toMatchObject({ leader: 'broker-4', leaderEpoch: 2 });
    expect(r.delivery.lost).toBe(0);
    expect(r.violations).toEqual([]);
  });

  it('reassignment: the ISR shrink that drops the old replicas was committed, not recorded; no hw-within-isr or strong-isr', () => {
    const r = runWithCrash('partition-reassignment', 'broker-1', 5053);
    expect(unrecordedLoadedState(r.trace, 'broker-1')).toMatchObject({ leader: 'broker-4', isr: ['broker-4', 'broker-5', 'broker-3'] });
    expect(r.delivery.lost).toBe(0);
    expect(r.violations).toEqual([]);
  });

  it('preferred-replica election: the move back to broker-1 was committed, not recorded; no record is reported lost', () => {
    const r = runWithCrash('preferred-replica-election', 'broker-2', 8010);
    expect(unrecordedLoadedState(r.trace, 'broker-2')).toMatchObject({ leader: 'broker-1' });
    expect(r.delivery.lost).toBe(0);
    expect(r.violations).toEqual([]);
  });

  it('isr-shrink: a controller paused past its session records its ISR shrink late, after its successor changed the state; nothing breaks', () => {
    const r = runWithCrash('isr-shrink-slow-follower', 'broker-3', 6004, 5000);
    const resumed = r.trace.find((e) => e.type === 'resume' && e.node === 'broker-3')!;
    const loaded = facts(r.trace, 'partition-state-loaded')[0];
    const late = facts(r.trace, 'isr-changed').find((e) => e.node === 'broker-3' && e.step >= resumed.step);
    // The late fact is older (epoch, version) than what the successor had read and then written.
    expect(loaded.step).toBeLessThan(resumed.step);
    expect(late?.data).toMatchObject({ leaderEpoch: 0, partitionEpoch: 1 });
    expect(facts(r.trace, 'isr-changed').some((e) => e.step < resumed.step && (e.data as { leaderEpoch: number }).leaderEpoch === 1)).toBe(true);
    expect(r.violations).toEqual([]);
  });
});
