/**
 * The application around the consumer: its poll loop, record processing (virtual time) and
 * commits as the ProcessingModel says, plus its ConsumerRebalanceListener. Facts: 'consumed' when
 * poll() returns a record, 'processed' when its processing completes.
 */
import { emit } from '../../events';
import type { TopicPartition } from '../../protocol';
import { murmur2, toPositive, utf8 } from '../murmur2';
import { allConsumed, commitById, pendingCommit, releaseCommit, startCommit } from './commits';
import { assigned, groupId, tpKey, type ConsumerEnv } from './env';
import { beginBatch, finishOutput, outputReady, setBatchOffsets, writeOutput } from './output';
import type { BufferedRecord } from './types';

export const PROCESS_TIMER = 'process';
export const WORKER_TIMER = 'worker';
/** The application's poll(Duration) in poller-with-workers mode (the loop's commit cadence). */
export const POLL_TIMEOUT_MS = 100;

const usesWorkers = (env: ConsumerEnv) => env.processing.workers !== undefined;
const syncCommits = (env: ConsumerEnv) => (env.processing.commit ?? 'sync') === 'sync';

// ---- poll() ------------------------------------------------------------------------------------

/** What poll() returns with nothing buffered (nearly every round of settle()): one frozen list for all. */
const NOTHING_POLLED: BufferedRecord[] = Object.freeze([]) as unknown as BufferedRecord[];

/** Fetcher.collectFetch: up to max.poll.records buffered records, advancing positions. */
function collect(env: ConsumerEnv, max: number): BufferedRecord[] {
  const m = env.m;
  // poll() runs in nearly every round of settle(), mostly with nothing buffered: no list made then.
  if (m.buffer.length === 0) return NOTHING_POLLED;
  const out: BufferedRecord[] = [];
  let emptied = false;
  for (const fetched of m.buffer) {
    if (out.length >= max) break;
    const p = assigned(env, fetched.topic, fetched.partition);
    if (!p || p.status !== 'fetching' || p.position === null) {
      fetched.records = [];
      emptied = true;
      continue;
    }
    // The records taken are counted and cut off once (not a copy of the rest per record).
    const records = fetched.records;
    let taken = 0;
    while (taken < records.length && out.length < max) {
      const rec = records[taken];
      taken += 1;
      if (rec.offset < p.position) continue;
      out.push({ topic: fetched.topic, partition: fetched.partition, offset: rec.offset, key: rec.key, value: rec.value });
      p.position = rec.offset + 1;
      p.offsetEpoch = rec.leaderEpoch;
    }
    if (taken > 0) fetched.records = records.slice(taken);
    if (fetched.records.length === 0) emptied = true;
  }
  if (emptied) m.buffer = m.buffer.filter((b) => b.records.length > 0);
  if (out.length > 0) {
    m.counters.polls += 1;
    m.counters.recordsReturned += out.length;
    for (const r of out) {
      emit(env.ctx, { event: 'consumed', group: groupId(env), member: env.self, topic: r.topic, partition: r.partition, offset: r.offset, id: r.value, key: r.key });
    }
  }
  return out;
}

function processed(env: ConsumerEnv, r: BufferedRecord): void {
  env.m.counters.processed += 1;
  env.disk.processed += 1;
  emit(env.ctx, { event: 'processed', group: groupId(env), member: env.self, topic: r.topic, partition: r.partition, offset: r.offset, id: r.value });
  const crash = env.processing.crash;
  if (crash && env.disk.processed === crash.afterProcessed) {
    // The scripted crash point: nothing after this record happens (no commit, no next record).
    env.m.crashing = true;
    env.ctx.crashSelf(crash.restartAfterMs);
    return;
  }
  writeOutput(env, r);
}

/** Runs the application as far as it can go now. Returns true when something changed. */
export function runApp(env: ConsumerEnv): boolean {
  const m = env.m;
  const app = m.app;
  switch (app.phase) {
    case 'polling':
      m.lastPollMs = env.ctx.now;
      return usesWorkers(env) ? runPoller(env) : runSingleThread(env);
    case 'committing-before': {
      const commit = commitById(env, app.commitId);
      if (!commit || commit.result === null) return false;
      releaseCommit(env, commit.id);
      // commitSync threw (CommitFailedException): the loop body is abandoned, back to poll().
      if (commit.result === 'ok') startProcessing(env, app.records);
      else m.app = { phase: 'polling' };
      return true;
    }
    case 'committing-after': {
      const commit = commitById(env, app.commitId);
      if (!commit || commit.result === null) return false;
      releaseCommit(env, commit.id);
      m.app = { phase: 'polling' };
      return true;
    }
    case 'poller-committing': {
      const commit = commitById(env, app.commitId);
      if (!commit || commit.result === null) return false;
      releaseCommit(env, commit.id);
      const then = app.then;
      m.app = { phase: 'polling' };
      if (then && commit.result === 'ok') dispatch(env, then);
      return true;
    }
    case 'finishing-output': {
      const { done, ok } = finishOutput(env);
      if (!done) return false;
      if (!ok) rewindToCommitted(env);
      m.app = { phase: 'polling' };
      if (env.processing.mode === 'commit-after-process') startCommitAfterProcess(env);
      return true;
    }
    case 'processing':
      return false;
  }
}

/** The batch's transaction was aborted: seek back to the committed offsets and read the batch again. */
function rewindToCommitted(env: ConsumerEnv): void {
  for (const p of env.m.assignment) {
    if (p.status !== 'fetching') continue;
    p.status = 'awaiting-committed';
    p.position = null;
  }
  env.m.buffer = [];
}

// ---- thread-per-consumer -------------------------------------------------------------------------

function runSingleThread(env: ConsumerEnv): boolean {
  // Exactly-once: no poll before initTransactions completed nor while a transaction is open.
  if (!outputReady(env)) return false;
  const records = collect(env, env.cfg['max.poll.records']);
  if (records.length === 0) return false;
  beginBatch(env, records);
  if (env.processing.mode === 'commit-before-process') {
    const commit = startCommit(env, allConsumed(env), syncCommits(env) ? 'app' : 'async', syncCommits(env));
    if (syncCommits(env)) {
      env.m.app = { phase: 'committing-before', records, commitId: commit.id };
      return true;
    }
  }
  startProcessing(env, records);
  return true;
}

function startProcessing(env: ConsumerEnv, records: BufferedRecord[]): void {
  const t = env.processing.processingTimeMsPerRecord;
  if (t <= 0) {
    for (const r of records) {
      processed(env, r);
      if (env.m.crashing) return;
    }
    return finishBatch(env);
  }
  env.m.app = { phase: 'processing', records, index: 0, timerId: env.ctx.setTimer(t, PROCESS_TIMER) };
}

export function onProcessTimer(env: ConsumerEnv, timerId: number): void {
  const app = env.m.app;
  if (app.phase !== 'processing' || app.timerId !== timerId) return;
  processed(env, app.records[app.index]);
  if (env.m.crashing) return;
  const index = app.index + 1;
  if (index < app.records.length) {
    // Written out, not { ...app, index, timerId }: V8 missed its inline cache for the two keys
    // defined after the spread on every call, a runtime call per record processed (--log-ic).
    env.m.app = { phase: 'processing', records: app.records, index, timerId: env.ctx.setTimer(env.processing.processingTimeMsPerRecord, PROCESS_TIMER) };
    return;
  }
  finishBatch(env);
}

function finishBatch(env: ConsumerEnv): void {
  if (env.m.output) {
    // The batch's offsets go into its transaction; plain output is flushed before the commit.
    setBatchOffsets(env, allConsumed(env));
    env.m.app = { phase: 'finishing-output' };
    return;
  }
  startCommitAfterProcess(env);
}

function startCommitAfterProcess(env: ConsumerEnv): void {
  if (env.processing.mode === 'commit-after-process') {
    const commit = startCommit(env, allConsumed(env), syncCommits(env) ? 'app' : 'async', syncCommits(env));
    env.m.app = syncCommits(env) ? { phase: 'committing-after', commitId: commit.id } : { phase: 'polling' };
    return;
  }
  env.m.app = { phase: 'polling' };
}

// ---- poller-with-workers -----------------------------------------------------------------------

function outstandingCount(env: ConsumerEnv): number {
  return Object.values(env.m.outstanding).reduce((n, list) => n + list.length, 0);
}

function runPoller(env: ConsumerEnv): boolean {
  const m = env.m;
  // Back-pressure: while the workers hold a full batch the poller pauses its partitions.
  const room = env.cfg['max.poll.records'] - outstandingCount(env);
  const records = room > 0 ? collect(env, Math.min(room, env.cfg['max.poll.records'])) : NOTHING_POLLED;
  if (records.length === 0 && env.ctx.now - m.pollStartedMs < POLL_TIMEOUT_MS) return false;
  // poll() returned: one iteration of the poller's loop, then the next poll() begins.
  m.pollStartedMs = env.ctx.now;
  if (records.length > 0 && env.processing.mode === 'commit-before-process') {
    const commit = startCommit(env, allConsumed(env), syncCommits(env) ? 'app' : 'async', syncCommits(env));
    if (syncCommits(env)) {
      m.app = { phase: 'poller-committing', commitId: commit.id, then: records };
      return true;
    }
  }
  dispatch(env, records);
  if (env.processing.mode === 'commit-after-process') {
    const offsets = completedOffsets(env).filter((o) => o.offset > (m.committed[tpKey(o.topic, o.partition)] ?? -1));
    if (offsets.length > 0 && !pendingCommit(env, 'async') && !pendingCommit(env, 'app')) {
      const commit = startCommit(env, offsets, syncCommits(env) ? 'app' : 'async', syncCommits(env));
      if (syncCommits(env)) m.app = { phase: 'poller-committing', commitId: commit.id, then: null };
    }
  }
  return true;
}

/** Per partition: the offset below which every record handed to the workers has completed. */
function completedOffsets(env: ConsumerEnv, only?: TopicPartition[]): (TopicPartition & { offset: number })[] {
  const out: (TopicPartition & { offset: number })[] = [];
  for (const p of env.m.assignment) {
    if (only && !only.some((tp) => tp.topic === p.topic && tp.partition === p.partition)) continue;
    const key = tpKey(p.topic, p.partition);
    const upTo = env.m.dispatchedUpTo[key];
    if (upTo === undefined) continue;
    const pending = env.m.outstanding[key] ?? [];
    out.push({ topic: p.topic, partition: p.partition, offset: pending.length > 0 ? pending[0] : upTo });
  }
  return out;
}

function workerFor(env: ConsumerEnv, r: BufferedRecord): number {
  const n = env.processing.workers!.count;
  if (r.key === null) return env.m.roundRobin++ % n;
  return toPositive(murmur2(utf8(r.key))) % n;
}

function dispatch(env: ConsumerEnv, records: BufferedRecord[]): void {
  const m = env.m;
  for (const r of records) {
    const key = tpKey(r.topic, r.partition);
    m.outstanding[key] = [...(m.outstanding[key] ?? []), r.offset];
    m.dispatchedUpTo[key] = r.offset + 1;
    // keyOrdered: one queue per worker, a key always on the same worker; otherwise one shared queue.
    if (env.processing.workers!.keyOrdered) m.workers[workerFor(env, r)].queue.push(r);
    else m.sharedQueue.push(r);
  }
  startIdleWorkers(env);
}

function workDuration(env: ConsumerEnv): number {
  const base = env.processing.processingTimeMsPerRecord;
  const jitter = env.processing.jitter ?? 0.5;
  return Math.max(0, Math.round(base * (1 - jitter + 2 * jitter * env.ctx.rng.next())));
}

function startIdleWorkers(env: ConsumerEnv): void {
  const m = env.m;
  m.workers.forEach((w, index) => {
    if (w.busy) return;
    const next = w.queue.length > 0 ? w.queue.shift()! : env.processing.workers!.keyOrdered ? undefined : m.sharedQueue.shift();
    if (!next) return;
    w.busy = next;
    w.timerId = env.ctx.setTimer(workDuration(env), WORKER_TIMER, { worker: index });
  });
}

export function onWorkerTimer(env: ConsumerEnv, worker: number, timerId: number): void {
  const w = env.m.workers[worker];
  if (!w || w.timerId !== timerId || !w.busy) return;
  const r = w.busy;
  w.busy = null;
  w.timerId = null;
  processed(env, r);
  const key = tpKey(r.topic, r.partition);
  if (env.m.outstanding[key]) env.m.outstanding[key] = env.m.outstanding[key].filter((o) => o !== r.offset);
  startIdleWorkers(env);
}

// ---- the rebalance listener ---------------------------------------------------------------------

/**
 * ConsumerRebalanceListener.onPartitionsRevoked as an at-least-once application writes it:
 * commit what was processed of the partitions it gives up. Other modes commit nothing here.
 */
export function revocationCommitOffsets(env: ConsumerEnv, partitions: TopicPartition[]): (TopicPartition & { offset: number })[] {
  if (env.processing.mode !== 'commit-after-process') return [];
  const offsets = usesWorkers(env)
    ? completedOffsets(env, partitions)
    : allConsumed(env).filter((o) => partitions.some((tp) => tp.topic === o.topic && tp.partition === o.partition));
  return offsets.filter((o) => o.offset !== env.m.committed[tpKey(o.topic, o.partition)]);
}

/** The partitions leave this consumer (revoked, or lost with the generation). */
export function onPartitionsRevoked(env: ConsumerEnv, partitions: TopicPartition[], lost: boolean): void {
  void lost;
  const m = env.m;
  const gone = (tp: TopicPartition) => partitions.some((p) => p.topic === tp.topic && p.partition === tp.partition);
  m.assignment = m.assignment.filter((p) => !gone(p));
  m.buffer = m.buffer.filter((b) => !gone(b));
  // Records of those partitions not yet started are dropped; running ones finish (and may be processed twice).
  for (const w of m.workers) w.queue = w.queue.filter((r) => !gone(r));
  m.sharedQueue = m.sharedQueue.filter((r) => !gone(r));
  for (const tp of partitions) {
    delete m.outstanding[tpKey(tp.topic, tp.partition)];
    delete m.dispatchedUpTo[tpKey(tp.topic, tp.partition)];
  }
}

export function onPartitionsAssigned(env: ConsumerEnv, partitions: TopicPartition[]): void {
  for (const tp of partitions) {
    delete env.m.outstanding[tpKey(tp.topic, tp.partition)];
    delete env.m.dispatchedUpTo[tpKey(tp.topic, tp.partition)];
  }
}
