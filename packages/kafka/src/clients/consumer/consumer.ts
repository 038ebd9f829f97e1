/**
 * The consumer as a simulation node: KafkaConsumer (with its ConsumerCoordinator, heartbeat
 * thread and Fetcher) plus the application polling it. After every event all parts run until
 * none makes progress; the earliest pending deadline (backoffs, auto-commit, the poller's poll
 * timeout) becomes one 'wake' timer.
 */
import type { Behavior, NodeContext, NodeEvent, NodeId, Simulation } from '@kafkasim/engine';
import type {
  FetchResponse,
  FindCoordinatorResponse,
  HeartbeatResponse,
  JoinGroupResponse,
  KafkaResponse,
  ListOffsetsResponse,
  OffsetsForLeaderEpochResponse,
  MetadataResponse,
  OffsetCommitResponse,
  OffsetFetchResponse,
  SyncGroupResponse,
} from '../../protocol';
import { onProcessTimer, onWorkerTimer, POLL_TIMEOUT_MS, PROCESS_TIMER, runApp, WORKER_TIMER } from './app';
import { onOffsetCommitResponse, onOffsetCommitTimeout, sendPendingCommits } from './commits';
import { ConsumerConfigError, resolveConsumerConfig } from './config';
import type { ConsumerEnv } from './env';
import { checkLeaderEpochs, maybeValidatePositions, onOffsetsForLeaderEpochResponse, onValidationFailed } from './validation';
import { maybeFetchCommitted, maybeResetOffsets, onFetchFailed, onFetchResponse, onListOffsetsResponse, onOffsetFetchResponse, sendFetches } from './fetcher';
import {
  checkMetadataChange,
  commitHooks,
  createGroupState,
  ensureCoordinator,
  HEARTBEAT_TIMER,
  markCoordinatorUnknown,
  maybeAssignAsLeader,
  onFindCoordinatorFailed,
  onFindCoordinatorResponse,
  onGroupRequestFailed,
  onHeartbeatResponse,
  onHeartbeatTimer,
  onJoinGroupResponse,
  onSyncGroupResponse,
  pollCoordinator,
} from './group';
import { createMetadataState, maybeUpdateMetadata, onMetadataFailed, onMetadataResponse, requestMetadataUpdate } from './metadata';
import { complete, expire, REQUEST_TIMEOUT_TIMER } from './network';
import { createOutputState, isOutputApi, onOutputResponse, onOutputTimeout, runOutput } from './output';
import type { ConsumerDisk, ConsumerMemory, ConsumerOptions, InFlightRequest, ResolvedConsumerConfig } from './types';
import { createZkOffsetsState, handleZkEvent, maybeFetchZkCommitted, sendPendingZkCommits, startZkOffsets } from './zkOffsets';

export const CONSUMER_KIND = 'consumer';
export const WAKE_TIMER = 'wake';

/** Correlation ids of one incarnation never collide with those of the previous one. */
const CORRELATION_IDS_PER_BOOT = 100_000_000;
const MAX_ROUNDS_PER_EVENT = 10_000;

function createMemory(env: { cfg: ResolvedConsumerConfig; options: ConsumerOptions & { self: NodeId }; disk: ConsumerDisk; now: number }): ConsumerMemory {
  const { cfg, options, disk, now } = env;
  const topics = options.processing.outputTopic ? [...options.topics, options.processing.outputTopic] : options.topics;
  return {
    inFlight: [],
    nextCorrelationId: (disk.boots - 1) * CORRELATION_IDS_PER_BOOT + 1,
    metadata: createMetadataState(options.bootstrap, topics),
    group: createGroupState(),
    assignment: [],
    committed: {},
    commits: [],
    nextCommitId: 1,
    autoCommitDeadline: now + cfg['auto.commit.interval.ms'],
    buffer: [],
    nodeBackoff: {},
    unreachableUntil: {},
    app: { phase: 'polling' },
    lastPollMs: now,
    pollStartedMs: now,
    workers: Array.from({ length: options.processing.workers?.count ?? 0 }, () => ({ queue: [], busy: null, timerId: null })),
    sharedQueue: [],
    outstanding: {},
    dispatchedUpTo: {},
    roundRobin: 0,
    wakeTimer: null,
    ...(options.processing.outputTopic
      ? { output: createOutputState({ self: options.self, groupId: cfg['group.id'], topic: options.processing.outputTopic, transactional: options.processing.mode === 'exactly-once' }) }
      : {}),
    ...(cfg['kafkasim.offsets.storage'] === 'zookeeper'
      ? { zkOffsets: createZkOffsetsState(options.zkServers!, cfg['zookeeper.session.timeout.ms']) }
      : {}),
    crashing: false,
    counters: { polls: 0, recordsReturned: 0, processed: 0, commitsSent: 0, commitsFailed: 0, rebalances: 0, requestTimeouts: 0 },
  };
}

function settle(env: ConsumerEnv): void {
  for (let round = 0; round < MAX_ROUNDS_PER_EVENT; round++) {
    let progress = maybeUpdateMetadata(env);
    if (env.m.group.coordinator === null) progress = ensureCoordinator(env) || progress;
    // The group is driven from inside poll(): a thread busy processing does not rejoin.
    if (env.m.app.phase === 'polling') progress = pollCoordinator(env) || progress;
    progress = maybeAssignAsLeader(env) || progress;
    checkMetadataChange(env);
    const zk = env.m.zkOffsets;
    progress = (zk ? sendPendingZkCommits(env, zk) : sendPendingCommits(env)) || progress;
    progress = (zk ? maybeFetchZkCommitted(env, zk) : maybeFetchCommitted(env)) || progress;
    checkLeaderEpochs(env);
    progress = maybeValidatePositions(env) || progress;
    progress = maybeResetOffsets(env) || progress;
    progress = sendFetches(env) || progress;
    progress = runApp(env) || progress;
    progress = runOutput(env, env.m.app.phase === 'finishing-output') || progress;
    if (!progress) return scheduleWake(env);
  }
  throw new Error(`${env.self}: consumer did not settle within ${MAX_ROUNDS_PER_EVENT} rounds at t=${env.ctx.now}`);
}

/** `t` if it is a finite moment after `now` earlier than `at`, else `at`. */
function earliestAhead(now: number, at: number, t: number): number {
  return t > now && Number.isFinite(t) && t < at ? t : at;
}

/** The earliest moment something could change without a message arriving. */
function scheduleWake(env: ConsumerEnv): void {
  const { m, ctx, cfg } = env;
  const now = ctx.now;
  // The earliest candidate still ahead, computed without an array per event.
  let at = earliestAhead(now, Infinity, m.group.backoffUntil);
  at = earliestAhead(now, at, m.metadata.needUpdate ? m.metadata.retryAt : m.metadata.lastRefreshMs + cfg['metadata.max.age.ms']);
  for (const node in m.nodeBackoff) at = earliestAhead(now, at, m.nodeBackoff[node]);
  for (const node in m.unreachableUntil) at = earliestAhead(now, at, m.unreachableUntil[node]);
  if (cfg['enable.auto.commit'] && m.app.phase === 'polling') at = earliestAhead(now, at, m.autoCommitDeadline);
  if (env.processing.workers && m.app.phase === 'polling') at = earliestAhead(now, at, m.pollStartedMs + POLL_TIMEOUT_MS);
  at = earliestAhead(now, at, m.output?.backoffUntil ?? Infinity);
  at = earliestAhead(now, at, m.zkOffsets?.retryAt ?? Infinity);
  if (m.wakeTimer && m.wakeTimer.at === at) return;
  if (m.wakeTimer) ctx.cancelTimer(m.wakeTimer.id);
  m.wakeTimer = Number.isFinite(at) ? { id: ctx.setTimer(Math.ceil(at - now), WAKE_TIMER), at: Math.ceil(at) } : null;
}

function onResponse(env: ConsumerEnv, request: InFlightRequest, payload: KafkaResponse): void {
  if (isOutputApi(request.api)) return onOutputResponse(env, request, payload);
  switch (payload.api) {
    case 'MetadataResponse': return onMetadataResponse(env, payload as MetadataResponse);
    case 'FindCoordinatorResponse': return onFindCoordinatorResponse(env, payload as FindCoordinatorResponse);
    case 'JoinGroupResponse': return onJoinGroupResponse(env, payload as JoinGroupResponse);
    case 'SyncGroupResponse': return onSyncGroupResponse(env, payload as SyncGroupResponse);
    case 'HeartbeatResponse': return onHeartbeatResponse(env, payload as HeartbeatResponse);
    case 'OffsetCommitResponse': return onOffsetCommitResponse(env, request.commitId!, payload as OffsetCommitResponse, commitHooks);
    case 'OffsetFetchResponse': return onOffsetFetchResponse(env, payload as OffsetFetchResponse);
    case 'FetchResponse': return onFetchResponse(env, request, payload as FetchResponse);
    case 'ListOffsetsResponse': return onListOffsetsResponse(env, request, payload as ListOffsetsResponse);
    case 'OffsetsForLeaderEpochResponse': return onOffsetsForLeaderEpochResponse(env, request, payload as OffsetsForLeaderEpochResponse);
    default: return;
  }
}

function onRequestTimeout(env: ConsumerEnv, request: InFlightRequest): void {
  if (isOutputApi(request.api)) return onOutputTimeout(env, request);
  switch (request.api) {
    case 'Metadata': return onMetadataFailed(env);
    case 'FindCoordinator': return onFindCoordinatorFailed(env);
    case 'Fetch':
    case 'ListOffsets':
      return onFetchFailed(env, request);
    case 'OffsetsForLeaderEpoch':
      return onValidationFailed(env, request);
    case 'OffsetCommit':
      return onOffsetCommitTimeout(env, request.commitId!, commitHooks);
    default:
      // A group request without an answer: Kafka disconnects from the coordinator.
      onGroupRequestFailed(env, request);
      markCoordinatorUnknown(env, `${request.api} request timed out`);
  }
}

function onEvent(env: ConsumerEnv, event: NodeEvent): void {
  if (event.type === 'message') {
    const payload = event.payload as KafkaResponse | undefined;
    if (!payload || typeof payload.correlationId !== 'number') return;
    const request = complete(env, event.from, payload.correlationId);
    if (request) onResponse(env, request, payload);
    return;
  }
  if (event.type === 'command') {
    if (event.name === 'refresh-metadata') requestMetadataUpdate(env);
    return;
  }
  switch (event.name) {
    case REQUEST_TIMEOUT_TIMER: {
      const request = expire(env, event.data.correlationId);
      if (request) onRequestTimeout(env, request);
      return;
    }
    case HEARTBEAT_TIMER: return onHeartbeatTimer(env, event.timerId);
    case PROCESS_TIMER: return onProcessTimer(env, event.timerId);
    case WORKER_TIMER: return onWorkerTimer(env, event.data.worker, event.timerId);
    case WAKE_TIMER:
      if (env.m.wakeTimer?.id === event.timerId) env.m.wakeTimer = null;
      return;
  }
}

/** A KafkaConsumer subscribed to `topics`, with the application that polls it, as node `nodeId`. */
export function createConsumer(nodeId: NodeId, options: ConsumerOptions): Behavior<ConsumerDisk, ConsumerMemory> & { readonly options: ConsumerOptions } {
  const cfg = resolveConsumerConfig(options.config, options.processing);
  if (options.bootstrap.length === 0) throw new RangeError('bootstrap must name at least one broker');
  if (options.topics.length === 0) throw new RangeError('subscribe needs at least one topic');
  if (cfg['kafkasim.offsets.storage'] === 'zookeeper' && !options.zkServers?.length) {
    throw new ConsumerConfigError('kafkasim.offsets.storage=zookeeper needs zkServers (zookeeper.connect: the coordinator servers\' node ids, e.g. ["zk-1"])');
  }
  const frozen: ConsumerOptions = Object.freeze(structuredClone(options));
  const envOf = (disk: ConsumerDisk, m: ConsumerMemory, ctx: NodeContext): ConsumerEnv => {
    if (ctx.self !== nodeId) throw new Error(`consumer created as ${nodeId} runs as ${ctx.self}`);
    return { self: nodeId, cfg, bootstrap: frozen.bootstrap, topics: frozen.topics, processing: frozen.processing, ctx, disk, m };
  };
  return {
    kind: CONSUMER_KIND,
    options: frozen,
    createDurable: () => ({ boots: 0, processed: 0 }),
    boot(disk, ctx) {
      disk.boots += 1;
      const m = createMemory({ cfg, options: { ...frozen, self: nodeId }, disk, now: ctx.now });
      if (m.zkOffsets) startZkOffsets(m.zkOffsets, ctx);
      settle(envOf(disk, m, ctx));
      return m;
    },
    handle(state, event, ctx) {
      // Between a crashSelf and the crash itself the node is already gone.
      if (state.volatile.crashing) return;
      const env = envOf(state.durable, state.volatile, ctx);
      // The ZooKeeper client's messages and timers (offsets in ZooKeeper) go to the client library.
      const zk = env.m.zkOffsets;
      if (!zk || !handleZkEvent(env, zk, event)) onEvent(env, event);
      if (!env.m.crashing) settle(env);
    },
  };
}

/** Adds a consumer node to a simulation; it boots at `startAt` (default options.startAtMs, else 0). */
export function addConsumer(sim: Simulation, nodeId: NodeId, options: ConsumerOptions, startAt?: number): Behavior<ConsumerDisk, ConsumerMemory> {
  const behavior = createConsumer(nodeId, options);
  sim.addNode(nodeId, behavior, startAt ?? options.startAtMs ?? 0);
  return behavior;
}
