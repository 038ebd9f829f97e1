/**
 * Offset commits (ConsumerCoordinator.commitOffsetsSync / commitOffsetsAsync / auto-commit).
 * A commit needs a known coordinator and a stable generation (generationIfStable): during a
 * rebalance it fails like Kafka's RebalanceInProgressException / CommitFailedException.
 * A sync commit retries retriable errors until default.api.timeout.ms; an async one does not.
 * This is the OffsetCommit path (kafkasim.offsets.storage=kafka); zkOffsets.ts is the other one.
 */
import type { ErrorCode, OffsetCommitRequest, OffsetCommitResponse, TopicPartition } from '../../protocol';
import { groupId, tpKey, type ConsumerEnv } from './env';
import { send } from './network';
import type { Commit } from './types';

/** The group-facing side effects a commit error has; implemented in group.ts (avoids a cycle). */
export interface CommitHooks {
  markCoordinatorUnknown(env: ConsumerEnv, reason: string): void;
  resetGeneration(env: ConsumerEnv, reason: string): void;
  requestRejoin(env: ConsumerEnv, reason: string): void;
}

const RETRIABLE: ErrorCode[] = ['COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR', 'REQUEST_TIMED_OUT', 'COORDINATOR_LOAD_IN_PROGRESS'];

/** SubscriptionState.allConsumed: the position of every partition that has one. */
export function allConsumed(env: ConsumerEnv): (TopicPartition & { offset: number })[] {
  return env.m.assignment
    .filter((p) => p.status === 'fetching' && p.position !== null)
    .map((p) => ({ topic: p.topic, partition: p.partition, offset: p.position! }));
}

export function startCommit(env: ConsumerEnv, offsets: (TopicPartition & { offset: number })[], purpose: Commit['purpose'], sync: boolean): Commit {
  const commit: Commit = { id: env.m.nextCommitId++, offsets: offsets.map((o) => ({ ...o })), sync, purpose, startedMs: env.ctx.now, sent: false, result: null };
  if (offsets.length === 0) commit.result = 'ok';
  env.m.commits.push(commit);
  return commit;
}

export function commitById(env: ConsumerEnv, id: number): Commit | undefined {
  return env.m.commits.find((c) => c.id === id);
}

function finish(env: ConsumerEnv, commit: Commit, result: 'ok' | 'failed'): void {
  commit.result = result;
  if (result === 'failed') env.m.counters.commitsFailed += 1;
}

/** For the other commit path (zkOffsets.ts): the commit's outcome is known. */
export const finishCommit = finish;

/** A commit to keep: unfinished, or made for the application or a rebalance, which wait for its result. */
const isKept = (c: ConsumerEnv['m']['commits'][number]): boolean => c.result === null || c.purpose === 'app' || c.purpose === 'rebalance';

/** Finished commits nobody waits for are forgotten. */
export function forgetFinishedCommits(env: ConsumerEnv): void {
  // Every round of settle() asks, and nearly every time there is nothing to forget: no filtered copy then.
  for (const c of env.m.commits) {
    if (!isKept(c)) {
      env.m.commits = env.m.commits.filter(isKept);
      return;
    }
  }
}

/** Sends the commits that can go now; fails those that cannot be made any more. */
export function sendPendingCommits(env: ConsumerEnv): boolean {
  const { m } = env;
  let progress = false;
  for (const commit of m.commits) {
    if (commit.sent || commit.result !== null) continue;
    if (m.group.state !== 'STABLE' || m.group.generation < 0) {
      // generationIfStable() is null: the commit cannot carry a valid generation.
      finish(env, commit, 'failed');
      progress = true;
      continue;
    }
    if (env.ctx.now - commit.startedMs >= env.cfg['default.api.timeout.ms']) {
      finish(env, commit, 'failed');
      progress = true;
      continue;
    }
    if (m.group.coordinator === null || env.ctx.now < m.group.backoffUntil) continue;
    send<Omit<OffsetCommitRequest, 'api' | 'correlationId'>>(env, m.group.coordinator, 'OffsetCommit', {
      groupId: groupId(env),
      generationId: m.group.generation,
      memberId: m.group.memberId,
      offsets: commit.offsets.map((o) => ({ ...o, metadata: '' })),
    }, { commitId: commit.id });
    commit.sent = true;
    m.counters.commitsSent += 1;
    progress = true;
  }
  forgetFinishedCommits(env);
  return progress;
}

export function onOffsetCommitResponse(env: ConsumerEnv, commitId: number, response: OffsetCommitResponse, hooks: CommitHooks): void {
  const commit = commitById(env, commitId);
  if (!commit || commit.result !== null) return;
  const error = response.partitions.find((p) => p.error !== 'NONE')?.error ?? 'NONE';
  if (error === 'NONE') {
    for (const o of commit.offsets) env.m.committed[tpKey(o.topic, o.partition)] = o.offset;
    return finish(env, commit, 'ok');
  }
  if (error === 'COORDINATOR_NOT_AVAILABLE' || error === 'NOT_COORDINATOR' || error === 'REQUEST_TIMED_OUT') {
    hooks.markCoordinatorUnknown(env, `OffsetCommit: ${error}`);
  }
  if (RETRIABLE.includes(error) && commit.sync) {
    commit.sent = false;
    env.m.group.backoffUntil = env.ctx.now + env.cfg['retry.backoff.ms'];
    return;
  }
  if (error === 'UNKNOWN_MEMBER_ID' || error === 'ILLEGAL_GENERATION') hooks.resetGeneration(env, `OffsetCommit: ${error}`);
  if (error === 'REBALANCE_IN_PROGRESS') hooks.requestRejoin(env, 'OffsetCommit: REBALANCE_IN_PROGRESS');
  finish(env, commit, 'failed');
}

/** The commit's request timed out (Kafka disconnects from the coordinator). */
export function onOffsetCommitTimeout(env: ConsumerEnv, commitId: number, hooks: CommitHooks): void {
  const commit = commitById(env, commitId);
  hooks.markCoordinatorUnknown(env, 'OffsetCommit request timed out');
  if (!commit || commit.result !== null) return;
  if (commit.sync) commit.sent = false;
  else finish(env, commit, 'failed');
}

/** Forget a finished commit once its waiter has seen the result. */
export function releaseCommit(env: ConsumerEnv, id: number): void {
  env.m.commits = env.m.commits.filter((c) => c.id !== id);
}

export function pendingCommit(env: ConsumerEnv, purpose: Commit['purpose']): boolean {
  return env.m.commits.some((c) => c.purpose === purpose && c.result === null);
}
