/** Coordinator server configuration, after ZooKeeper's zoo.cfg (times scaled for short teaching runs). */
import type { NodeId } from '@kafkasim/engine';

export interface ZkServerOptions {
  /** This server's node id, e.g. 'zk-2'. */
  id: NodeId;
  /** Every server of the ensemble (1, 3 or 5 of them), e.g. ['zk-1', 'zk-2', 'zk-3']. */
  ensemble: NodeId[];
  /** ZooKeeper's tickTime (default 2000 there; 200 here so that failover shows within seconds). */
  tickMs?: number;
  /** Ticks a leader waits for a quorum of followers to sync (initLimit). */
  initLimit?: number;
  /** Ticks without hearing the other side before a follower or leader gives up (syncLimit). */
  syncLimit?: number;
  /** FastLeaderElection's finalizeWait: how long to wait for a better vote once a quorum agrees. */
  finalizeWaitMs?: number;
  /** Negotiated session timeouts are clamped to [min, max] (defaults 2 and 20 ticks, as ZooKeeper). */
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  /** Committed txns kept in the log for DIFF syncs (ZooKeeper's committedLog, 500); older ones need a SNAP. */
  committedLogSize?: number;
}

export type ZkServerConfig = Required<ZkServerOptions>;

export function resolveConfig(options: ZkServerOptions): ZkServerConfig {
  const tickMs = options.tickMs ?? 200;
  if (!options.ensemble.includes(options.id)) throw new Error(`${options.id} is not in its ensemble ${options.ensemble.join(',')}`);
  return {
    id: options.id,
    ensemble: [...options.ensemble],
    tickMs,
    initLimit: options.initLimit ?? 10,
    syncLimit: options.syncLimit ?? 5,
    finalizeWaitMs: options.finalizeWaitMs ?? Math.max(1, Math.round(tickMs / 4)),
    minSessionTimeoutMs: options.minSessionTimeoutMs ?? 2 * tickMs,
    maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 20 * tickMs,
    committedLogSize: options.committedLogSize ?? 500,
  };
}

export function quorumSize(cfg: ZkServerConfig): number {
  return Math.floor(cfg.ensemble.length / 2) + 1;
}
