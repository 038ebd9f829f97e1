/**
 * kafkasim.offsets.storage=zookeeper: committed offsets in ZooKeeper, as the pre-0.9 consumer
 * kept them (ZookeeperConsumerConnector.commitOffsetToZooKeeper / fetchOffsetFromZooKeeper).
 * The consumer holds its own session to the coordinator ensemble; each partition's offset is a
 * decimal string in the persistent znode /consumers/<group>/offsets/<topic>/<partition>.
 *
 * A write is ZkUtils.updatePersistentPath: setData(version -1); on NoNode create the parent path
 * and then the node; on NodeExists during that create, setData again. Every write is a quorum
 * write of the ensemble. Nothing here knows the group's generation: ZooKeeper accepts a commit
 * from a member the group coordinator has already removed, which is the lesson of this design
 * (the 'kafka' store rejects it with ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID).
 *
 * Group membership stays with the broker's group coordinator (group.ts); only commits and
 * committed-offset reads come here. The commit API is the one commits.ts offers: a sync commit
 * retries ConnectionLoss / SessionExpired until default.api.timeout.ms (ZkClient's
 * retryUntilConnected), an async one fails.
 */
import { zkClientCreate, zkClientHandle, zkClientStart, zkCreate, zkGetData, zkIsConnected, zkSetData, type ZkClientState } from '../../coordinator';
import type { ZkClientOutput, ZkErrorCode } from '../../coordinator/api';
import type { NodeContext, NodeEvent, NodeId } from '@kafkasim/engine';
import { emit } from '../../events';
import { commitById, finishCommit, forgetFinishedCommits } from './commits';
import { assigned, groupId, tpKey, type ConsumerEnv } from './env';
import { applyCommittedOffset } from './fetcher';
import type { Commit, TpKey } from './types';

/** One outstanding znode request, by the tag its result comes back with. */
export type ZkOffsetOp =
  /** set: the first setData; create: after NoNode; set-again: the create met NodeExists. */
  | { kind: 'write'; commitId: number; topic: string; partition: number; offset: number; step: 'set' | 'create' | 'set-again' }
  /** A parent znode created on the way (its NodeExists is expected and ignored). */
  | { kind: 'parent'; path: string }
  | { kind: 'read'; topic: string; partition: number };

/** The partition writes of one commit in progress. */
export interface ZkCommitProgress {
  outstanding: number;
  /** Partitions already written: a retry writes only the others. */
  written: TpKey[];
  /** The first error of this round, if any. */
  error: ZkErrorCode | null;
}

export interface ZkOffsetsState {
  client: ZkClientState;
  nextTag: number;
  ops: Record<string, ZkOffsetOp>;
  commits: Record<number, ZkCommitProgress>;
  /** No new write or read before this (retry.backoff.ms after a failure). */
  retryAt: number;
}

const RETRIABLE: ZkErrorCode[] = ['ConnectionLoss', 'SessionExpired'];

/** ZKGroupTopicDirs.consumerOffsetDir + "/" + partition. */
export function offsetPath(group: string, topic: string, partition: number): string {
  return `/consumers/${group}/offsets/${topic}/${partition}`;
}

/** Every ancestor of a path below the root, outermost first (ZkClient.createPersistent(parent, true)). */
function ancestors(path: string): string[] {
  const parts = path.split('/').slice(1, -1);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`);
}

export function createZkOffsetsState(servers: readonly NodeId[], sessionTimeoutMs: number): ZkOffsetsState {
  return { client: zkClientCreate({ servers: [...servers], sessionTimeoutMs }), nextTag: 1, ops: {}, commits: {}, retryAt: 0 };
}

/** Connect at boot: a restarted consumer opens a new session (the old one just expires). */
export function startZkOffsets(z: ZkOffsetsState, ctx: NodeContext): void {
  zkClientStart(z.client, ctx);
}

/** Routes the client library's events (proto 'zk' messages, 'zk:*' timers); false for any other event. */
export function handleZkEvent(env: ConsumerEnv, z: ZkOffsetsState, event: NodeEvent): boolean {
  const outputs = zkClientHandle(z.client, event, env.ctx);
  if (outputs === null) return false;
  for (const output of outputs) onOutput(env, z, output);
  return true;
}

function nextTag(z: ZkOffsetsState, op: ZkOffsetOp): string {
  const tag = `offsets:${z.nextTag++}`;
  z.ops[tag] = op;
  return tag;
}

// ---- commits ---------------------------------------------------------------------------------

/**
 * Sends the commits that can go now. Unlike the OffsetCommit path there is no generation and no
 * group coordinator to wait for: whatever the member's standing in the group, the write goes out.
 */
export function sendPendingZkCommits(env: ConsumerEnv, z: ZkOffsetsState): boolean {
  const { m, ctx } = env;
  let progress = false;
  const connected = zkIsConnected(z.client);
  for (const commit of m.commits) {
    if (commit.sent || commit.result !== null) continue;
    if (ctx.now - commit.startedMs >= env.cfg['default.api.timeout.ms']) {
      failCommit(env, z, commit);
      progress = true;
      continue;
    }
    if (!connected && !commit.sync) {
      // The request would fail with ConnectionLoss at once, and commitAsync does not retry.
      failCommit(env, z, commit);
      progress = true;
      continue;
    }
    // A sync commit waits for the session to come back (ZkClient.retryUntilConnected).
    if (!connected || ctx.now < z.retryAt) continue;
    writeCommit(env, z, commit);
    progress = true;
  }
  forgetFinishedCommits(env);
  return progress;
}

function writeCommit(env: ConsumerEnv, z: ZkOffsetsState, commit: Commit): void {
  const progress = z.commits[commit.id] ?? { outstanding: 0, written: [], error: null };
  z.commits[commit.id] = progress;
  progress.error = null;
  for (const o of commit.offsets) {
    if (progress.written.includes(tpKey(o.topic, o.partition))) continue;
    const tag = nextTag(z, { kind: 'write', commitId: commit.id, topic: o.topic, partition: o.partition, offset: o.offset, step: 'set' });
    zkSetData(z.client, env.ctx, offsetPath(groupId(env), o.topic, o.partition), String(o.offset), -1, tag);
    progress.outstanding += 1;
  }
  commit.sent = true;
  env.m.counters.commitsSent += 1;
  if (progress.outstanding === 0) settleCommit(env, z, commit.id);
}

function failCommit(env: ConsumerEnv, z: ZkOffsetsState, commit: Commit): void {
  delete z.commits[commit.id];
  finishCommit(env, commit, 'failed');
}

function onWriteResult(env: ConsumerEnv, z: ZkOffsetsState, op: Extract<ZkOffsetOp, { kind: 'write' }>, result: Extract<ZkClientOutput, { type: 'result' }>): void {
  const path = offsetPath(groupId(env), op.topic, op.partition);
  if (result.ok) return written(env, z, op);
  if (op.step === 'set' && result.error === 'NoNode') {
    // updatePersistentPath: createParentPath, then createPersistent. One session's requests are
    // applied in order, so the parents exist by the time the node's create is applied.
    for (const parent of ancestors(path)) zkCreate(z.client, env.ctx, parent, null, {}, nextTag(z, { kind: 'parent', path: parent }));
    zkCreate(z.client, env.ctx, path, String(op.offset), {}, nextTag(z, { ...op, step: 'create' }));
    return;
  }
  if (op.step === 'create' && result.error === 'NodeExists') {
    // Someone else created it meanwhile: overwrite, as writeData does.
    zkSetData(z.client, env.ctx, path, String(op.offset), -1, nextTag(z, { ...op, step: 'set-again' }));
    return;
  }
  const progress = z.commits[op.commitId];
  if (!progress) return;
  progress.error ??= result.error;
  progress.outstanding -= 1;
  if (progress.outstanding === 0) settleCommit(env, z, op.commitId);
}

function written(env: ConsumerEnv, z: ZkOffsetsState, op: Extract<ZkOffsetOp, { kind: 'write' }>): void {
  const g = env.m.group;
  env.m.committed[tpKey(op.topic, op.partition)] = op.offset;
  emit(env.ctx, {
    event: 'offset-committed', group: groupId(env), member: g.memberId, topic: op.topic, partition: op.partition, offset: op.offset,
    generation: g.generation, store: 'zookeeper',
  });
  const progress = z.commits[op.commitId];
  if (!progress) return;
  progress.written.push(tpKey(op.topic, op.partition));
  progress.outstanding -= 1;
  if (progress.outstanding === 0) settleCommit(env, z, op.commitId);
}

/** Every write of this round answered: the commit succeeded, goes again, or failed. */
function settleCommit(env: ConsumerEnv, z: ZkOffsetsState, commitId: number): void {
  const progress = z.commits[commitId];
  const commit = commitById(env, commitId);
  if (!commit || commit.result !== null) {
    delete z.commits[commitId];
    return;
  }
  if (progress.error === null) {
    delete z.commits[commitId];
    return finishCommit(env, commit, 'ok');
  }
  if (commit.sync && RETRIABLE.includes(progress.error)) {
    commit.sent = false;
    z.retryAt = env.ctx.now + env.cfg['retry.backoff.ms'];
    return;
  }
  failCommit(env, z, commit);
}

// ---- committed offsets -------------------------------------------------------------------------

const reading = (z: ZkOffsetsState, topic: string, partition: number) =>
  Object.values(z.ops).some((op) => op.kind === 'read' && op.topic === topic && op.partition === partition);

/** fetchOffsetFromZooKeeper for newly assigned partitions: one getData per partition. */
export function maybeFetchZkCommitted(env: ConsumerEnv, z: ZkOffsetsState): boolean {
  const waiting = env.m.assignment.filter((p) => p.status === 'awaiting-committed' && !reading(z, p.topic, p.partition));
  if (waiting.length === 0 || !zkIsConnected(z.client) || env.ctx.now < z.retryAt) return false;
  for (const p of waiting) {
    zkGetData(z.client, env.ctx, offsetPath(groupId(env), p.topic, p.partition), {}, nextTag(z, { kind: 'read', topic: p.topic, partition: p.partition }));
  }
  return true;
}

function onReadResult(env: ConsumerEnv, z: ZkOffsetsState, op: Extract<ZkOffsetOp, { kind: 'read' }>, result: Extract<ZkClientOutput, { type: 'result' }>): void {
  const p = assigned(env, op.topic, op.partition);
  if (!p || p.status !== 'awaiting-committed') return;
  if (result.ok || result.error === 'NoNode') {
    // No node (or not a number) is OffsetMetadataAndError.NoOffset: auto.offset.reset applies.
    const offset = result.ok ? Number(result.data) : -1;
    return applyCommittedOffset(env, p, Number.isInteger(offset) && offset >= 0 ? offset : -1);
  }
  // ConnectionLoss / SessionExpired: read again once connected.
  z.retryAt = env.ctx.now + env.cfg['retry.backoff.ms'];
}

// ---- client outputs ----------------------------------------------------------------------------

function onOutput(env: ConsumerEnv, z: ZkOffsetsState, output: ZkClientOutput): void {
  // Session changes need nothing: no ephemerals here, and waiting work resumes in settle().
  if (output.type !== 'result') return;
  const op = z.ops[output.tag];
  if (!op) return;
  delete z.ops[output.tag];
  if (op.kind === 'write') onWriteResult(env, z, op, output);
  else if (op.kind === 'read') onReadResult(env, z, op, output);
}
