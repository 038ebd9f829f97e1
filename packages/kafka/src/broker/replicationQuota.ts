/**
 * KIP-73 replication throttling, follower side (ReplicationQuotaManager for FollowerReplication,
 * ReplicaFetcherThread.shouldFollowerThrottle). A partition listed for this broker in the topic's
 * follower.replication.throttled.replicas ("<partition>:<broker id>", or "*") is left out of
 * the fetch requests while it is out of the ISR and the bytes fetched for throttled partitions
 * exceed follower.replication.throttled.rate. This is what kafka-reassign-partitions.sh
 * --throttle sets for the replicas a reassignment adds, so that their catch-up does not starve
 * the replicas that are in sync. The rate is Kafka's windowed Rate: the bytes of the last
 * replication.quota.window.num (11) windows of replication.quota.window.size.seconds (1 s),
 * over their elapsed time but at least 10 windows.
 */
import type { Broker } from './context';
import type { PartitionReplica } from './types';

const WINDOW_MS = 1000;
const WINDOWS = 11;

export interface QuotaSamples {
  /** Bytes per window, oldest first; `startMs` is the start of each window. */
  samples: { startMs: number; bytes: number }[];
}

function throttledReplicas(b: Broker, topic: string): string[] {
  return b.env.topics.find((t) => t.name === topic)?.config?.['follower.replication.throttled.replicas'] ?? [];
}

/** ReplicationQuotaManager.isThrottled for the follower quota of this broker. */
export function isFollowerThrottled(b: Broker, p: PartitionReplica): boolean {
  if (b.env.config['follower.replication.throttled.rate'] >= Number.MAX_SAFE_INTEGER) return false;
  const listed = throttledReplicas(b, p.topic);
  return listed.includes('*') || listed.includes(`${p.partition}:${b.v.brokerId}`);
}

function purge(q: QuotaSamples, now: number): void {
  q.samples = q.samples.filter((s) => now - s.startMs < WINDOWS * WINDOW_MS);
}

/** Rate.measure over the samples: bytes per second. */
export function measuredRate(q: QuotaSamples, now: number): number {
  purge(q, now);
  if (q.samples.length === 0) return 0;
  const bytes = q.samples.reduce((sum, s) => sum + s.bytes, 0);
  let elapsed = now - q.samples[0].startMs;
  const fullWindows = Math.floor(elapsed / WINDOW_MS);
  if (fullWindows < WINDOWS - 1) elapsed += (WINDOWS - 1 - fullWindows) * WINDOW_MS;
  return (bytes * 1000) / elapsed;
}

export function recordThrottledBytes(b: Broker, bytes: number): void {
  if (bytes <= 0) return;
  const q = (b.v.followerQuota ??= { samples: [] });
  const now = b.ctx.now;
  purge(q, now);
  const last = q.samples[q.samples.length - 1];
  if (last && now - last.startMs < WINDOW_MS) last.bytes += bytes;
  else q.samples.push({ startMs: now, bytes });
}

/** shouldFollowerThrottle: out of the ISR, throttled, and the quota is used up. */
export function shouldFollowerThrottle(b: Broker, p: PartitionReplica): boolean {
  if (p.isr.includes(b.self) || !isFollowerThrottled(b, p)) return false;
  const q = b.v.followerQuota;
  return q !== undefined && measuredRate(q, b.ctx.now) > b.env.config['follower.replication.throttled.rate'];
}
