/**
 * KIP-73 replication throttling (ReplicationQuotaManager), both sides, as
 * kafka-reassign-partitions.sh --throttle sets it up: the replicas a reassignment adds are
 * listed in the topic's follower.replication.throttled.replicas, the replicas that serve them
 * (the original ones) in leader.replication.throttled.replicas, each as "<partition>:<broker id>"
 * (or "*"), and follower.replication.throttled.rate / leader.replication.throttled.rate cap the
 * bytes per second of those replicas on each broker.
 * - Follower (ReplicaFetcherThread.shouldFollowerThrottle): a listed replica that is out of the
 *   ISR is left out of the fetch requests while the follower quota is used up.
 * - Leader (ReplicaManager.shouldLeaderThrottle): a follower fetch for a listed partition, from a
 *   replica out of the ISR, gets no records while the leader quota is used up.
 * Both record the bytes they move for listed partitions. The in-sync replicas are never held
 * back, which is what keeps acks=all writes flowing while the new replicas copy the log. The rate
 * is Kafka's windowed Rate: the bytes of the last replication.quota.window.num (11) windows of
 * replication.quota.window.size.seconds (1 s), over their elapsed time but at least 10 windows.
 */
import type { Broker } from './context';
import type { PartitionReplica } from './types';

const WINDOW_MS = 1000;
const WINDOWS = 11;

export interface QuotaSamples {
  /** Bytes per window, oldest first; `startMs` is the start of each window. */
  samples: { startMs: number; bytes: number }[];
}

export type QuotaSide = 'leader' | 'follower';

const listKey = { leader: 'leader.replication.throttled.replicas', follower: 'follower.replication.throttled.replicas' } as const;
const rateKey = { leader: 'leader.replication.throttled.rate', follower: 'follower.replication.throttled.rate' } as const;

/** ReplicationQuotaManager.isThrottled: this broker's replica of the partition is listed for that side. */
export function isThrottled(b: Broker, side: QuotaSide, topic: string, partition: number): boolean {
  // Asked for every partition of every follower fetch, nearly always unthrottled: the rate is
  // read by its name (a load the engine caches) rather than by a key looked up first.
  const rate = side === 'leader' ? b.env.config['leader.replication.throttled.rate'] : b.env.config['follower.replication.throttled.rate'];
  if (rate >= Number.MAX_SAFE_INTEGER) return false;
  const listed = b.env.topics.find((t) => t.name === topic)?.config?.[listKey[side]] ?? [];
  return listed.includes('*') || listed.includes(`${partition}:${b.v.brokerId}`);
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

function quotaOf(b: Broker, side: QuotaSide): QuotaSamples {
  const quotas = (b.v.replicationQuotas ??= {});
  return (quotas[side] ??= { samples: [] });
}

export function recordThrottledBytes(b: Broker, side: QuotaSide, bytes: number): void {
  if (bytes <= 0) return;
  const q = quotaOf(b, side);
  const now = b.ctx.now;
  purge(q, now);
  const last = q.samples[q.samples.length - 1];
  if (last && now - last.startMs < WINDOW_MS) last.bytes += bytes;
  else q.samples.push({ startMs: now, bytes });
}

function quotaExceeded(b: Broker, side: QuotaSide): boolean {
  const q = b.v.replicationQuotas?.[side];
  return q !== undefined && measuredRate(q, b.ctx.now) > b.env.config[rateKey[side]];
}

/** shouldFollowerThrottle: this follower is out of the ISR, its replica is listed, and the quota is used up. */
export function shouldFollowerThrottle(b: Broker, p: PartitionReplica): boolean {
  if (p.isr.includes(b.self) || !isThrottled(b, 'follower', p.topic, p.partition)) return false;
  return quotaExceeded(b, 'follower');
}

/** shouldLeaderThrottle: the fetching follower is out of the ISR, this leader's replica is listed, and the quota is used up. */
export function shouldLeaderThrottle(b: Broker, p: PartitionReplica, follower: string): boolean {
  if (p.isr.includes(follower) || !isThrottled(b, 'leader', p.topic, p.partition)) return false;
  return quotaExceeded(b, 'leader');
}
