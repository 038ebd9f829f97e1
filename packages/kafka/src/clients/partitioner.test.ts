import { describe, expect, it } from 'vitest';
import { partitionForKey, utf8 } from './murmur2';
import { choosePartition, createPartitionerState, onNewBatch, type PartitionerConfig, type PartitionRng } from './partitioner';

/** Replays the given draws in a loop. */
function scriptedRng(draws: number[]): PartitionRng & { calls: number } {
  const rng = {
    calls: 0,
    next(): number {
      return draws[rng.calls++ % draws.length];
    },
  };
  return rng;
}

/** A small deterministic generator (mulberry32) for the longer runs. */
function seededRng(seed: number): PartitionRng {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

const sticky: PartitionerConfig = { keyless: 'sticky' };
const roundRobin: PartitionerConfig = { keyless: 'round-robin' };

describe('explicit partition', () => {
  it('wins over key and strategy', () => {
    const state = createPartitionerState();
    const rng = scriptedRng([0.5]);
    expect(choosePartition({ topic: 't', numPartitions: 5, partition: 3, key: utf8('k') }, sticky, state, rng)).toBe(3);
    expect(choosePartition({ topic: 't', numPartitions: 5, partition: 0 }, roundRobin, state, rng)).toBe(0);
    expect(rng.calls).toBe(0);
    expect(state).toEqual(createPartitionerState());
  });

  it('is validated like KafkaProducer does', () => {
    const state = createPartitionerState();
    const rng = scriptedRng([0.5]);
    expect(() => choosePartition({ topic: 't', numPartitions: 3, partition: 3 }, sticky, state, rng)).toThrow(RangeError);
    expect(() => choosePartition({ topic: 't', numPartitions: 3, partition: -1 }, sticky, state, rng)).toThrow(RangeError);
  });
});

describe('keyed records', () => {
  it('hash with murmur2 over all partitions, whatever the strategy or availability', () => {
    for (const config of [sticky, roundRobin]) {
      const state = createPartitionerState();
      const rng = scriptedRng([0.1]);
      for (const key of ['kafka', 'amqp', 'alice', '']) {
        const expected = partitionForKey(utf8(key), 6);
        // Partition availability is ignored for keyed records: the key owns its partition.
        expect(choosePartition({ topic: 't', numPartitions: 6, key: utf8(key), availablePartitions: [0] }, config, state, rng)).toBe(expected);
      }
      expect(rng.calls).toBe(0);
    }
    expect(choosePartition({ topic: 't', numPartitions: 6, key: utf8('kafka') }, sticky, createPartitionerState(), scriptedRng([0]))).toBe(4);
  });

  it('are spread like keyless ones with partitioner.ignore.keys', () => {
    const state = createPartitionerState();
    const config: PartitionerConfig = { keyless: 'round-robin', ignoreKeys: true };
    const picks = [0, 1, 2, 3].map(() => choosePartition({ topic: 't', numPartitions: 3, key: utf8('key') }, config, state, scriptedRng([0])));
    expect(picks).toEqual([0, 1, 2, 0]);
  });
});

describe('sticky keyless records (KIP-480, StickyPartitionCache)', () => {
  it('stick to one partition until a new batch is needed, then move to a different one', () => {
    const state = createPartitionerState();
    const rng = scriptedRng([0.5, 0.0]);
    const target = { topic: 'topicA', numPartitions: 3 };
    const first = choosePartition(target, sticky, state, rng);
    expect(first).toBe(1); // floor(0.5 * 3)
    expect(choosePartition(target, sticky, state, rng)).toBe(1);
    expect(choosePartition(target, sticky, state, rng)).toBe(1);
    expect(rng.calls).toBe(1);

    const next = onNewBatch('topicA', 3, first, state, rng);
    expect(next).not.toBe(first);
    expect(next).toBe(0); // first of the other candidates [0, 2]
    expect(choosePartition(target, sticky, state, rng)).toBe(0);
    expect(state.stickyPartition).toEqual({ topicA: 0 });
  });

  it('ignores a new batch on a partition that is no longer the sticky one', () => {
    const state = createPartitionerState();
    const rng = scriptedRng([0.9]);
    const p = choosePartition({ topic: 't', numPartitions: 4 }, sticky, state, rng);
    expect(onNewBatch('t', 4, (p + 1) % 4, state, rng)).toBe(p);
    expect(rng.calls).toBe(1);
  });

  it('always returns 0 for a single-partition topic (BuiltInPartitionerTest#testStickyPartitioning)', () => {
    const state = createPartitionerState();
    const rng = seededRng(7);
    for (let i = 0; i < 10; i++) {
      const p = choosePartition({ topic: 'topicB', numPartitions: 1 }, sticky, state, rng);
      expect(p).toBe(0);
      onNewBatch('topicB', 1, p, state, rng);
    }
  });

  it('never picks an unavailable partition when one is available (unavailablePartitionsTest)', () => {
    const state = createPartitionerState();
    const rng = seededRng(42);
    const target = { topic: 'topicA', numPartitions: 3, availablePartitions: [2, 0] };
    const seen = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const p = choosePartition(target, sticky, state, rng);
      expect(p).not.toBe(1);
      seen.add(p);
      onNewBatch('topicA', 3, p, state, rng, target.availablePartitions);
    }
    expect([...seen].sort()).toEqual([0, 2]);

    // Only partition 1 of topicB has a leader: it is always chosen.
    const stateB = createPartitionerState();
    for (let i = 0; i < 20; i++) {
      const p = choosePartition({ topic: 'topicB', numPartitions: 2, availablePartitions: [1] }, sticky, stateB, rng);
      expect(p).toBe(1);
      onNewBatch('topicB', 2, p, stateB, rng, [1]);
    }

    // No partition of topicC has a leader: one is chosen anyway.
    const stateC = createPartitionerState();
    expect(choosePartition({ topic: 'topicC', numPartitions: 1, availablePartitions: [] }, sticky, stateC, rng)).toBe(0);
  });

  it('keeps one sticky partition per topic', () => {
    const state = createPartitionerState();
    const rng = scriptedRng([0.2, 0.7]);
    expect(choosePartition({ topic: 'a', numPartitions: 5 }, sticky, state, rng)).toBe(1);
    expect(choosePartition({ topic: 'b', numPartitions: 5 }, sticky, state, rng)).toBe(3);
    expect(state.stickyPartition).toEqual({ a: 1, b: 3 });
  });

  it('spreads batches over all partitions in the long run', () => {
    const state = createPartitionerState();
    const rng = seededRng(1);
    const counts = [0, 0, 0, 0];
    for (let batch = 0; batch < 4000; batch++) {
      const p = choosePartition({ topic: 't', numPartitions: 4 }, sticky, state, rng);
      counts[p]++;
      onNewBatch('t', 4, p, state, rng);
    }
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
});

describe('round-robin keyless records (RoundRobinPartitioner)', () => {
  it('cycles through available partitions only (testRoundRobinWithUnavailablePartitions)', () => {
    const state = createPartitionerState();
    const rng = scriptedRng([0]);
    const counts = new Map<number, number>();
    for (let i = 0; i < 100; i++) {
      const p = choosePartition({ topic: 'test', numPartitions: 3, availablePartitions: [2, 0] }, roundRobin, state, rng);
      expect([0, 2]).toContain(p);
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    expect(counts.get(0)).toBe(50);
    expect(counts.get(2)).toBe(50);
    expect(rng.calls).toBe(0);
  });

  it('keeps an independent counter per topic (testRoundRobinWithNullKeyBytes)', () => {
    const state = createPartitionerState();
    const rng = scriptedRng([0]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30; i++) {
      counts[choosePartition({ topic: 'topicA', numPartitions: 3 }, roundRobin, state, rng)]++;
      if (i % 5 === 0) choosePartition({ topic: 'topicB', numPartitions: 1 }, roundRobin, state, rng);
    }
    expect(counts).toEqual([10, 10, 10]);
    expect(state.roundRobinCounter).toEqual({ topicA: 30, topicB: 6 });
  });

  it('falls back to all partitions when none is available', () => {
    const state = createPartitionerState();
    const picks = [0, 1, 2, 3].map(() => choosePartition({ topic: 't', numPartitions: 3, availablePartitions: [] }, roundRobin, state, scriptedRng([0])));
    expect(picks).toEqual([0, 1, 2, 0]);
  });

  it('wraps its counter like a Java int', () => {
    const state = createPartitionerState();
    state.roundRobinCounter.t = 2147483647;
    const rng = scriptedRng([0]);
    expect(choosePartition({ topic: 't', numPartitions: 5 }, roundRobin, state, rng)).toBe(2147483647 % 5);
    expect(state.roundRobinCounter.t).toBe(-2147483648);
    // toPositive(-2147483648) = 0
    expect(choosePartition({ topic: 't', numPartitions: 5 }, roundRobin, state, rng)).toBe(0);
  });
});

describe('state', () => {
  it('is plain JSON that replays identically', () => {
    const run = (state = createPartitionerState()) => {
      const rng = seededRng(99);
      const out: number[] = [];
      for (let i = 0; i < 50; i++) {
        const p = choosePartition({ topic: i % 2 ? 'x' : 'y', numPartitions: 7 }, sticky, state, rng);
        out.push(p);
        if (i % 3 === 0) onNewBatch(i % 2 ? 'x' : 'y', 7, p, state, rng);
        out.push(choosePartition({ topic: 'z', numPartitions: 7 }, roundRobin, state, rng));
      }
      return { out, state };
    };
    const a = run();
    const b = run();
    expect(b.out).toEqual(a.out);
    expect(JSON.parse(JSON.stringify(a.state))).toEqual(a.state);
    expect(structuredClone(a.state)).toEqual(b.state);
  });

  it('handles topics named like Object.prototype members', () => {
    const state = createPartitionerState();
    const rng = scriptedRng([0.5]);
    expect(choosePartition({ topic: '__proto__', numPartitions: 4 }, sticky, state, rng)).toBe(2);
    expect(choosePartition({ topic: 'constructor', numPartitions: 4 }, roundRobin, state, rng)).toBe(0);
    expect(Object.keys(state.stickyPartition)).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(state))).toEqual({ stickyPartition: { ['__proto__']: 2 }, roundRobinCounter: { constructor: 1 } });
    // Written again, the entries stay own data properties and the prototype stays Object's.
    expect(choosePartition({ topic: 'constructor', numPartitions: 4 }, roundRobin, state, rng)).toBe(1);
    expect(choosePartition({ topic: '__proto__', numPartitions: 4 }, roundRobin, state, rng)).toBe(0);
    expect(choosePartition({ topic: '__proto__', numPartitions: 4 }, roundRobin, state, rng)).toBe(1);
    expect(Object.getPrototypeOf(state.roundRobinCounter)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(state.roundRobinCounter))).toEqual({ constructor: 2, ['__proto__']: 2 });
  });

  it('rejects an RNG outside [0, 1)', () => {
    expect(() => choosePartition({ topic: 't', numPartitions: 3 }, sticky, createPartitionerState(), scriptedRng([1]))).toThrow(RangeError);
  });
});
