import { describe, expect, it } from 'vitest';
import type { Simulation } from '@kafkasim/engine';
import { describeZkServer } from '../../coordinator';
import { ConsumerConfigError, createConsumer } from '.';
import { describeConsumer } from './describe';
import { facts, groupRun, type GroupRun } from './testing/groupRun';
import type { ProcessingModel, ResolvedConsumerConfig } from './types';
import { offsetPath } from './zkOffsets';

const ZK: Partial<ResolvedConsumerConfig> = { 'kafkasim.offsets.storage': 'zookeeper' };
const atLeastOnce: ProcessingModel = { mode: 'commit-after-process', processingTimeMsPerRecord: 2 };

/** The committed tree of the first serving coordinator server. */
function znodeData(run: GroupRun, path: string): unknown {
  const server = run.zkServers.map((id) => describeZkServer(run.sim.node(id).state)).find((d) => d.serving)!;
  return server.tree.find((n) => n.path === path)?.data;
}

/** Kafka requests the consumers sent (payload api names). */
function consumerApis(sim: Simulation): Set<string> {
  return new Set(sim.trace.filter((e) => e.type === 'deliver' && String(e.from).startsWith('consumer-')).map((e) => String((e.payload as { api?: string }).api)));
}

/** The last offset each partition's offset-committed facts name. */
function lastCommitted(sim: Simulation, node?: string): Map<number, number> {
  return new Map(facts(sim, 'offset-committed', node).map((f) => [f.data.partition as number, f.data.offset as number]));
}

describe('kafkasim.offsets.storage=zookeeper', () => {
  it('a commit writes the offset as a decimal string to /consumers/<group>/offsets/<topic>/<partition>, through the ensemble', () => {
    const run = groupRun({ seed: 21, records: 60, consumers: 2, coordinators: 3, config: { ...ZK, 'max.poll.records': 10 }, processing: atLeastOnce });
    run.sim.runUntil(8000);
    const committed = lastCommitted(run.sim);
    expect([...committed.keys()].sort()).toEqual([0, 1]);
    for (const [partition, offset] of committed) {
      expect(znodeData(run, offsetPath('group-1', 't', partition))).toBe(String(offset));
    }
    // The consumers wrote them (no broker involved) and said where.
    const offsetFacts = facts(run.sim, 'offset-committed');
    expect(offsetFacts.every((f) => String(f.node).startsWith('consumer-') && f.data.store === 'zookeeper')).toBe(true);
    const apis = consumerApis(run.sim);
    expect(apis.has('OffsetCommit')).toBe(false);
    expect(apis.has('OffsetFetch')).toBe(false);
    expect(apis.has('JoinGroup')).toBe(true);
    // Each commit is a quorum write: the first one created the parent path, later ones set the data.
    const writes = facts(run.sim, 'zk-write-committed').filter((f) => String(f.data.path).startsWith('/consumers'));
    expect(writes.slice(0, 4).map((f) => f.data.path)).toEqual(['/consumers', '/consumers/group-1', '/consumers/group-1/offsets', '/consumers/group-1/offsets/t']);
    expect(writes.filter((f) => f.data.op === 'setData').length).toBeGreaterThan(0);
  });

  it('a restarted consumer resumes from the offset it committed in ZooKeeper', () => {
    const run = groupRun({
      seed: 22, records: 120, ratePerSec: 200, consumers: 1, config: { ...ZK, 'max.poll.records': 10 },
      processing: { mode: 'commit-after-process', processingTimeMsPerRecord: 5, crash: { afterProcessed: 55, restartAfterMs: 500 } },
    });
    run.sim.runUntil(10000);
    const crash = run.sim.trace.find((e) => e.type === 'crash' && e.node === 'consumer-1')!;
    expect(crash).toBeDefined();
    const before = new Map(facts(run.sim, 'offset-committed').filter((f) => f.time <= crash.time).map((f) => [f.data.partition, f.data.offset]));
    const firstAfter = new Map<number, number>();
    for (const f of facts(run.sim, 'consumed').filter((c) => c.time > crash.time)) {
      if (!firstAfter.has(f.data.partition)) firstAfter.set(f.data.partition, f.data.offset);
    }
    expect(before.size).toBeGreaterThan(0);
    for (const [partition, offset] of before) {
      expect(offset).toBeGreaterThan(0);
      expect(firstAfter.get(partition)).toBe(offset);
    }
    // It read them with getData after the restart.
    const reads = run.sim.trace.filter((e) => e.type === 'deliver' && e.from === 'consumer-1' && e.time > crash.time && (e.payload as any)?.request?.op === 'getData');
    expect(reads.map((e) => (e.payload as any).request.path).sort()).toEqual([offsetPath('group-1', 't', 0), offsetPath('group-1', 't', 1)]);
  });

  it('no znode (NoNode): auto.offset.reset applies', () => {
    const late = { records: 30, ratePerSec: 100, producerStartAtMs: 300, consumersStartAtMs: 2500, consumers: 1, config: ZK, processing: atLeastOnce };
    const earliest = groupRun({ seed: 23, ...late, config: { ...ZK, 'auto.offset.reset': 'earliest' } });
    earliest.sim.runUntil(5000);
    expect(facts(earliest.sim, 'consumed')).toHaveLength(30);
    const latest = groupRun({ seed: 23, ...late, config: { ...ZK, 'auto.offset.reset': 'latest' } });
    latest.sim.runUntil(5000);
    expect(facts(latest.sim, 'consumed')).toHaveLength(0);
    const none = groupRun({ seed: 23, ...late, config: { ...ZK, 'auto.offset.reset': 'none' } });
    none.sim.runUntil(5000);
    expect(describeConsumer(none.sim.node('consumer-1').state.volatile).partitions.map((p) => p.status)).toEqual(['no-offset', 'no-offset']);
  });

  it('a commitSync waits out a lost ZooKeeper connection and lands; a commitAsync meanwhile fails', () => {
    const cut = (run: GroupRun) => {
      run.sim.schedule(1500, { type: 'partition', id: 'cut', sideA: ['consumer-1'], sideB: run.zkServers });
      run.sim.schedule(6000, { type: 'heal', id: 'cut' });
      run.sim.runUntil(9000);
    };
    const options = { seed: 24, records: 300, ratePerSec: 50, consumers: 1, config: { ...ZK, 'max.poll.records': 10 } };
    const sync = groupRun({ ...options, processing: { mode: 'commit-after-process', processingTimeMsPerRecord: 2 } });
    cut(sync);
    const syncCommits = facts(sync.sim, 'offset-committed', 'consumer-1');
    expect(syncCommits.some((f) => f.time > 1500 && f.time < 6000)).toBe(false);
    expect(syncCommits.some((f) => f.time > 6000)).toBe(true);
    expect(describeConsumer(sync.sim.node('consumer-1').state.volatile).counters.commitsFailed).toBe(0);
    // The sync commit blocked the application: nothing processed while it waited.
    const stalled = facts(sync.sim, 'processed', 'consumer-1').filter((f) => f.time > 2000 && f.time < 6000);
    expect(stalled.length).toBeLessThanOrEqual(10);

    const async = groupRun({ ...options, processing: { mode: 'commit-after-process', processingTimeMsPerRecord: 2, commit: 'async' } });
    cut(async);
    expect(describeConsumer(async.sim.node('consumer-1').state.volatile).counters.commitsFailed).toBeGreaterThan(0);
    expect(facts(async.sim, 'processed', 'consumer-1').filter((f) => f.time > 2000 && f.time < 6000).length).toBeGreaterThan(10);
  });

  it('is plain data and continues identically from a checkpoint', () => {
    const run = groupRun({ seed: 25, records: 40, consumers: 2, config: ZK, processing: atLeastOnce });
    run.sim.runUntil(2500);
    const state = run.sim.node('consumer-1').state;
    expect(state.volatile.zkOffsets).toBeDefined();
    expect(structuredClone(state)).toEqual(state);
    const fork = run.sim.forkFrom(run.sim.checkpoint());
    run.sim.runUntil(6000);
    fork.runUntil(6000);
    const after = (trace: typeof run.sim.trace) => JSON.stringify(trace.filter((e) => e.time > 2500));
    expect(after(fork.trace)).toBe(after(run.sim.trace));
  });

  it('needs the coordinator servers, and is refused with exactly-once (whose offsets commit in the transaction)', () => {
    const base = { bootstrap: ['broker-1'], topics: ['t'] };
    expect(() => createConsumer('consumer-1', { ...base, config: ZK, processing: atLeastOnce })).toThrow(ConsumerConfigError);
    expect(() => createConsumer('consumer-1', { ...base, config: ZK, processing: atLeastOnce, zkServers: ['zk-1'] })).not.toThrow();
    expect(() => createConsumer('consumer-1', { ...base, config: { ...ZK, 'isolation.level': 'read_committed' }, zkServers: ['zk-1'], processing: { mode: 'exactly-once', processingTimeMsPerRecord: 1, outputTopic: 'out' } }))
      .toThrow(/exactly-once/);
    // The default store needs no coordinator servers.
    expect(() => createConsumer('consumer-1', { ...base, config: {}, processing: atLeastOnce })).not.toThrow();
  });
});

/**
 * The lesson: ZooKeeper knows nothing of group generations. consumer-1 stalls (a pause longer than
 * session.timeout.ms), the group moves its partition to consumer-2, and after waking up it
 * commits its stale position anyway.
 */
describe('a zombie consumer commits after it was removed from the group', () => {
  function zombieRun(storage: 'kafka' | 'zookeeper') {
    const run = groupRun({
      seed: 26, records: 300, ratePerSec: 100, consumers: 2, consumersStartAtMs: 0,
      config: { 'kafkasim.offsets.storage': storage, 'max.poll.records': 20 },
      processing: { mode: 'commit-after-process', processingTimeMsPerRecord: 5 },
    });
    run.sim.schedule(2000, { type: 'pause', node: 'consumer-1', durationMs: 5000 });
    run.sim.runUntil(9000);
    const removed = facts(run.sim, 'member-removed').find((f) => String(f.data.member).startsWith('consumer-1-'));
    expect(removed, 'consumer-1 was removed from the group').toBeDefined();
    expect(removed!.time).toBeLessThan(7000);
    return run;
  }

  it('zookeeper: the zombie\'s commits land and move the group\'s committed offset back', () => {
    const run = zombieRun('zookeeper');
    const commits = facts(run.sim, 'offset-committed');
    const fromZombie = commits.filter((f) => f.node === 'consumer-1' && f.time >= 7000);
    expect(fromZombie.length).toBeGreaterThan(0);
    const first = fromZombie[0];
    // What consumer-2 had committed for that partition while consumer-1 stalled.
    const byNewOwner = commits.filter((f) => f.node === 'consumer-2' && f.data.partition === first.data.partition && f.time > 2000 && f.time < 7000);
    expect(byNewOwner.length).toBeGreaterThan(0);
    expect(first.data.offset).toBeLessThan(byNewOwner[byNewOwner.length - 1].data.offset);
  });

  it('kafka: the group coordinator rejects the zombie\'s commit (UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION)', () => {
    const run = zombieRun('kafka');
    const answers = run.sim.trace.filter((e) => e.type === 'deliver' && e.node === 'consumer-1' && e.time >= 7000 && (e.payload as any)?.api === 'OffsetCommitResponse');
    const errors = answers.map((e) => (e.payload as any).partitions[0].error);
    const fenced = errors.filter((e) => e === 'UNKNOWN_MEMBER_ID' || e === 'ILLEGAL_GENERATION');
    expect(fenced.length).toBeGreaterThan(0);
    // Nothing consumer-1 committed with its old membership was stored after it woke up.
    const memberBefore = facts(run.sim, 'offset-committed').filter((f) => f.time < 2000 && String(f.data.member).startsWith('consumer-1-')).map((f) => f.data.member);
    expect(memberBefore.length).toBeGreaterThan(0);
    expect(facts(run.sim, 'offset-committed').filter((f) => f.time >= 7000 && f.data.member === memberBefore[0])).toEqual([]);
  });
});
