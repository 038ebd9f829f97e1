import { describe, expect, it } from 'vitest';
import { partitionForKey, utf8 } from '../murmur2';
import { recordBytesInBatch } from './batch';
import { describeProducer } from './describe';
import { duplicates, FakeCluster, inversions } from './testing/harness';
import type { ProducerWorkload } from './types';

const P = 'producer-1';
const workload = (w: Partial<ProducerWorkload> = {}): ProducerWorkload => ({
  topic: 't', ratePerSec: 1000, startAtMs: 200, count: 60, keys: { kind: 'none' }, ...w,
});

describe('producer against a fake broker', () => {
  it('acks every record once, in order, with the offsets the broker assigned', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }] });
    c.addProducer(P, { config: { 'linger.ms': 5 }, workload: workload() });
    c.run(3000);
    const acked = c.facts('produce-acked');
    expect(acked).toHaveLength(60);
    const log = c.log('broker-1', 't', 0);
    expect(log).toHaveLength(60);
    for (const a of acked) {
      expect(a.acks).toBe('all');
      expect(a.leader).toBe('broker-1');
      expect(log[a.offset]).toBe(a.id);
    }
    expect(c.facts('produce-request').map((r) => r.id)).toEqual(log);
  });

  describe('batching', () => {
    it('linger.ms holds a batch open that long: ~linger records per batch at 1 record/ms', () => {
      const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }] });
      c.addProducer(P, { config: { 'linger.ms': 10 }, workload: workload({ count: 100 }) });
      c.run(3000);
      const sends = c.facts('produce-send');
      expect(c.facts('produce-acked')).toHaveLength(100);
      // The first batch collects what queued up while metadata was fetched; the rest hold the records
      // of linger.ms + 1 milliseconds (the one made at the very moment the linger expires joins too).
      for (const s of sends.slice(1, -1)) expect(s.ids.length).toBe(11);
      expect(sends.reduce((n, s) => n + s.ids.length, 0)).toBe(100);
    });

    it('batch.size closes a batch when the next record does not fit; a full batch goes without waiting for linger', () => {
      const batchSize = 300;
      const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }] });
      c.addProducer(P, { config: { 'linger.ms': 100000, 'delivery.timeout.ms': 200000, 'batch.size': batchSize }, workload: workload({ count: 50, startAtMs: 500 }) });
      c.run(2000);
      // Pack the ids greedily the way MemoryRecordsBuilder.hasRoomFor does: 61-byte header + record bodies.
      const expected: string[][] = [[]];
      let size = 61;
      for (let n = 0; n < 50; n++) {
        const bytes = recordBytesInBatch(null, `${P}:${n}`);
        if (expected[expected.length - 1].length > 0 && size + bytes > batchSize) {
          expected.push([]);
          size = 61;
        }
        expected[expected.length - 1].push(`${P}:${n}`);
        size += bytes;
      }
      // Every batch but the last was sent as soon as the next record opened a new batch...
      expect(c.facts('produce-send').map((s) => s.ids)).toEqual(expected.slice(0, -1));
      // ...and the last one waits for linger.ms (100 s) in the accumulator.
      const d = describeProducer(c.producer(P));
      expect(d.accumulator[0].batches.map((b) => b.ids)).toEqual(expected.slice(-1));
    });

    it('linger.ms = 0 still batches when max.in.flight requests are outstanding', () => {
      const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }], network: { latency: { minMs: 20, maxMs: 20 } } });
      c.addProducer(P, { config: { 'linger.ms': 0, 'max.in.flight.requests.per.connection': 1 }, workload: workload({ count: 200 }) });
      c.run(5000);
      const sends = c.facts('produce-send');
      expect(c.facts('produce-acked')).toHaveLength(200);
      // One request per 40 ms round trip: ~40 records each.
      expect(Math.max(...sends.map((s) => s.ids.length))).toBeGreaterThanOrEqual(30);
      expect(sends.length).toBeLessThan(20);
    });
  });

  it('acks=0 sends and forgets: acked at send time with offset -1, and the broker never answers', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 2 }] });
    c.addProducer(P, { config: { acks: '0' }, workload: workload({ count: 30 }) });
    c.run(2000);
    const acked = c.facts('produce-acked');
    expect(acked).toHaveLength(30);
    for (const a of acked) {
      expect(a.offset).toBe(-1);
      expect(a.acks).toBe('0');
    }
    const deliveries = c.sim.trace.filter((e) => e.type === 'deliver');
    expect(deliveries.some((e) => (e.payload as { api: string }).api === 'ProduceResponse')).toBe(false);
    expect(deliveries.filter((e) => (e.payload as { api: string }).api === 'Produce').every((e) => (e.payload as { acks: number }).acks === 0)).toBe(true);
    // Each ack comes at the moment its batch was sent.
    const sendTimes = new Map(c.facts('produce-send').flatMap((s) => s.ids.map((id) => [id, s.time] as const)));
    for (const a of acked) expect(a.time).toBe(sendTimes.get(a.id));
    expect(describeProducer(c.producer(P)).inFlight).toEqual([]);
  });

  it("keyed records land on murmur2's partition, across leaders on several brokers", () => {
    const c = new FakeCluster({ brokers: 3, topics: [{ name: 't', partitions: 6 }] });
    c.addProducer(P, { config: {}, workload: workload({ count: 200, keys: { kind: 'uniform', cardinality: 25 } }) });
    c.run(3000);
    const keyOf = new Map(c.facts('produce-request').map((r) => [r.id, r.key]));
    const acked = c.facts('produce-acked');
    expect(acked).toHaveLength(200);
    for (const a of acked) {
      expect(a.partition).toBe(partitionForKey(utf8(keyOf.get(a.id)!), 6));
      expect(a.leader).toBe(`broker-${(a.partition % 3) + 1}`);
      expect(c.log(a.leader, 't', a.partition)[a.offset]).toBe(a.id);
    }
    // One Produce request per broker carries the batches of all partitions it leads.
    expect(c.facts('produce-send').length).toBeGreaterThan(c.sim.trace.filter((e) => e.type === 'deliver' && (e.payload as { api: string }).api === 'Produce').length);
  });

  it('an explicit partition wins over the key', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 4 }] });
    c.addProducer(P, { config: {}, workload: workload({ count: 20, partition: 3, keys: { kind: 'uniform', cardinality: 10 } }) });
    c.run(2000);
    expect(c.facts('produce-acked').every((a) => a.partition === 3)).toBe(true);
  });

  it('sticky keyless records fill one partition per batch; round-robin rotates record by record', () => {
    const sticky = new FakeCluster({ topics: [{ name: 't', partitions: 4 }] });
    sticky.addProducer(P, { config: { 'linger.ms': 20 }, workload: workload({ count: 100 }) });
    sticky.run(3000);
    for (const s of sticky.facts('produce-send')) expect(s.ids.length).toBeGreaterThan(1);
    const rr = new FakeCluster({ topics: [{ name: 't', partitions: 4 }] });
    rr.addProducer(P, { config: { 'linger.ms': 20, 'partitioner.class': 'round-robin' }, workload: workload({ count: 100 }) });
    rr.run(3000);
    const partitionOf = new Map(rr.facts('produce-acked').map((a) => [a.id, a.partition]));
    rr.facts('produce-request').forEach((r, i) => expect(partitionOf.get(r.id)).toBe(i % 4));
  });
});

describe('retries without idempotence', () => {
  it('a lost response plus a retry writes the record twice (request.timeout.ms closes the connection)', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }] });
    c.addProducer(P, { config: { 'request.timeout.ms': 500, 'max.in.flight.requests.per.connection': 1 }, workload: workload({ count: 40 }) });
    c.fault(0, 'broker-1', 'drop-responses', { count: 1 });
    c.run(5000);
    const log = c.log('broker-1', 't', 0);
    const dups = duplicates(log);
    expect(dups.length).toBeGreaterThan(0);
    // The producer itself reports every record acked exactly once, at the offset of the second copy.
    const acked = c.facts('produce-acked');
    expect(acked).toHaveLength(40);
    expect(new Set(acked.map((a) => a.id)).size).toBe(40);
    const first = dups[0];
    const ack = acked.find((a) => a.id === first)!;
    expect(log.indexOf(first)).toBeLessThan(ack.offset);
    expect(log[ack.offset]).toBe(first);
    const resends = c.facts('produce-send').filter((s) => s.ids.includes(first));
    expect(resends.map((s) => s.attempt)).toEqual([1, 2]);
    expect(c.producer(P).volatile.counters.requestTimeouts).toBe(1);
    // max.in.flight = 1: no reordering, only the duplicate.
    expect(inversions(log)).toEqual([]);
  });

  it('with max.in.flight = 5 a failed first batch is retried after later ones succeeded: reordered', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }], network: { latency: { minMs: 5, maxMs: 5 } } });
    c.addProducer(P, { config: { 'linger.ms': 0, 'max.in.flight.requests.per.connection': 5 }, workload: workload({ count: 60 }) });
    c.fault(250, 'broker-1', 'fail-produce', { count: 1, error: 'NOT_ENOUGH_REPLICAS' });
    c.run(5000);
    const log = c.log('broker-1', 't', 0);
    expect(duplicates(log)).toEqual([]);
    expect(log).toHaveLength(60);
    expect(inversions(log).length).toBeGreaterThan(0);
    expect(c.facts('produce-acked')).toHaveLength(60);
  });

  it('with max.in.flight = 1 the same failure does not reorder', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }], network: { latency: { minMs: 5, maxMs: 5 } } });
    c.addProducer(P, { config: { 'linger.ms': 0, 'max.in.flight.requests.per.connection': 1 }, workload: workload({ count: 60 }) });
    c.fault(250, 'broker-1', 'fail-produce', { count: 1, error: 'NOT_ENOUGH_REPLICAS' });
    c.run(5000);
    const log = c.log('broker-1', 't', 0);
    expect(log).toHaveLength(60);
    expect(inversions(log)).toEqual([]);
  });
});

describe('idempotence', () => {
  it('a lost response plus a retry is written once: the broker recognises the sequence', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }] });
    c.addProducer(P, { config: { 'enable.idempotence': true, 'request.timeout.ms': 500 }, workload: workload({ count: 100 }) });
    c.fault(230, 'broker-1', 'drop-responses', { count: 1 });
    c.run(5000);
    const log = c.log('broker-1', 't', 0);
    expect(log).toHaveLength(100);
    expect(duplicates(log)).toEqual([]);
    expect(inversions(log)).toEqual([]);
    const acked = c.facts('produce-acked');
    expect(acked).toHaveLength(100);
    for (const a of acked) expect(log[a.offset]).toBe(a.id);
    expect(c.facts('produce-send').some((s) => s.attempt === 2)).toBe(true);
  });

  it('a failed batch with 5 in flight: later batches get OUT_OF_ORDER_SEQUENCE_NUMBER and are retried in order', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }], network: { latency: { minMs: 5, maxMs: 5 } } });
    c.addProducer(P, { config: { 'enable.idempotence': true, 'linger.ms': 0, 'max.in.flight.requests.per.connection': 5 }, workload: workload({ count: 60 }) });
    c.fault(250, 'broker-1', 'fail-produce', { count: 1, error: 'NOT_ENOUGH_REPLICAS' });
    c.run(5000);
    const log = c.log('broker-1', 't', 0);
    expect(log).toHaveLength(60);
    expect(duplicates(log)).toEqual([]);
    expect(inversions(log)).toEqual([]);
    const deliveries = c.sim.trace.filter((e) => e.type === 'deliver' && (e.payload as { api: string }).api === 'ProduceResponse');
    const errors = deliveries.flatMap((e) => (e.payload as { partitions: { error: string }[] }).partitions.map((p) => p.error));
    expect(errors).toContain('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(c.facts('produce-acked')).toHaveLength(60);
    expect(c.facts('produce-failed')).toEqual([]);
    const d = describeProducer(c.producer(P));
    expect(d.idempotence).toMatchObject({ state: 'READY', producerId: 0, producerEpoch: 0, epochBumps: 0 });
    expect(d.idempotence!.partitions[0]).toMatchObject({ nextSequence: 60, lastAckedSequence: 59, inflightSequences: [] });
  });

  it('sends InitProducerId before any data and stamps pid, epoch and per-partition sequences', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 2 }] });
    c.addProducer(P, { config: { 'enable.idempotence': true }, workload: workload({ count: 30 }) });
    c.run(2000);
    const apis = c.sim.trace.filter((e) => e.type === 'deliver' && e.node === 'broker-1').map((e) => (e.payload as { api: string }).api);
    expect(apis.indexOf('InitProducerId')).toBeLessThan(apis.indexOf('Produce'));
    const produce = c.sim.trace.filter((e) => e.type === 'deliver' && (e.payload as { api: string }).api === 'Produce');
    const next: Record<number, number> = {};
    for (const e of produce) {
      for (const p of (e.payload as { partitions: { partition: number; batch: { producerId: number; baseSequence: number; records: { sequence?: number }[] } }[] }).partitions) {
        expect(p.batch.producerId).toBe(0);
        expect(p.batch.baseSequence).toBe(next[p.partition] ?? 0);
        p.batch.records.forEach((r, i) => expect(r.sequence).toBe(p.batch.baseSequence + i));
        next[p.partition] = (next[p.partition] ?? 0) + p.batch.records.length;
      }
    }
  });
});

describe('timeouts and blocking', () => {
  it('a response later than request.timeout.ms is ignored; the retry decides', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }] });
    c.addProducer(P, { config: { 'request.timeout.ms': 300, 'max.in.flight.requests.per.connection': 1 }, workload: workload({ count: 20 }) });
    c.fault(0, 'broker-1', 'delay-responses', { count: 1, ms: 1000 });
    c.run(4000);
    expect(c.producer(P).volatile.counters.responsesDiscarded).toBe(1);
    const acked = c.facts('produce-acked');
    expect(acked).toHaveLength(20);
    expect(new Set(acked.map((a) => a.id)).size).toBe(20);
  });

  it('delivery.timeout.ms fails records that cannot reach a leader', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }] });
    c.addProducer(P, { config: { 'request.timeout.ms': 1000, 'delivery.timeout.ms': 3000, 'linger.ms': 0 }, workload: workload({ count: 50, ratePerSec: 100 }) });
    c.sim.schedule(300, { type: 'partition', id: 'cut', sideA: [P], sideB: ['broker-1'] });
    c.run(20000);
    const failed = c.facts('produce-failed');
    const acked = c.facts('produce-acked');
    expect(acked.length + failed.length).toBe(50);
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((f) => f.error))).toEqual(new Set(['DELIVERY_TIMEOUT']));
    // The clock starts when the record's batch was created, so a record fails at most 3 s after send().
    const requested = new Map(c.facts('produce-request').map((r) => [r.id, r.time]));
    for (const f of failed) {
      expect(f.time - requested.get(f.id)!).toBeLessThanOrEqual(3000);
      expect(f.time).toBeGreaterThanOrEqual(300 + 3000 - 1000);
    }
  });

  it('buffer.memory full: send() blocks up to max.block.ms, then the record fails with BUFFER_EXHAUSTED', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }] });
    c.addProducer(P, {
      config: { 'batch.size': 1000, 'buffer.memory': 3000, 'max.block.ms': 500, 'linger.ms': 0, 'request.timeout.ms': 30000 },
      workload: workload({ count: 50, ratePerSec: 100 }),
    });
    // The broker takes the data but never answers: memory is never given back.
    c.fault(0, 'broker-1', 'drop-responses', { count: 1000 });
    c.run(10000);
    const failed = c.facts('produce-failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].error).toBe('BUFFER_EXHAUSTED');
    const requested = new Map(c.facts('produce-request').map((r) => [r.id, r.time]));
    expect(failed[0].time - requested.get(failed[0].id)!).toBe(500);
    // While blocked the application made no other send() call.
    const d = describeProducer(c.producer(P));
    expect(d.buffer.usedBytes).toBe(3000);
  });

  it('an unknown topic: send() waits for metadata up to max.block.ms, then METADATA_TIMEOUT', () => {
    const c = new FakeCluster({ topics: [{ name: 'other', partitions: 1 }] });
    c.addProducer(P, { config: { 'max.block.ms': 1000 }, workload: workload({ count: 2 }) });
    c.run(5000);
    const failed = c.facts('produce-failed');
    expect(failed.map((f) => f.error)).toEqual(['METADATA_TIMEOUT', 'METADATA_TIMEOUT']);
    expect(failed[0].time).toBe(1200);
    expect(c.producer(P).volatile.counters.metadataRequests).toBeGreaterThan(5);
  });
});

describe('leadership changes', () => {
  it('NOT_LEADER_OR_FOLLOWER refreshes metadata and the batch goes to the new leader', () => {
    const c = new FakeCluster({ brokers: 2, topics: [{ name: 't', partitions: 1, leaders: ['broker-1'] }] });
    c.addProducer(P, { config: {}, workload: workload({ count: 100, ratePerSec: 200 }) });
    for (const b of c.brokers) c.fault(400, b, 'set-leader', { topic: 't', partition: 0, leader: 'broker-2', leaderEpoch: 1 });
    c.run(5000);
    const acked = c.facts('produce-acked');
    expect(acked).toHaveLength(100);
    expect(acked.some((a) => a.leader === 'broker-1')).toBe(true);
    expect(acked.some((a) => a.leader === 'broker-2')).toBe(true);
    expect(acked.filter((a) => a.time > 600).every((a) => a.leader === 'broker-2')).toBe(true);
    expect([...c.log('broker-1', 't', 0), ...c.log('broker-2', 't', 0)]).toHaveLength(100);
  });
});

describe('producer crash', () => {
  it('loses what was in memory, keeps record ids unique, and ignores answers meant for its previous life', () => {
    const c = new FakeCluster({ topics: [{ name: 't', partitions: 1 }], network: { latency: { minMs: 10, maxMs: 10 } } });
    c.addProducer(P, { config: { 'linger.ms': 20 }, workload: workload({ count: 100, ratePerSec: 200 }) });
    // The answer to a request of the first life arrives in the second.
    c.fault(280, 'broker-1', 'delay-responses', { count: 1, ms: 100 });
    c.sim.schedule(300, { type: 'crash', node: P });
    c.sim.schedule(350, { type: 'restart', node: P });
    c.run(5000);
    expect(c.producer(P).volatile.counters.responsesDiscarded).toBe(1);
    const requested = c.facts('produce-request').map((r) => r.id);
    expect(requested).toEqual(Array.from({ length: 100 }, (_, n) => `${P}:${n}`));
    const settled = new Set([...c.facts('produce-acked'), ...c.facts('produce-failed')].map((f) => f.id));
    const lost = requested.filter((id) => !settled.has(id));
    // Records still in the accumulator (or awaiting their answer) at the crash are never reported.
    expect(lost.length).toBeGreaterThan(0);
    expect(c.facts('produce-request').filter((r) => lost.includes(r.id)).every((r) => r.time <= 300)).toBe(true);
    expect(c.facts('produce-acked').filter((a) => a.time > 350)).not.toHaveLength(0);
    // The new incarnation starts over: metadata first, then its own correlation ids.
    expect(c.producer(P).durable.boots).toBe(2);
  });
});

describe('determinism', () => {
  const scenario = (seed: string) => {
    const c = new FakeCluster({ seed, brokers: 3, topics: [{ name: 't', partitions: 6 }], network: { latency: { minMs: 1, maxMs: 9 }, drop: 0.02 } });
    c.addProducer(P, { config: { 'request.timeout.ms': 400, 'linger.ms': 3 }, workload: workload({ count: 300, keys: { kind: 'hot', cardinality: 10, hotShare: 0.5 } }) });
    c.addProducer('producer-2', { config: { 'enable.idempotence': true, 'request.timeout.ms': 400 }, workload: workload({ count: 300 }) });
    c.fault(400, 'broker-2', 'drop-responses', { count: 2 });
    c.run(20000);
    return c;
  };

  it('the same seed gives the same trace hash', () => {
    const a = scenario('s1');
    const b = scenario('s1');
    expect(a.sim.traceHash()).toBe(b.sim.traceHash());
    expect(a.facts('produce-acked').length).toBeGreaterThan(0);
  });

  it('a checkpoint taken mid-run continues identically', () => {
    const a = scenario('s2');
    const ref = new FakeCluster({ seed: 's2', brokers: 3, topics: [{ name: 't', partitions: 6 }], network: { latency: { minMs: 1, maxMs: 9 }, drop: 0.02 } });
    ref.addProducer(P, { config: { 'request.timeout.ms': 400, 'linger.ms': 3 }, workload: workload({ count: 300, keys: { kind: 'hot', cardinality: 10, hotShare: 0.5 } }) });
    ref.addProducer('producer-2', { config: { 'enable.idempotence': true, 'request.timeout.ms': 400 }, workload: workload({ count: 300 }) });
    ref.fault(400, 'broker-2', 'drop-responses', { count: 2 });
    ref.run(450);
    const fork = ref.sim.forkFrom(ref.sim.checkpoint());
    fork.runUntil(20000);
    const tail = (t: typeof a.sim.trace) => t.filter((e) => e.time > 450);
    expect(JSON.stringify(tail(fork.trace))).toBe(JSON.stringify(tail(a.sim.trace)));
  });
});
