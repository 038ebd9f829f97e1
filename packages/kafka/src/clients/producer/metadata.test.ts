import { describe, expect, it } from 'vitest';
import type { MetadataResponse, PartitionMetadata } from '../../protocol';
import { addTopic, availablePartitions, handleMetadataResponse, partitionsForNode } from './metadata';
import { testEnv } from './testing/env';

const partition = (p: number, leader: string | null, leaderEpoch = 0): PartitionMetadata => ({
  partition: p, leader, leaderEpoch, replicas: ['broker-1', 'broker-2'], isr: ['broker-1'], error: 'NONE',
});

const response = (partitions: PartitionMetadata[]): MetadataResponse => ({
  api: 'MetadataResponse', correlationId: 1, brokers: ['broker-1', 'broker-2'], controller: 'broker-1',
  topics: [{ name: 't', error: 'NONE', partitions }],
});

describe('the partitions with a leader (Cluster.availablePartitionsForTopic)', () => {
  it('follows every metadata response, including one for the same partitions with other leaders', () => {
    const env = testEnv({}, { t: [] });
    expect(availablePartitions(env, 't')).toEqual([]);
    handleMetadataResponse(env, response([partition(2, 'broker-1'), partition(0, null), partition(1, 'broker-2')]));
    expect(availablePartitions(env, 't')).toEqual([1, 2]);
    expect(availablePartitions(env, 't')).toBe(availablePartitions(env, 't'));
    handleMetadataResponse(env, response([partition(0, 'broker-2', 1), partition(1, null, 1), partition(2, 'broker-1', 1)]));
    expect(availablePartitions(env, 't')).toEqual([0, 2]);
    expect(availablePartitions(env, 'unknown')).toEqual([]);
  });

  it('is the same list after the state went through structuredClone (a checkpoint)', () => {
    const env = testEnv({}, { t: [] });
    handleMetadataResponse(env, response([partition(0, 'broker-1'), partition(1, null)]));
    const restored = { ...env, m: structuredClone(env.m) };
    expect(availablePartitions(restored, 't')).toEqual([0]);
    expect(Object.isFrozen(availablePartitions(restored, 't'))).toBe(true);
  });
});

describe('the partitions a node leads (Cluster.partitionsForNode)', () => {
  it('follows every metadata response, over the topics in the order they were added', () => {
    const env = testEnv({}, { t: [] });
    expect(partitionsForNode(env, 'broker-1')).toEqual([]);
    handleMetadataResponse(env, response([partition(0, 'broker-1'), partition(1, 'broker-2'), partition(2, 'broker-1'), partition(3, null)]));
    expect(partitionsForNode(env, 'broker-1')).toEqual([{ topic: 't', partition: 0 }, { topic: 't', partition: 2 }]);
    expect(partitionsForNode(env, 'broker-2')).toEqual([{ topic: 't', partition: 1 }]);
    handleMetadataResponse(env, response([partition(0, 'broker-2', 1), partition(1, 'broker-2', 1), partition(2, 'broker-1', 1)]));
    expect(partitionsForNode(env, 'broker-2')).toEqual([{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
    addTopic(env, 'u');
    handleMetadataResponse(env, {
      ...response([]),
      topics: [{ name: 'u', error: 'NONE', partitions: [partition(0, 'broker-1')] }, { name: 't', error: 'NONE', partitions: [partition(0, 'broker-1', 2)] }],
    });
    // A response lists a topic's partitions whole: t has only partition 0 now.
    expect(partitionsForNode(env, 'broker-1')).toEqual([{ topic: 't', partition: 0 }, { topic: 'u', partition: 0 }]);
    expect(partitionsForNode(env, 'broker-3')).toEqual([]);
  });
});
