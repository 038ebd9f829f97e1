import { describe, expect, it } from 'vitest';
import { assignReplicasToBrokers, InvalidReplicationFactorError } from './assignment';

describe('assignReplicasToBrokers (AdminUtils, rack-unaware)', () => {
  it("matches Kafka's AdminTest.testReplicaAssignment (5 brokers, 10 partitions, RF 3, fixed start index 0)", () => {
    expect(assignReplicasToBrokers([0, 1, 2, 3, 4], 10, 3, 0, 0)).toEqual([
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
      [3, 4, 0],
      [4, 0, 1],
      [0, 2, 3],
      [1, 3, 4],
      [2, 4, 0],
      [3, 0, 1],
      [4, 1, 2],
    ]);
  });

  it("rejects a replication factor of 0 or larger than the broker count, as AdminTest does", () => {
    expect(() => assignReplicasToBrokers([0, 1, 2, 3, 4], 10, 0, 0, 0)).toThrow(InvalidReplicationFactorError);
    expect(() => assignReplicasToBrokers([0, 1, 2, 3, 4], 10, 6, 0, 0)).toThrow(InvalidReplicationFactorError);
  });

  it('uses broker ids, not positions, and starts at startIndex', () => {
    // brokers 1..3, start at index 2 (broker 3), shift 1: followers are 2 positions after the leader.
    expect(assignReplicasToBrokers([1, 2, 3], 3, 2, 2, 1)).toEqual([[3, 2], [1, 3], [2, 1]]);
  });

  it('the shift grows every n partitions, so a second round gets different followers', () => {
    const a = assignReplicasToBrokers([1, 2, 3, 4], 8, 2, 0, 0);
    expect(a.slice(0, 4)).toEqual([[1, 2], [2, 3], [3, 4], [4, 1]]);
    expect(a.slice(4)).toEqual([[1, 3], [2, 4], [3, 1], [4, 2]]);
  });

  it('spreads leaders and replicas evenly and never repeats a broker in a partition', () => {
    for (let start = 0; start < 6; start++) {
      for (let shift = 0; shift < 6; shift++) {
        const a = assignReplicasToBrokers([0, 1, 2, 3, 4, 5], 12, 3, start, shift);
        const leaders: Record<number, number> = {};
        const replicas: Record<number, number> = {};
        for (const r of a) {
          expect(new Set(r).size).toBe(3);
          leaders[r[0]] = (leaders[r[0]] ?? 0) + 1;
          for (const b of r) replicas[b] = (replicas[b] ?? 0) + 1;
        }
        expect(Object.values(leaders)).toEqual([2, 2, 2, 2, 2, 2]);
        expect(Object.values(replicas)).toEqual([6, 6, 6, 6, 6, 6]);
      }
    }
  });
});
