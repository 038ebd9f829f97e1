/**
 * Timeouts that are running out, from the world state: a ZooKeeper session without heartbeats,
 * a follower that stopped catching up (replica.lag.time.max.ms), a client request without an
 * answer (request.timeout.ms). A timeout that is reset all the time (a healthy heartbeat, a
 * follower in step, a request answered in milliseconds) is not shown: only one that has run
 * for a third (session, lag) or half (request) of its length, which a healthy cluster never does.
 */
import type { WorldState } from '@kafkasim/engine';
import type { CountdownView } from './view';

export interface CountdownSettings {
  replicaLagMaxMs: number;
  /** Client id -> its request.timeout.ms. */
  requestTimeoutMs: (client: string) => number;
}

export interface SessionDeadline { owner: string; timeoutMs: number; expiresAt: number | null }

export function sessionCountdowns(server: string, sessions: SessionDeadline[], now: number): CountdownView[] {
  return sessions.flatMap((s) => {
    if (s.expiresAt === null || s.expiresAt - now > s.timeoutMs * 0.67 || s.expiresAt < now) return [];
    return [{ kind: 'session' as const, node: server, subject: s.owner, deadline: s.expiresAt, timeoutMs: s.timeoutMs,
      text: `${s.owner}'s ZooKeeper session expires (no heartbeat for zookeeper.session.timeout.ms ${s.timeoutMs} ms)` }];
  });
}

interface LeaderPartition { followers?: Record<string, { logEndOffset: number; lastCaughtUpTimeMs: number }> }

export function replicaLagCountdowns(leader: string, tp: string, partition: LeaderPartition, leaderLeo: number, isr: string[], now: number, maxLagMs: number): CountdownView[] {
  const followers = partition.followers ?? {};
  return Object.keys(followers).sort().flatMap((f) => {
    const v = followers[f];
    if (!isr.includes(f) || v.logEndOffset === leaderLeo) return [];
    const deadline = v.lastCaughtUpTimeMs + maxLagMs;
    if (now - v.lastCaughtUpTimeMs < maxLagMs / 3 || deadline < now) return [];
    return [{ kind: 'replica-lag' as const, node: leader, subject: f, deadline, timeoutMs: maxLagMs,
      // Kafka's Partition.isFollowerOutOfSync: LEO behind the leader's and not caught up for replica.lag.time.max.ms;
      // the leader's periodic ISR check (every maxLag / 2) then shrinks the ISR.
      text: `${f} falls out of sync on ${tp} (not caught up within replica.lag.time.max.ms ${maxLagMs} ms); the leader's next ISR check removes it` }];
  });
}

/** The clients' request-timeout timers in the queue that are more than half way. */
export function requestCountdowns(world: Readonly<WorldState>, now: number, timeoutOf: (client: string) => number): CountdownView[] {
  const out: CountdownView[] = [];
  const cancelled = new Set(world.cancelledTimers);
  for (const e of world.queue) {
    if (e.kind !== 'timer' || e.name !== 'request-timeout' || cancelled.has(e.timerId)) continue;
    const node = world.nodes[e.node];
    if (!node || node.incarnation !== e.incarnation || node.status !== 'up') continue;
    const timeoutMs = timeoutOf(e.node);
    if (e.time - now > timeoutMs / 2 || e.time < now) continue;
    out.push({ kind: 'request', node: e.node, subject: e.node, deadline: e.time, timeoutMs,
      text: `a request of ${e.node} times out (no answer within request.timeout.ms ${timeoutMs} ms)` });
  }
  // One line per client: its earliest.
  const seen = new Set<string>();
  return out.sort((a, b) => a.deadline - b.deadline).filter((c) => !seen.has(c.node) && (seen.add(c.node), true));
}
