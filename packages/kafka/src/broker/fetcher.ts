/**
 * The follower's replica fetcher (Kafka's ReplicaFetcherThread, one per leader broker): one
 * request on the wire at a time, truncation first (OffsetsForLeaderEpoch), then long-polled
 * Fetch requests for every partition followed from that leader. A follower appends what it
 * gets and sets its HW = min(its LEO, the leader's HW in the response).
 */
import type { NodeId } from '@kafkasim/engine';
import { truncationHas, truncationRule } from '../config';
import { emit } from '../events';
import type {
  FetchRequest, FetchResponse, ListOffsetsRequest, ListOffsetsResponse, OffsetsForLeaderEpochRequest,
  OffsetsForLeaderEpochResponse,
} from '../protocol';
import { allRecords, appendAsFollower, latestEpoch, truncateFullyAndStartAt } from '../storage';
import { INTER_BROKER_TIMEOUT_MS, nextCorrelationId, REPLICA_FETCH_BACKOFF_MS, type Broker } from './context';
import { flushRolledSegments, recordValues } from './leaderAppend';
import { advanceHighWatermark, logOf } from './partition';
import { kip101TruncationFor, truncateFactRule, truncateReplica, truncationFor } from './truncation';
import { isThrottled, recordThrottledBytes, shouldFollowerThrottle } from './replicationQuota';
import { recordSizeBytes } from '../storage';
import { tpKey, type FetcherInFlight, type PartitionReplica } from './types';

type Phase = 'truncating' | 'out-of-range' | 'fetching';

function followed(b: Broker, leader: NodeId): PartitionReplica[] {
  // In key order (what sorting the keys gives: string < compares code units, as sort() does),
  // each one inserted into place as it is found: a round follows a few partitions, and a key
  // array, its sort and a map made three arrays every round. A placed partition's key is its
  // tpKey, the string it is stored under, so no array of keys is kept beside them either.
  const partitions = b.v.partitions;
  const out: PartitionReplica[] = [];
  for (const key in partitions) {
    const p = partitions[key];
    if (p.role !== 'follower' || p.leader !== leader || p.sync === null) continue;
    let i = out.length;
    while (i > 0 && key < tpKey(out[i - 1].topic, out[i - 1].partition)) {
      out[i] = out[i - 1];
      i -= 1;
    }
    out[i] = p;
  }
  return out;
}

/** Whether one of the followed partitions is in `phase` and not backing off. */
function anyInPhase(b: Broker, parts: PartitionReplica[], phase: Phase): boolean {
  for (let i = 0; i < parts.length; i++) if (parts[i].sync?.phase === phase && !isDelayed(b, parts[i])) return true;
  return false;
}

/** The followed partitions in `phase` and not backing off. */
function inPhase(b: Broker, parts: PartitionReplica[], phase: Phase): PartitionReplica[] {
  return parts.filter((p) => p.sync?.phase === phase && !isDelayed(b, p));
}

const sync = (phase: Phase, leaderLogStart = 0) => ({ phase, delayedUntilMs: 0, leaderLogStart });

function delay(b: Broker, p: PartitionReplica): void {
  if (p.sync) p.sync.delayedUntilMs = b.ctx.now + REPLICA_FETCH_BACKOFF_MS;
}

const isDelayed = (b: Broker, p: PartitionReplica): boolean => p.sync !== null && p.sync.delayedUntilMs > b.ctx.now;

/**
 * KIP-320 (Kafka 2.1+): the follower names the leader epoch it follows, so a leader in another
 * epoch refuses (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH) instead of answering from a log
 * that the follower's view of the partition does not match. Before it, -1: nothing checked.
 */
const currentLeaderEpoch = (b: Broker, p: PartitionReplica): number => (truncationHas(b.env.config, 'kip-320') ? p.leaderEpoch : -1);

/**
 * After LeaderAndIsr made this broker a follower (or changed its leader epoch). `previousSync`:
 * where the fetcher was with this partition before, when it already followed.
 */
export function startFollowing(b: Broker, p: PartitionReplica, leaderChanged: boolean, previousSync: PartitionReplica['sync'] = null): void {
  if (p.leader === null) return;
  const rule = truncationRule(b.env.config);
  if (!leaderChanged && previousSync && (rule === 'kip-101' || rule === 'kip-279')) {
    // Kafka < 2.1: Partition.makeFollower reported no change for a new epoch under the same
    // leader, so the fetcher went on where it was, without truncating again. KIP-320's
    // Kafka 2.1 truncates on every epoch change (the TLA+ spec's "crucial" step).
    p.sync = Object.assign({}, previousSync);
  } else if (rule === 'high-watermark') {
    // Pre-0.11 makeFollowers: cut to the own HW at once (only when the leader changed, as then).
    if (leaderChanged) truncateReplica(b, p, p.highWatermark, 'high-watermark');
    p.sync = sync('fetching');
  } else {
    p.sync = sync('truncating');
  }
  if (!b.v.fetchers[p.leader]) b.v.fetchers[p.leader] = { leader: p.leader, inFlight: null, backoffTimerId: null };
  runFetcher(b, p.leader);
}

function send(b: Broker, leader: NodeId, api: FetcherInFlight['api'], partitions: FetcherInFlight['partitions'], payload: object): void {
  const correlationId = nextCorrelationId(b);
  // The payload is made fresh by the caller for this request and not sent yet: it takes its
  // correlation id as its last key (what a copy with it would be, without the copy).
  const request = payload as { correlationId: number };
  request.correlationId = correlationId;
  const wait = api === 'Fetch' ? b.env.config['replica.fetch.wait.max.ms'] : 0;
  const timerId = b.ctx.setTimer(wait + INTER_BROKER_TIMEOUT_MS, 'broker:fetcher-timeout', { leader, correlationId });
  b.v.fetchers[leader].inFlight = { correlationId, api, partitions, timerId };
  b.ctx.send(leader, request);
}

/** AbstractFetcherThread.doWork: truncate first, then fetch. */
export function runFetcher(b: Broker, leader: NodeId): void {
  const fetcher = b.v.fetchers[leader];
  if (!fetcher || fetcher.inFlight || fetcher.backoffTimerId !== null) return;
  const parts = followed(b, leader);
  // Nearly every round every partition is fetching: the truncation and out-of-range phases are
  // looked for only when a partition is in one.
  if (anyInPhase(b, parts, 'truncating')) {
    // A log without epochs (empty, or written before any epoch) falls back to the HW.
    for (const p of inPhase(b, parts, 'truncating')) {
      if (latestEpoch(logOf(b, p.topic, p.partition)) === undefined) {
        truncateReplica(b, p, p.highWatermark, 'leader-epoch');
        p.sync = sync('fetching');
      }
    }
    const truncating = inPhase(b, parts, 'truncating');
    if (truncating.length > 0) {
      const partitions = truncating.map((p) => ({ key: tpKey(p.topic, p.partition), leaderEpoch: p.leaderEpoch, fetchOffset: -1 }));
      const request: Omit<OffsetsForLeaderEpochRequest, 'correlationId'> = {
        api: 'OffsetsForLeaderEpoch', replicaId: b.self,
        partitions: truncating.map((p) => ({
          topic: p.topic, partition: p.partition, currentLeaderEpoch: currentLeaderEpoch(b, p),
          leaderEpoch: latestEpoch(logOf(b, p.topic, p.partition))!,
        })),
      };
      return send(b, leader, 'OffsetsForLeaderEpoch', partitions, request);
    }
  }
  if (anyInPhase(b, parts, 'out-of-range')) {
    const outOfRange = inPhase(b, parts, 'out-of-range');
    const partitions = outOfRange.map((p) => ({ key: tpKey(p.topic, p.partition), leaderEpoch: p.leaderEpoch, fetchOffset: -1 }));
    const request: Omit<ListOffsetsRequest, 'correlationId'> = {
      api: 'ListOffsets', replicaId: b.self, isolationLevel: 'read_uncommitted',
      partitions: outOfRange.map((p) => ({ topic: p.topic, partition: p.partition, timestamp: -1 })),
    };
    return send(b, leader, 'ListOffsets', partitions, request);
  }
  // KIP-73: a throttled replica out of the ISR waits while the follower's quota is used up.
  // The fetching partitions in order, the throttled ones left out, in one pass.
  const partitions: FetcherInFlight['partitions'] = [];
  const requested: FetchRequest['partitions'] = [];
  let throttled = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p.sync?.phase !== 'fetching' || isDelayed(b, p)) continue;
    if (shouldFollowerThrottle(b, p)) {
      throttled += 1;
      continue;
    }
    const key = tpKey(p.topic, p.partition);
    const fetchOffset = logOf(b, p.topic, p.partition, key).logEndOffset;
    partitions.push({ key, leaderEpoch: p.leaderEpoch, fetchOffset });
    requested.push({ topic: p.topic, partition: p.partition, fetchOffset, currentLeaderEpoch: currentLeaderEpoch(b, p) });
  }
  if (partitions.length > 0) {
    const request: Omit<FetchRequest, 'correlationId'> = {
      api: 'Fetch', replicaId: b.self, maxWaitMs: b.env.config['replica.fetch.wait.max.ms'], minBytes: 1,
      maxBytes: b.env.config['replica.fetch.max.bytes'], isolationLevel: 'read_uncommitted',
      partitions: requested,
    };
    return send(b, leader, 'Fetch', partitions, request);
  }
  if (throttled > 0) {
    fetcher.backoffTimerId = b.ctx.setTimer(REPLICA_FETCH_BACKOFF_MS, 'broker:fetcher-backoff', { leader });
    return;
  }
  const delayed = parts.filter((p) => isDelayed(b, p));
  if (delayed.length > 0) {
    const until = Math.min(...delayed.map((p) => p.sync!.delayedUntilMs));
    fetcher.backoffTimerId = b.ctx.setTimer(Math.max(until - b.ctx.now, 1), 'broker:fetcher-backoff', { leader });
    return;
  }
  delete b.v.fetchers[leader];
}

export function onFetcherBackoff(b: Broker, leader: NodeId): void {
  const fetcher = b.v.fetchers[leader];
  if (!fetcher) return;
  fetcher.backoffTimerId = null;
  runFetcher(b, leader);
}

export function onFetcherTimeout(b: Broker, leader: NodeId, correlationId: number): void {
  const fetcher = b.v.fetchers[leader];
  if (!fetcher || fetcher.inFlight?.correlationId !== correlationId) return;
  fetcher.inFlight = null;
  // The leader is gone or unreachable: back off every partition, keep its phase.
  for (const p of followed(b, leader)) delay(b, p);
  runFetcher(b, leader);
}

/** The partition as it was when the request left, if nothing about it changed since. */
function stillWaiting(b: Broker, leader: NodeId, entry: FetcherInFlight['partitions'][number], phase: Phase): PartitionReplica | null {
  const p = b.v.partitions[entry.key];
  if (!p || p.role !== 'follower' || p.leader !== leader || p.leaderEpoch !== entry.leaderEpoch) return null;
  return p.sync?.phase === phase && !isDelayed(b, p) ? p : null;
}

function onEpochAnswer(b: Broker, leader: NodeId, inFlight: FetcherInFlight, response: OffsetsForLeaderEpochResponse): void {
  for (const entry of inFlight.partitions) {
    const p = stillWaiting(b, leader, entry, 'truncating');
    const answer = response.partitions.find((x) => tpKey(x.topic, x.partition) === entry.key);
    if (!p || !answer) continue;
    if (answer.error !== 'NONE') {
      // FENCED_LEADER_EPOCH: the LeaderAndIsr of the newer epoch is on its way; UNKNOWN_LEADER_EPOCH:
      // the leader has not heard of ours yet. Either way ask again after the backoff.
      delay(b, p);
      continue;
    }
    const step = truncationHas(b.env.config, 'kip-279') ? truncationFor(b, p, answer) : kip101TruncationFor(b, p, answer);
    truncateReplica(b, p, step.offset, 'leader-epoch');
    if (step.completed) p.sync = sync('fetching');
  }
}

function onLatestOffset(b: Broker, leader: NodeId, inFlight: FetcherInFlight, response: ListOffsetsResponse): void {
  for (const entry of inFlight.partitions) {
    const p = stillWaiting(b, leader, entry, 'out-of-range');
    const answer = response.partitions.find((x) => tpKey(x.topic, x.partition) === entry.key);
    if (!p || !answer) continue;
    if (answer.error !== 'NONE') {
      delay(b, p);
      continue;
    }
    const log = logOf(b, p.topic, p.partition);
    // ReplicaFetcherThread.handleOutOfRangeError: behind the leader's start, or ahead of its end.
    const leaderLogStart = p.sync!.leaderLogStart;
    if (answer.offset < log.logEndOffset) truncateReplica(b, p, answer.offset, truncateFactRule(b.env.config));
    else if (log.logEndOffset < leaderLogStart) {
      // Our whole log is older than the leader's: start over at the leader's log start.
      const from = log.logEndOffset;
      const removedIds = allRecords(log).map((r) => r.value);
      truncateFullyAndStartAt(log, leaderLogStart);
      p.highWatermark = log.logEndOffset;
      emit(b.ctx, { event: 'truncate', topic: p.topic, partition: p.partition, broker: b.self, from, to: 0, rule: truncateFactRule(b.env.config), removedIds });
    }
    p.sync = sync('fetching');
  }
}

/**
 * The response's answer for the i-th requested partition (the first with its key). The leader
 * answers in the order asked, so that is nearly always the i-th: looked at first.
 */
function answerAt<T extends { topic: string; partition: number }>(answers: T[], i: number, key: string): T | undefined {
  const same = answers[i];
  if (same !== undefined && tpKey(same.topic, same.partition) === key) {
    let earlier = false;
    for (let j = 0; j < i && !earlier; j++) earlier = tpKey(answers[j].topic, answers[j].partition) === key;
    if (!earlier) return same;
  }
  for (let j = 0; j < answers.length; j++) if (tpKey(answers[j].topic, answers[j].partition) === key) return answers[j];
  return undefined;
}

function onFetchData(b: Broker, leader: NodeId, inFlight: FetcherInFlight, response: FetchResponse): void {
  for (let i = 0; i < inFlight.partitions.length; i++) {
    const entry = inFlight.partitions[i];
    const p = stillWaiting(b, leader, entry, 'fetching');
    const data = answerAt(response.partitions, i, entry.key);
    if (!p || !data) continue;
    // The entry's key is the partition's (runFetcher made it): logOf need not build it again.
    const log = logOf(b, p.topic, p.partition, entry.key);
    if (log.logEndOffset !== entry.fetchOffset) continue;
    if (data.error === 'OFFSET_OUT_OF_RANGE') {
      p.sync = sync('out-of-range', data.logStartOffset);
      continue;
    }
    if (data.error !== 'NONE') {
      delay(b, p);
      continue;
    }
    if (data.records.length > 0) {
      const before = log.segments.length;
      const info = appendAsFollower(log, data.records);
      flushRolledSegments(log, before);
      if (isThrottled(b, 'follower', p.topic, p.partition)) recordThrottledBytes(b, 'follower', data.records.reduce((sum, r) => sum + recordSizeBytes(r), 0));
      emit(b.ctx, {
        event: 'append', topic: p.topic, partition: p.partition, broker: b.self, role: 'follower',
        leaderEpoch: p.leaderEpoch, firstOffset: info.firstOffset, lastOffset: info.lastOffset,
        ids: recordValues(data.records),
      });
    }
    advanceHighWatermark(b, p, Math.min(log.logEndOffset, data.highWatermark), log);
  }
}

export function handleFetcherResponse(b: Broker, leader: NodeId, payload: FetchResponse | OffsetsForLeaderEpochResponse | ListOffsetsResponse): boolean {
  const fetcher = b.v.fetchers[leader];
  const inFlight = fetcher?.inFlight;
  if (!inFlight || inFlight.correlationId !== payload.correlationId) return false;
  fetcher.inFlight = null;
  b.ctx.cancelTimer(inFlight.timerId);
  if (payload.api === 'FetchResponse') onFetchData(b, leader, inFlight, payload);
  else if (payload.api === 'OffsetsForLeaderEpochResponse') onEpochAnswer(b, leader, inFlight, payload);
  else onLatestOffset(b, leader, inFlight, payload);
  runFetcher(b, leader);
  return true;
}
