/**
 * Offset commits and fetches (GroupCoordinator.handleCommitOffsets / handleFetchOffsets and
 * GroupMetadataManager.storeOffsets / getOffsets). A commit is answered only when its records
 * are below the high watermark of the group's __consumer_offsets partition.
 */
import type { NodeId } from '@kafkasim/engine';
import { emit } from '../events';
import type {
  ErrorCode, OffsetCommitRequest, OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse, TxnOffsetCommitRequest, TxnOffsetCommitResponse,
} from '../protocol';
import { appendAndPark, type AppendError } from './appends';
import { parked, reply, type GroupEnv } from './env';
import { hasMember, newGroup, touchMember } from './membership';
import { offsetRecord } from './records';
import type { GroupMetadata, PendingAppend } from './types';

type OffsetsWrite = Extract<PendingAppend, { kind: 'offsets' }>;

export function handleOffsetCommit(env: GroupEnv, from: NodeId, req: OffsetCommitRequest): void {
  const to = parked(from, req.correlationId);
  const answerAll = (error: ErrorCode) =>
    reply<OffsetCommitResponse>(env, to, {
      api: 'OffsetCommitResponse',
      partitions: req.offsets.map((o) => ({ topic: o.topic, partition: o.partition, error })),
    });
  let group = env.gc.groups[req.groupId];
  if (!group) {
    // Not relying on group management (generation -1): allowed, the group is created Empty.
    if (req.generationId >= 0) return answerAll('ILLEGAL_GENERATION');
    group = newGroup(env, req.groupId);
  }
  if (group.state === 'Dead') return answerAll('COORDINATOR_NOT_AVAILABLE');
  if (req.generationId < 0 && group.state === 'Empty') return storeOffsets(env, group, req, to);
  if (!hasMember(group, req.memberId)) return answerAll('UNKNOWN_MEMBER_ID');
  if (req.generationId !== group.generationId) return answerAll('ILLEGAL_GENERATION');
  switch (group.state) {
    case 'Stable':
    case 'PreparingRebalance':
      // Commits stay allowed while preparing: an eager member commits before it rejoins.
      touchMember(env, group, req.memberId);
      return storeOffsets(env, group, req, to);
    default:
      // CompletingRebalance: the member has the new generation but not its assignment yet.
      return answerAll('REBALANCE_IN_PROGRESS');
  }
}

/**
 * TxnOffsetCommit (GroupCoordinator.handleTxnCommitOffsets): the offsets are written to the log as
 * transactional records of the producer and kept pending; the transaction's marker decides.
 * KIP-447: a member id and generation, when given, must match the group's (a zombie is fenced).
 */
export function handleTxnOffsetCommit(env: GroupEnv, from: NodeId, req: TxnOffsetCommitRequest): void {
  const to = parked(from, req.correlationId);
  const answerAll = (error: ErrorCode) =>
    reply<TxnOffsetCommitResponse>(env, to, {
      api: 'TxnOffsetCommitResponse',
      partitions: req.offsets.map((o) => ({ topic: o.topic, partition: o.partition, error })),
    });
  const group = env.gc.groups[req.groupId] ?? newGroup(env, req.groupId);
  if (group.state === 'Dead') return answerAll('COORDINATOR_NOT_AVAILABLE');
  if (req.generationId >= 0) {
    if (!hasMember(group, req.memberId)) return answerAll('UNKNOWN_MEMBER_ID');
    if (req.generationId !== group.generationId) return answerAll('ILLEGAL_GENERATION');
  }
  storeOffsets(env, group, { ...req, api: 'OffsetCommit' }, to, req.producerId, req.producerEpoch);
}

function storeOffsets(
  env: GroupEnv, group: GroupMetadata, req: OffsetCommitRequest, to: { from: NodeId; correlationId: number }, producerId?: number, producerEpoch = 0,
): void {
  const transactional = producerId !== undefined;
  const write: Omit<OffsetsWrite, 'id' | 'partition' | 'lastOffset' | 'timerId'> = {
    ...(transactional ? { producerId } : {}),
    kind: 'offsets',
    groupId: group.groupId,
    memberId: req.memberId,
    generationId: req.generationId,
    reply: to,
    offsets: req.offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset, metadata: o.metadata })),
  };
  if (write.offsets.length === 0) {
    if (transactional) return reply<TxnOffsetCommitResponse>(env, to, { api: 'TxnOffsetCommitResponse', partitions: [] });
    return reply<OffsetCommitResponse>(env, to, { api: 'OffsetCommitResponse', partitions: [] });
  }
  const records = write.offsets.map((o) => ({
    ...offsetRecord(group.groupId, o.topic, o.partition, o.offset, o.metadata, env.ctx.now),
    ...(transactional ? { producerId, producerEpoch, sequence: -1, transactional: true } : {}),
  }));
  const result = appendAndPark(env, group.partition, records, write);
  if ('error' in result) onOffsetsStored(env, { ...write, id: -1, partition: group.partition, lastOffset: -1, timerId: -1 }, result.error);
  else if ('done' in result) onOffsetsStored(env, result.done as OffsetsWrite, null);
}

function commitError(error: AppendError): ErrorCode {
  switch (error) {
    case 'NOT_ENOUGH_REPLICAS': return 'COORDINATOR_NOT_AVAILABLE';
    case 'NOT_LEADER_OR_FOLLOWER': return 'NOT_COORDINATOR';
    case 'REQUEST_TIMED_OUT': return 'REQUEST_TIMED_OUT';
  }
}

/** The commit's records are durable (error null) or the write failed. */
export function onOffsetsStored(env: GroupEnv, write: OffsetsWrite, error: AppendError | null): void {
  const group = env.gc.groups[write.groupId];
  const code: ErrorCode = error ? commitError(error) : group && group.state !== 'Dead' ? 'NONE' : 'NOT_COORDINATOR';
  if (write.producerId !== undefined) {
    if (code === 'NONE') {
      const pending = (group!.pendingTxnOffsets ??= {});
      const list = (pending[String(write.producerId)] ??= []);
      for (const o of write.offsets) {
        const i = list.findIndex((x) => x.topic === o.topic && x.partition === o.partition);
        const entry = { ...o, commitTimestamp: env.ctx.now, memberId: write.memberId, generationId: write.generationId };
        if (i >= 0) list[i] = entry;
        else list.push(entry);
      }
    }
    return reply<TxnOffsetCommitResponse>(env, write.reply, {
      api: 'TxnOffsetCommitResponse',
      partitions: write.offsets.map((o) => ({ topic: o.topic, partition: o.partition, error: code })),
    });
  }
  if (code === 'NONE') {
    for (const o of write.offsets) {
      group!.offsets[`${o.topic}:${o.partition}`] = { ...o, commitTimestamp: env.ctx.now };
      emit(env.ctx, {
        event: 'offset-committed',
        group: write.groupId,
        member: write.memberId,
        topic: o.topic,
        partition: o.partition,
        offset: o.offset,
        generation: write.generationId,
      });
    }
  }
  reply<OffsetCommitResponse>(env, write.reply, {
    api: 'OffsetCommitResponse',
    partitions: write.offsets.map((o) => ({ topic: o.topic, partition: o.partition, error: code })),
  });
}

/**
 * OffsetFetch answers from the committed cache whatever the group's state (the group may use
 * Kafka only to store offsets). An empty partition list means "all", as Kafka's null does.
 */
export function handleOffsetFetch(env: GroupEnv, from: NodeId, req: OffsetFetchRequest): void {
  const group = env.gc.groups[req.groupId];
  const committed = group ? group.offsets : {};
  const wanted = req.partitions.length > 0
    ? req.partitions.map((tp) => ({ topic: tp.topic, partition: tp.partition }))
    : Object.keys(committed).sort().map((k) => ({ topic: committed[k].topic, partition: committed[k].partition }));
  reply<OffsetFetchResponse>(env, parked(from, req.correlationId), {
    api: 'OffsetFetchResponse',
    error: 'NONE',
    partitions: wanted.map((tp) => ({ ...tp, offset: committed[`${tp.topic}:${tp.partition}`]?.offset ?? -1, error: 'NONE' })),
  });
}
