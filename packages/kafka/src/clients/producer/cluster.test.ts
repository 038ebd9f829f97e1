/** The producer against the real brokers, controller and coordinator (buildCluster). */
import { describe, expect, it } from 'vitest';
import type { ProducerConfig } from '../../config';
import { buildCluster } from '../../cluster';
import { allRecords } from '../../storage';
import type { BrokerState } from '../../broker/types';
import { partitionForKey, utf8 } from '../murmur2';
import { addProducer } from './producer';
import { duplicates, inversions } from './testing/harness';
import type { ProducerWorkload } from './types';

const T = 'orders';
const P = 'producer-1';

function run(options: {
  seed?: number;
  partitions?: number;
  config: Partial<ProducerConfig>;
  workload?: Partial<ProducerWorkload>;
  faults?: (brokers: string[]) => Parameters<ReturnType<typeof buildCluster>['sim']['schedule']>[];
  untilMs?: number;
}) {
  const c = buildCluster({
    seed: options.seed ?? 7, brokers: 3, zkServers: 1, tracePayloads: 'full',
    topics: [{ name: T, partitions: options.partitions ?? 1, replicationFactor: 3 }],
    brokerConfig: { 'min.insync.replicas': 2 },
  });
  addProducer(c.sim, P, {
    bootstrap: c.brokers,
    config: options.config,
    workload: { topic: T, ratePerSec: 100, startAtMs: 1500, count: 300, keys: { kind: 'none' }, ...options.workload },
  });
  for (const [at, action] of options.faults?.(c.brokers) ?? []) c.sim.schedule(at, action);
  c.sim.runUntil(options.untilMs ?? 15000);
  const facts = (event: string) => c.sim.trace.filter((e) => e.type === 'record' && e.event === event).map((e) => ({ time: e.time, ...(e.data as any) }));
  /** The partition's log on the broker that leads it at the end. */
  const log = (partition = 0): string[] => {
    const leaders = facts('become-leader').filter((f) => f.topic === T && f.partition === partition);
    const broker = leaders.at(-1)!.broker;
    const state = c.sim.node(broker).state as BrokerState;
    return allRecords(state.durable.logs[`${T}-${partition}`]).map((r) => r.value);
  };
  return { ...c, facts, log };
}

/** 20% of the leader's answers to the producer are lost, from t=2 s. */
const lostAnswers = (brokers: string[]) => brokers.map((b, i) => [2000, { type: 'link-fault', id: `lost-${i}`, from: [b], to: [P], drop: 0.2 }] as [number, any]);

describe('producer on the real cluster', () => {
  it('acks=all: every record acknowledged once, at the offset it has in the leader log', () => {
    const r = run({ config: { acks: 'all' } });
    const acked = r.facts('produce-acked');
    expect(acked).toHaveLength(300);
    const log = r.log();
    for (const a of acked) expect(log[a.offset]).toBe(a.id);
  });

  it('lost answers without idempotence: retries duplicate records in the log', () => {
    const r = run({ config: { 'request.timeout.ms': 500, 'max.in.flight.requests.per.connection': 5 }, faults: lostAnswers });
    expect(r.facts('produce-acked')).toHaveLength(300);
    const log = r.log();
    expect(duplicates(log).length).toBeGreaterThan(0);
  });

  it('the same lost answers with enable.idempotence=true: each record once, in order', () => {
    const r = run({ config: { 'enable.idempotence': true, 'request.timeout.ms': 500, 'max.in.flight.requests.per.connection': 5 }, faults: lostAnswers });
    expect(r.facts('produce-acked')).toHaveLength(300);
    expect(r.facts('produce-failed')).toEqual([]);
    const log = r.log();
    expect(log).toHaveLength(300);
    expect(duplicates(log)).toEqual([]);
    expect(inversions(log)).toEqual([]);
    expect(r.facts('produce-send').some((s) => s.attempt > 1)).toBe(true);
  });

  it('acks=0 and acks=1 on the wire; acks=0 reports offset -1', () => {
    for (const acks of ['0', '1'] as const) {
      const r = run({ config: { acks }, workload: { count: 50 } });
      const acked = r.facts('produce-acked');
      expect(acked).toHaveLength(50);
      expect(acked.every((a) => a.acks === acks && (acks === '0' ? a.offset === -1 : a.offset >= 0))).toBe(true);
      const wire = r.sim.trace.filter((e) => e.type === 'deliver' && (e.payload as any)?.api === 'Produce').map((e) => (e.payload as any).acks);
      expect(new Set(wire)).toEqual(new Set([acks === '0' ? 0 : 1]));
      expect(r.log()).toHaveLength(50);
    }
  });

  it('keyed records go to partitionForKey(key) partitions', () => {
    const r = run({ partitions: 6, config: {}, workload: { keys: { kind: 'uniform', cardinality: 30 } } });
    const keyOf = new Map(r.facts('produce-request').map((f) => [f.id, f.key]));
    const acked = r.facts('produce-acked');
    expect(acked).toHaveLength(300);
    for (const a of acked) expect(a.partition).toBe(partitionForKey(utf8(keyOf.get(a.id)), 6));
  });

  it('the leader crashes: after request.timeout.ms the producer refreshes metadata and goes on with the new leader', () => {
    const r = run({ config: { acks: 'all', 'request.timeout.ms': 1500 }, workload: { count: 800 }, untilMs: 4000 });
    const crashed = r.facts('become-leader').filter((f) => f.topic === T).at(-1)!.broker;
    r.sim.schedule(4000, { type: 'crash', node: crashed });
    r.sim.runUntil(25000);
    const acked = r.facts('produce-acked');
    expect(acked).toHaveLength(800);
    expect(r.facts('produce-failed')).toEqual([]);
    const newLeader = r.facts('become-leader').filter((f) => f.topic === T).at(-1)!.broker;
    expect(newLeader).not.toBe(crashed);
    expect(acked.filter((a) => a.time > 9000).every((a) => a.leader === newLeader)).toBe(true);
    // acks=all, min.insync.replicas=2: every acknowledged record is in the new leader's log.
    const log = new Set(r.log());
    for (const a of acked) expect(log.has(a.id)).toBe(true);
  });

  it('is deterministic: same seed, same trace hash', () => {
    const a = run({ config: { 'enable.idempotence': true, 'request.timeout.ms': 500 }, faults: lostAnswers, untilMs: 8000 });
    const b = run({ config: { 'enable.idempotence': true, 'request.timeout.ms': 500 }, faults: lostAnswers, untilMs: 8000 });
    expect(a.sim.traceHash()).toBe(b.sim.traceHash());
  });
});
