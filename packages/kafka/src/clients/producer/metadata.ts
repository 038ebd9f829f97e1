/**
 * ProducerMetadata + Metadata: the cached cluster view, when to refresh it (requested after errors,
 * otherwise every metadata.max.age.ms, never twice within retry.backoff.ms) and how a response is
 * merged (KIP-320: partition metadata with an older leader epoch than the cached one is ignored).
 */
import type { NodeId } from '@kafkasim/engine';
import type { MetadataResponse } from '../../protocol';
import { isInvalidMetadata } from './errors';
import type { ProducerEnv } from './env';
import type { MetadataState, PartitionInfo } from './types';

export function createMetadataState(bootstrap: readonly NodeId[]): MetadataState {
  return {
    nodes: [...bootstrap], topics: [], partitions: {}, topicErrors: {},
    // Metadata.bootstrap asks for an update straight away.
    needUpdate: true,
    lastRefreshMs: null, lastSuccessfulRefreshMs: null, inFlight: null, version: 0,
  };
}

/** ProducerMetadata.add: a topic the application sends to; a new one is fetched at once. */
export function addTopic(env: ProducerEnv, topic: string): void {
  const md = env.m.metadata;
  if (md.topics.includes(topic)) return;
  md.topics.push(topic);
  md.needUpdate = true;
}

export function requestUpdate(env: ProducerEnv): void {
  env.m.metadata.needUpdate = true;
}

/** Metadata.timeToNextUpdate. */
export function timeToNextUpdate(env: ProducerEnv): number {
  const md = env.m.metadata;
  const now = env.ctx.now;
  const timeToExpire = md.needUpdate || md.lastSuccessfulRefreshMs === null
    ? 0
    : Math.max(md.lastSuccessfulRefreshMs + env.cfg['metadata.max.age.ms'] - now, 0);
  const timeToAllowUpdate = md.lastRefreshMs === null ? 0 : Math.max(md.lastRefreshMs + env.cfg['retry.backoff.ms'] - now, 0);
  return Math.max(timeToExpire, timeToAllowUpdate);
}

/** NetworkClient.isReady's first condition: a due metadata update goes before any produce request. */
export function isUpdateDue(env: ProducerEnv): boolean {
  return env.m.metadata.inFlight === null && timeToNextUpdate(env) === 0;
}

export function partitionsOf(env: ProducerEnv, topic: string): PartitionInfo[] | undefined {
  return Object.prototype.hasOwnProperty.call(env.m.metadata.partitions, topic) ? env.m.metadata.partitions[topic] : undefined;
}

export function leaderFor(env: ProducerEnv, topic: string, partition: number): NodeId | null {
  const partitions = partitionsOf(env, topic);
  if (partitions === undefined) return null;
  // Merged responses are sorted by partition and usually complete, so the slot is the partition.
  const slot = partitions[partition];
  if (slot !== undefined && slot.partition === partition) return slot.leader ?? null;
  return partitions.find((p) => p.partition === partition)?.leader ?? null;
}

export interface LedPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * The partitions of one topic's partition list, by leader, worked out once per list (a metadata
 * response replaces the list and nothing changes one in place): drain() asks for every ready
 * node in every Sender round.
 */
const ledByList = new WeakMap<readonly PartitionInfo[], Map<NodeId, readonly LedPartition[]>>();
const NONE_LED: readonly LedPartition[] = Object.freeze([]);

function ledPartitions(topic: string, partitions: readonly PartitionInfo[], node: NodeId): readonly LedPartition[] {
  let byLeader = ledByList.get(partitions);
  if (byLeader === undefined) {
    const lists = new Map<NodeId, LedPartition[]>();
    for (const p of partitions) {
      if (p.leader === null) continue;
      let list = lists.get(p.leader);
      if (list === undefined) lists.set(p.leader, (list = []));
      list.push(Object.freeze({ topic, partition: p.partition }));
    }
    byLeader = new Map();
    for (const [leader, list] of lists) byLeader.set(leader, Object.freeze(list));
    ledByList.set(partitions, byLeader);
  }
  return byLeader.get(node) ?? NONE_LED;
}

/** Cluster.partitionsForNode: the partitions led by `node`, in metadata order (topics in the order added). */
export function partitionsForNode(env: ProducerEnv, node: NodeId): readonly LedPartition[] {
  const topics = env.m.metadata.topics;
  let out: readonly LedPartition[] = NONE_LED;
  for (const topic of topics) {
    const partitions = partitionsOf(env, topic);
    if (partitions === undefined) continue;
    const led = ledPartitions(topic, partitions, node);
    if (led.length === 0) continue;
    out = out.length === 0 ? led : out.concat(led);
  }
  return out;
}

/**
 * A metadata response replaces a topic's partition list and nothing changes one in place, so the
 * partitions with a leader are listed once per list (frozen) instead of on every send().
 */
const availableByList = new WeakMap<readonly PartitionInfo[], readonly number[]>();
const NO_PARTITIONS: readonly number[] = Object.freeze([]);

/** Cluster.availablePartitionsForTopic: the topic's partitions that have a leader, in metadata order. */
export function availablePartitions(env: ProducerEnv, topic: string): readonly number[] {
  const partitions = partitionsOf(env, topic);
  if (partitions === undefined) return NO_PARTITIONS;
  let available = availableByList.get(partitions);
  if (available === undefined) {
    const withLeader: number[] = [];
    for (const p of partitions) if (p.leader !== null) withLeader.push(p.partition);
    available = Object.freeze(withLeader);
    availableByList.set(partitions, available);
  }
  return available;
}

/** Metadata.failedUpdate: back off before the next attempt. */
export function failedUpdate(env: ProducerEnv): void {
  env.m.metadata.lastRefreshMs = env.ctx.now;
  env.m.metadata.inFlight = null;
}

export function handleMetadataResponse(env: ProducerEnv, response: MetadataResponse): void {
  const md = env.m.metadata;
  md.inFlight = null;
  if (response.brokers.length === 0) {
    // "Ignoring empty metadata response".
    failedUpdate(env);
    return;
  }
  const now = env.ctx.now;
  md.needUpdate = false;
  md.lastRefreshMs = now;
  md.lastSuccessfulRefreshMs = now;
  md.version += 1;
  md.nodes = [...response.brokers];
  for (const topic of response.topics) {
    if (!md.topics.includes(topic.name)) continue;
    if (topic.error !== 'NONE') {
      md.topicErrors[topic.name] = topic.error;
      delete md.partitions[topic.name];
      if (isInvalidMetadata(topic.error)) md.needUpdate = true;
      continue;
    }
    delete md.topicErrors[topic.name];
    const cached = partitionsOf(env, topic.name) ?? [];
    const merged: PartitionInfo[] = [];
    for (const p of [...topic.partitions].sort((a, b) => a.partition - b.partition)) {
      const old = cached.find((c) => c.partition === p.partition);
      // Metadata.updateLatestMetadata: never go back to an older leader epoch.
      if (old && p.leaderEpoch < old.leaderEpoch) {
        merged.push({ ...old });
      } else {
        merged.push({ partition: p.partition, leader: p.leader, leaderEpoch: p.leaderEpoch });
      }
      if (isInvalidMetadata(p.error)) md.needUpdate = true;
    }
    md.partitions[topic.name] = merged;
  }
}
