/** The group leader rejoins when a topic it assigned changes its partition count or loses its metadata. */
import { describe, expect, it } from 'vitest';
import type { ConsumerEnv } from './env';
import { checkMetadataChange } from './group';

function leaderEnv(assigned: Record<string, number>, topics: Record<string, number>) {
  const partitionList = (n: number) => Array.from({ length: n }, (_, partition) => ({ partition, leader: 'broker-1' }));
  const group = { state: 'STABLE', leaderId: 'm-1', memberId: 'm-1', assignedMetadata: assigned, rejoinNeeded: false, rejoinReason: null as string | null };
  const metadata = { topics: Object.fromEntries(Object.entries(topics).map(([t, n]) => [t, partitionList(n)])) };
  return { env: { m: { group, metadata } } as unknown as ConsumerEnv, group };
}

describe('checkMetadataChange', () => {
  it('keeps the assignment while every assigned topic has its partition count', () => {
    const { env, group } = leaderEnv({ a: 2, b: 3 }, { a: 2, b: 3, c: 1 });
    checkMetadataChange(env);
    expect(group.rejoinNeeded).toBe(false);
    expect(group.assignedMetadata).toEqual({ a: 2, b: 3 });
  });

  it('rejoins when an assigned topic has more partitions', () => {
    const { env, group } = leaderEnv({ a: 2, b: 3 }, { a: 2, b: 4 });
    checkMetadataChange(env);
    expect(group.rejoinNeeded).toBe(true);
    expect(group.rejoinReason).toBe('cached metadata has changed');
    expect(group.assignedMetadata).toBeNull();
  });

  it('rejoins when an assigned topic is gone from the metadata', () => {
    const { env, group } = leaderEnv({ a: 2, b: 3 }, { a: 2 });
    checkMetadataChange(env);
    expect(group.rejoinNeeded).toBe(true);
  });

  it('leaves a follower alone', () => {
    const { env, group } = leaderEnv({ a: 2 }, { a: 5 });
    group.leaderId = 'm-2';
    checkMetadataChange(env);
    expect(group.rejoinNeeded).toBe(false);
  });
});
