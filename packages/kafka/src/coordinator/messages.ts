/**
 * Message payloads. Client <-> server messages carry `proto: 'zk'` (the client library consumes
 * exactly those); server <-> server messages carry `proto: 'zab'`.
 */
import type { ZkErrorCode, ZkStat } from './api';
import type { WatchEventType } from './db';
import type { FollowerInfo, Role, Txn, TxnOrigin, Vote, WatchSet, WriteRequest, ZkDb, ZkRequest } from './types';

export type ZkResult =
  | { ok: true; data?: unknown; stat?: ZkStat | null; children?: string[]; createdPath?: string }
  | { ok: false; error: ZkErrorCode };

export type ClientToServer =
  | { proto: 'zk'; type: 'connect'; connId: number; sessionId: string | null; timeoutMs: number; lastZxid: number; watches: WatchSet }
  | { proto: 'zk'; type: 'request'; connId: number; sessionId: string; xid: number; request: ZkRequest }
  | { proto: 'zk'; type: 'ping'; connId: number; sessionId: string }
  /** The client gave up on this server (ZooKeeper: the client closes the socket). */
  | { proto: 'zk'; type: 'close'; connId: number; sessionId: string };

export type ServerToClient =
  | { proto: 'zk'; type: 'connected'; connId: number; sessionId: string; timeoutMs: number; zxid: number }
  | { proto: 'zk'; type: 'refused'; connId: number; reason: string }
  | { proto: 'zk'; type: 'expired'; connId: number; sessionId: string }
  | { proto: 'zk'; type: 'response'; connId: number; xid: number; zxid: number; result: ZkResult }
  | { proto: 'zk'; type: 'pong'; connId: number; zxid: number }
  | { proto: 'zk'; type: 'watch'; connId: number; path: string; event: WatchEventType; zxid: number }
  /** The server dropped the connection (it lost its leader or quorum). */
  | { proto: 'zk'; type: 'closed'; connId: number };

export type Forwarded =
  | { kind: 'write'; origin: TxnOrigin; request: WriteRequest }
  | { kind: 'createSession'; origin: TxnOrigin; timeoutMs: number }
  | { kind: 'revalidate'; sessionId: string }
  | { kind: 'expire'; owner: string };

export interface SyncMessage {
  proto: 'zab';
  type: 'sync';
  epoch: number;
  /** ZooKeeper's DIFF, TRUNC (then DIFF) or SNAP. */
  mode: 'diff' | 'trunc' | 'snap';
  truncTo: number | null;
  snapshot: ZkDb | null;
  txns: Txn[];
  commitZxid: number;
  /** The leader is established: start serving clients (ZooKeeper's UPTODATE). */
  uptodate: boolean;
}

export type ServerToServer =
  | { proto: 'zab'; type: 'notification'; round: number; state: Role; vote: Vote }
  | { proto: 'zab'; type: 'followerinfo'; info: FollowerInfo }
  | SyncMessage
  | { proto: 'zab'; type: 'propose'; epoch: number; prevZxid: number; txn: Txn }
  | { proto: 'zab'; type: 'ack'; epoch: number; zxid: number }
  | { proto: 'zab'; type: 'commit'; epoch: number; zxid: number; uptodate: boolean }
  /**
   * Also carries the leader's last logged and committed zxids: a follower that missed a
   * proposal or a commit (a lossy link; ZooKeeper's TCP would not lose one) finds out here.
   */
  | { proto: 'zab'; type: 'ping'; epoch: number; lastZxid: number; commitZxid: number; uptodate: boolean }
  | { proto: 'zab'; type: 'pong'; epoch: number; touched: string[] }
  | { proto: 'zab'; type: 'forward'; epoch: number; fwd: Forwarded }
  | { proto: 'zab'; type: 'revalidated'; epoch: number; sessionId: string; valid: boolean; timeoutMs: number };
