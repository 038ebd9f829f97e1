/**
 * ConsumerMetadata: the cluster view (partition leaders) for the subscribed topics, refreshed when
 * something points at a stale leader, when a topic is missing, and every metadata.max.age.ms.
 */
import type { NodeId } from '@kafkasim/engine';
import type { MetadataRequest, MetadataResponse } from '../../protocol';
import type { ConsumerEnv } from './env';
import { inFlight, send, unreachable } from './network';

export function createMetadataState(bootstrap: readonly NodeId[], topics: readonly string[]): ConsumerEnv['m']['metadata'] {
  return { nodes: [...bootstrap], topics: {}, wanted: [...topics].sort(), needUpdate: true, lastRefreshMs: -Infinity, retryAt: 0, nodeIndex: 0 };
}

export function requestMetadataUpdate(env: ConsumerEnv): void {
  env.m.metadata.needUpdate = true;
}

/** The leader hands out partitions of every member's topics: make sure metadata covers them. */
export function wantTopics(env: ConsumerEnv, topics: readonly string[]): boolean {
  const md = env.m.metadata;
  const missing = topics.filter((t) => !md.wanted.includes(t));
  if (missing.length === 0) return false;
  md.wanted = [...md.wanted, ...missing].sort();
  md.needUpdate = true;
  return true;
}

export function hasMetadataFor(env: ConsumerEnv, topics: readonly string[]): boolean {
  return topics.every((t) => env.m.metadata.topics[t] !== undefined);
}

export function partitionCounts(env: ConsumerEnv, topics: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of [...topics].sort()) if (env.m.metadata.topics[t]) counts[t] = env.m.metadata.topics[t].length;
  return counts;
}

export function leaderOf(env: ConsumerEnv, topic: string, partition: number): NodeId | null {
  const partitions = env.m.metadata.topics[topic];
  if (partitions === undefined) return null;
  // Brokers list a topic's partitions in order, so the slot is usually the partition.
  const slot = partitions[partition];
  if (slot !== undefined && slot.partition === partition) return slot.leader ?? null;
  return partitions.find((p) => p.partition === partition)?.leader ?? null;
}

/** The next broker to ask something any broker can answer (NetworkClient.leastLoadedNode, round-robin here). */
export function nextNode(env: ConsumerEnv): NodeId {
  const md = env.m.metadata;
  for (let i = 0; i < md.nodes.length; i++) {
    const node = md.nodes[md.nodeIndex % md.nodes.length];
    md.nodeIndex += 1;
    if (!unreachable(env, node)) return node;
  }
  // Every broker timed out lately: try them anyway, in turn.
  const node = md.nodes[md.nodeIndex % md.nodes.length];
  md.nodeIndex += 1;
  return node;
}

/** Sends a Metadata request when one is due. Returns true if it sent one. */
export function maybeUpdateMetadata(env: ConsumerEnv): boolean {
  const md = env.m.metadata;
  const due = md.needUpdate || env.ctx.now - md.lastRefreshMs >= env.cfg['metadata.max.age.ms'];
  if (!due || env.ctx.now < md.retryAt || inFlight(env, 'Metadata')) return false;
  send<Omit<MetadataRequest, 'api' | 'correlationId'>>(env, nextNode(env), 'Metadata', { topics: [...md.wanted] });
  return true;
}

export function onMetadataResponse(env: ConsumerEnv, response: MetadataResponse): void {
  const md = env.m.metadata;
  let complete = true;
  for (const t of response.topics) {
    if (t.error !== 'NONE') {
      complete = false;
      continue;
    }
    md.topics[t.name] = t.partitions.map((p) => ({ partition: p.partition, leader: p.leader, leaderEpoch: p.leaderEpoch }));
    if (t.partitions.some((p) => p.leader === null)) complete = false;
  }
  md.nodes = [...new Set([...md.nodes, ...[...response.brokers].sort()])];
  md.lastRefreshMs = env.ctx.now;
  md.needUpdate = !complete;
  if (!complete) md.retryAt = env.ctx.now + env.cfg['retry.backoff.ms'];
}

export function onMetadataFailed(env: ConsumerEnv): void {
  env.m.metadata.needUpdate = true;
  env.m.metadata.retryAt = env.ctx.now + env.cfg['retry.backoff.ms'];
}
