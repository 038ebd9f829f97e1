/** The client library's state: plain data kept in the host node's volatile state. */
import type { NodeId } from '@kafkasim/engine';
import type { ZkClientConfig, ZkClientOutput } from './api';
import type { WatchSet, ZkRequest } from './types';

export interface PendingRequest {
  xid: number;
  tag: string;
  op: Extract<ZkClientOutput, { type: 'result' }>['op'];
  path: string;
  sentAt: number;
  watch: boolean;
}

export interface ZkClientState {
  servers: NodeId[];
  requestedTimeoutMs: number;
  /** The host node (set by zkClientStart). */
  owner: NodeId | null;
  phase: 'idle' | 'connecting' | 'connected' | 'backoff';
  server: NodeId | null;
  serverIndex: number;
  /** Failed connection attempts since the last success; a full round of them backs off. */
  failedAttempts: number;
  /** Identifies one connection attempt: messages of an older connection are ignored. */
  connId: number;
  attemptStartedAt: number;
  sessionId: string | null;
  /** The negotiated session timeout (the requested one until the first connect). */
  timeoutMs: number;
  /** Highest zxid seen: a server behind it refuses us, so we never read the past. */
  lastZxid: number;
  lastHeardAt: number;
  lastSentAt: number;
  nextXid: number;
  pending: PendingRequest[];
  /** Outstanding watches (ZooKeeper's ZKWatchManager), re-registered on reconnect. */
  watches: WatchSet;
  outbox: ZkClientOutput[];
  flushScheduled: boolean;
}

export function zkClientCreate(config: ZkClientConfig): ZkClientState {
  if (config.servers.length === 0) throw new Error('zk client needs at least one server');
  return {
    servers: [...config.servers], requestedTimeoutMs: config.sessionTimeoutMs, owner: null,
    phase: 'idle', server: null, serverIndex: 0, failedAttempts: 0, connId: 0, attemptStartedAt: 0,
    sessionId: null, timeoutMs: config.sessionTimeoutMs, lastZxid: 0, lastHeardAt: 0, lastSentAt: 0,
    nextXid: 1, pending: [], watches: { data: [], exist: [], child: [] }, outbox: [], flushScheduled: false,
  };
}

export type { ZkRequest };
