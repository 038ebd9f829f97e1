/**
 * Writes to __consumer_offsets with acks=all semantics (offsets.commit.required.acks = -1):
 * a write completes when the partition's high watermark passes its last record, fails at once
 * when the broker cannot append, and times out after offsets.commit.timeout.ms.
 */
import type { RecordInput } from '../storage';
import type { GroupEnv } from './env';
import type { PendingAppend } from './types';

export type AppendError = 'NOT_LEADER_OR_FOLLOWER' | 'NOT_ENOUGH_REPLICAS' | 'REQUEST_TIMED_OUT';

type PendingInput = PendingAppend extends infer P ? (P extends PendingAppend ? Omit<P, 'id' | 'lastOffset' | 'timerId' | 'partition'> : never) : never;

/**
 * Appends and parks the write. Returns the pending write, or the error when the broker refused
 * the append (the caller answers at once). A write whose offset the high watermark already
 * passed (the hook may run inside the append) is returned as complete: `{ done }`.
 */
export function appendAndPark(
  env: GroupEnv,
  partition: number,
  records: Omit<RecordInput, 'leaderEpoch'>[],
  pending: PendingInput,
): { error: AppendError } | { parked: PendingAppend } | { done: PendingAppend } {
  const { gc, ctx, host } = env;
  const result = host.appendToOffsetsPartition(partition, records);
  if ('error' in result) return { error: result.error };
  const id = gc.nextAppendId++;
  const hw = gc.highWatermarks[partition] ?? 0;
  if (result.lastOffset < hw) return { done: { ...pending, id, partition, lastOffset: result.lastOffset, timerId: -1 } as PendingAppend };
  const timerId = ctx.setTimer(gc.config['offsets.commit.timeout.ms'], 'group:append-timeout', { appendId: id });
  const entry = { ...pending, id, partition, lastOffset: result.lastOffset, timerId } as PendingAppend;
  gc.pendingAppends.push(entry);
  return { parked: entry };
}

/** Removes and returns the writes of `partition` that the high watermark `hw` covers, oldest first. */
export function takeCompleted(env: GroupEnv, partition: number, hw: number): PendingAppend[] {
  const done = env.gc.pendingAppends.filter((p) => p.partition === partition && p.lastOffset < hw);
  if (done.length === 0) return [];
  env.gc.pendingAppends = env.gc.pendingAppends.filter((p) => !done.includes(p));
  for (const p of done) env.ctx.cancelTimer(p.timerId);
  return done;
}

export function takeById(env: GroupEnv, appendId: number): PendingAppend | null {
  const found = env.gc.pendingAppends.find((p) => p.id === appendId) ?? null;
  if (found) env.gc.pendingAppends = env.gc.pendingAppends.filter((p) => p !== found);
  return found;
}

export function takeAllOf(env: GroupEnv, partition: number): PendingAppend[] {
  const taken = env.gc.pendingAppends.filter((p) => p.partition === partition);
  env.gc.pendingAppends = env.gc.pendingAppends.filter((p) => p.partition !== partition);
  for (const p of taken) env.ctx.cancelTimer(p.timerId);
  return taken;
}
