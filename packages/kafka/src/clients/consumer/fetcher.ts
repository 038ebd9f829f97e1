/**
 * Positions and fetching: OffsetFetch for newly assigned partitions (where the group left off),
 * auto.offset.reset through ListOffsets, and the Fetcher — one Fetch per leader broker at a time,
 * for partitions without buffered records, long-polled by the broker (fetch.min.bytes,
 * fetch.max.wait.ms). The broker returns only records below the high watermark.
 */
import type { NodeId } from '@kafkasim/engine';
import type { FetchRequest, FetchResponse, ListOffsetsRequest, ListOffsetsResponse, OffsetFetchRequest, OffsetFetchResponse } from '../../protocol';
import { assigned, groupId, tpKey, type ConsumerEnv } from './env';
import { markCoordinatorUnknown } from './group';
import { leaderOf, requestMetadataUpdate } from './metadata';
import { inFlight, send, sendRequest, takeCorrelationId, unreachable } from './network';
import { NO_RECORDS, type StoredRecord } from '../../storage';
import type { InFlightRequest } from './types';
import { leaderEpochOf, positionSet } from './validation';

const LEADER_ERRORS = new Set(['NOT_LEADER_OR_FOLLOWER', 'UNKNOWN_TOPIC_OR_PARTITION', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'LEADER_NOT_AVAILABLE']);

const backedOff = (env: ConsumerEnv, node: NodeId) => env.ctx.now < (env.m.nodeBackoff[node] ?? 0) || unreachable(env, node);

function backOff(env: ConsumerEnv, node: NodeId): void {
  env.m.nodeBackoff[node] = env.ctx.now + env.cfg['retry.backoff.ms'];
}

// ---- committed offsets ----------------------------------------------------------------------

/** Whether an assigned partition is in `status` (a loop: asked in every round of settle()). */
function anyAssignedIn(env: ConsumerEnv, status: ConsumerEnv['m']['assignment'][number]['status']): boolean {
  for (const p of env.m.assignment) if (p.status === status) return true;
  return false;
}

/** ConsumerCoordinator.refreshCommittedOffsetsIfNeeded. */
export function maybeFetchCommitted(env: ConsumerEnv): boolean {
  const g = env.m.group;
  // Nearly every round has no partition waiting: nothing to build then.
  if (!anyAssignedIn(env, 'awaiting-committed')) return false;
  const waiting = env.m.assignment.filter((p) => p.status === 'awaiting-committed');
  if (g.coordinator === null || g.state !== 'STABLE' || inFlight(env, 'OffsetFetch') || env.ctx.now < g.backoffUntil) return false;
  send<Omit<OffsetFetchRequest, 'api' | 'correlationId'>>(env, g.coordinator, 'OffsetFetch', {
    groupId: groupId(env),
    partitions: waiting.map((p) => ({ topic: p.topic, partition: p.partition })),
  });
  return true;
}

export function onOffsetFetchResponse(env: ConsumerEnv, r: OffsetFetchResponse): void {
  if (r.error !== 'NONE') {
    if (r.error === 'NOT_COORDINATOR' || r.error === 'COORDINATOR_NOT_AVAILABLE') markCoordinatorUnknown(env, `OffsetFetch: ${r.error}`);
    env.m.group.backoffUntil = env.ctx.now + env.cfg['retry.backoff.ms'];
    return;
  }
  for (const answer of r.partitions) {
    const p = assigned(env, answer.topic, answer.partition);
    if (!p || p.status !== 'awaiting-committed' || answer.error !== 'NONE') continue;
    applyCommittedOffset(env, p, answer.offset);
  }
}

/** Where the group left off (offset >= 0) becomes the position; none (-1) means auto.offset.reset. */
export function applyCommittedOffset(env: ConsumerEnv, p: ConsumerEnv['m']['assignment'][number], offset: number): void {
  if (offset >= 0) {
    p.position = offset;
    p.status = 'fetching';
    positionSet(env, p, undefined);
    env.m.committed[tpKey(p.topic, p.partition)] = offset;
  } else {
    p.status = env.cfg['auto.offset.reset'] === 'none' ? 'no-offset' : 'awaiting-reset';
  }
}

// ---- auto.offset.reset ------------------------------------------------------------------------

export function maybeResetOffsets(env: ConsumerEnv): boolean {
  // Nearly every round has no partition to reset: nothing to build then.
  if (!anyAssignedIn(env, 'awaiting-reset')) return false;
  const byLeader = new Map<NodeId, { topic: string; partition: number }[]>();
  for (const p of env.m.assignment) {
    if (p.status !== 'awaiting-reset') continue;
    const leader = leaderOf(env, p.topic, p.partition);
    if (leader === null) {
      requestMetadataUpdate(env);
      continue;
    }
    if (inFlight(env, 'ListOffsets', leader) || backedOff(env, leader)) continue;
    if (!byLeader.has(leader)) byLeader.set(leader, []);
    byLeader.get(leader)!.push({ topic: p.topic, partition: p.partition });
  }
  const timestamp = env.cfg['auto.offset.reset'] === 'latest' ? -1 : -2;
  for (const leader of [...byLeader.keys()].sort()) {
    send<Omit<ListOffsetsRequest, 'api' | 'correlationId'>>(env, leader, 'ListOffsets', {
      isolationLevel: env.cfg['isolation.level'],
      partitions: byLeader.get(leader)!.map((tp) => ({ ...tp, timestamp })),
    });
  }
  return byLeader.size > 0;
}

export function onListOffsetsResponse(env: ConsumerEnv, request: InFlightRequest, r: ListOffsetsResponse): void {
  for (const answer of r.partitions) {
    const p = assigned(env, answer.topic, answer.partition);
    if (!p || p.status !== 'awaiting-reset') continue;
    if (answer.error === 'NONE') {
      p.position = answer.offset;
      p.status = 'fetching';
      positionSet(env, p, answer.leaderEpoch);
    } else {
      requestMetadataUpdate(env);
      backOff(env, request.node);
    }
  }
}

// ---- fetching ----------------------------------------------------------------------------------

/** Whether records of the partition wait in the fetch buffer (a loop: sendFetches runs every round). */
function isBuffered(buffer: ConsumerEnv['m']['buffer'], topic: string, partition: number): boolean {
  for (const b of buffer) if (b.partition === partition && b.topic === topic) return true;
  return false;
}

type FetchPartition = FetchRequest['partitions'][number];

/** Fetcher.sendFetches: partitions with a position, no buffered records and a known leader. */
export function sendFetches(env: ConsumerEnv): boolean {
  const buffer = env.m.buffer;
  // Most rounds of settle() fetch nothing, and a fetch mostly goes to one leader: no map and no
  // sort, one small list made only once a partition is to be fetched, kept in leader order (`<`
  // compares strings as the default sort does), and each partition built as the request carries
  // it (KIP-320: with the leader epoch from metadata, -1 from brokers before 2.1: nothing checked).
  let fetches: { leader: NodeId; partitions: FetchPartition[] }[] | null = null;
  for (const p of env.m.assignment) {
    if (p.status !== 'fetching' || p.position === null || isBuffered(buffer, p.topic, p.partition)) continue;
    const leader = leaderOf(env, p.topic, p.partition);
    if (leader === null) {
      requestMetadataUpdate(env);
      continue;
    }
    if (inFlight(env, 'Fetch', leader) || backedOff(env, leader)) continue;
    const partition: FetchPartition = { topic: p.topic, partition: p.partition, fetchOffset: p.position, currentLeaderEpoch: leaderEpochOf(env, p.topic, p.partition) };
    if (fetches === null) {
      // The first leader: the list made with it (no splice into an empty one).
      fetches = [{ leader, partitions: [partition] }];
      continue;
    }
    let at = 0;
    while (at < fetches.length && fetches[at].leader < leader) at += 1;
    if (at < fetches.length && fetches[at].leader === leader) fetches[at].partitions.push(partition);
    else fetches.splice(at, 0, { leader, partitions: [partition] });
  }
  if (fetches === null) return false;
  for (const { leader, partitions } of fetches) {
    const request: FetchRequest = {
      replicaId: null,
      maxWaitMs: env.cfg['fetch.max.wait.ms'],
      minBytes: env.cfg['fetch.min.bytes'],
      maxBytes: env.cfg['fetch.max.bytes'],
      isolationLevel: env.cfg['isolation.level'],
      partitions,
      api: 'Fetch',
      correlationId: takeCorrelationId(env),
    };
    // The broker may hold the fetch for fetch.max.wait.ms before answering.
    sendRequest(env, leader, request, { fetchPartitions: partitions }, env.cfg['request.timeout.ms'] + env.cfg['fetch.max.wait.ms']);
  }
  return true;
}

/**
 * The offset the request fetched the partition from, undefined if it did not ask for it. A loop
 * over the request's few partitions: a record keyed by partition, built per fetch, cost more.
 */
function fetchOffsetOf(request: InFlightRequest, topic: string, partition: number): number | undefined {
  const partitions = request.fetchPartitions;
  if (partitions === undefined) return undefined;
  for (const p of partitions) if (p.partition === partition && p.topic === topic) return p.fetchOffset;
  return undefined;
}

export function onFetchResponse(env: ConsumerEnv, request: InFlightRequest, r: FetchResponse): void {
  for (const part of r.partitions) {
    const p = assigned(env, part.topic, part.partition);
    // Stale answers (the partition moved, or its position changed since) are dropped, as in Kafka.
    if (!p || p.status !== 'fetching' || p.position !== fetchOffsetOf(request, part.topic, part.partition)) continue;
    if (part.error === 'NONE') {
      const { records, lastFetched } = env.cfg['isolation.level'] === 'read_committed'
        ? readCommitted(part.records, p.position!, part.abortedTransactions)
        : readUncommitted(part.records, p.position!);
      if (records.length > 0) env.m.buffer.push({ topic: part.topic, partition: part.partition, records });
      // Only control records or aborted ones: move past them, or the same fetch repeats forever.
      else if (lastFetched !== null) {
        p.position = lastFetched.offset + 1;
        p.offsetEpoch = lastFetched.leaderEpoch;
      }
    } else if (part.error === 'OFFSET_OUT_OF_RANGE') {
      p.position = null;
      p.status = env.cfg['auto.offset.reset'] === 'none' ? 'no-offset' : 'awaiting-reset';
    } else if (LEADER_ERRORS.has(part.error)) {
      requestMetadataUpdate(env);
      backOff(env, request.node);
    } else {
      backOff(env, request.node);
    }
  }
}

/** What a fetched partition gives the buffer, and the last record at or past the position (null: none). */
interface FetchedRecords {
  records: StoredRecord[];
  lastFetched: StoredRecord | null;
}

/** The records at or past `position` except control records, in one pass (every FetchResponse comes through here). */
function readUncommitted(all: StoredRecord[], position: number): FetchedRecords {
  let records: StoredRecord[] | null = null;
  let lastFetched: StoredRecord | null = null;
  for (const rec of all) {
    if (!(rec.offset >= position)) continue;
    lastFetched = rec;
    if (!rec.control) (records ??= []).push(rec);
  }
  return { records: records ?? NO_RECORDS, lastFetched };
}

/** The records at or past `position` that read_committed returns (see committedOnly). */
function readCommitted(all: StoredRecord[], position: number, aborted: { producerId: number; firstOffset: number }[]): FetchedRecords {
  const fetched = all.filter((rec) => rec.offset >= position);
  return { records: committedOnly(fetched, aborted), lastFetched: fetched.length > 0 ? fetched[fetched.length - 1] : null };
}

/**
 * read_committed (Kafka's Fetcher with isolation.level=read_committed): drop control records and
 * the records of aborted transactions. A producer's records become "aborted" from the first
 * offset its aborted transaction reported, until its ABORT marker.
 */
export function committedOnly(records: StoredRecord[], aborted: { producerId: number; firstOffset: number }[]): StoredRecord[] {
  const pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<number>();
  const out: StoredRecord[] = [];
  for (const rec of records) {
    while (pending.length > 0 && pending[0].firstOffset <= rec.offset) abortedProducers.add(pending.shift()!.producerId);
    if (rec.control) {
      if (rec.control === 'ABORT' && rec.producerId !== undefined) abortedProducers.delete(rec.producerId);
      continue;
    }
    if (rec.transactional && rec.producerId !== undefined && abortedProducers.has(rec.producerId)) continue;
    out.push(rec);
  }
  return out;
}

export function onFetchFailed(env: ConsumerEnv, request: InFlightRequest): void {
  // Probably a dead broker: find out who leads now.
  requestMetadataUpdate(env);
  backOff(env, request.node);
}
