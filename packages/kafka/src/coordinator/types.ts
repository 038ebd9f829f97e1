/**
 * Plain-data state of a coordinator server (a ZooKeeper-like CP service). Everything here is
 * structuredClone-able: the engine checkpoints node state by cloning it.
 */
import type { NodeId, NodeState } from '@kafkasim/engine';
import type { ZkErrorCode, ZkStat } from './api';

/** A znode. `pzxid` is ZooKeeper's "last zxid that changed the children" (not part of ZkStat). */
export interface Znode {
  data: unknown;
  stat: ZkStat;
  pzxid: number;
  /** Child names, kept sorted so that every iteration order is defined. */
  children: string[];
}

export interface SessionInfo {
  owner: NodeId;
  timeoutMs: number;
}

/** ZooKeeper's ZKDatabase: the data tree plus the live sessions, as of the last applied zxid. */
export interface ZkDb {
  zxid: number;
  nodes: Record<string, Znode>;
  sessions: Record<string, SessionInfo>;
}

/** A write after the leader validated it: the exact change every server applies. */
export type ResolvedOp =
  | { op: 'create'; path: string; data: unknown; ephemeralOwner: string | null }
  /** `version` is the NEW data version (as in ZooKeeper's SetDataTxn). */
  | { op: 'setData'; path: string; data: unknown; version: number }
  | { op: 'delete'; path: string }
  | { op: 'check'; path: string };

export type TxnBody =
  | { type: 'createSession'; sessionId: string; owner: NodeId; timeoutMs: number }
  /** Deletes every ephemeral znode of the session (ZooKeeper's closeSession). */
  | { type: 'closeSession'; sessionId: string; owner: NodeId }
  | { type: 'ops'; multi: boolean; ops: ResolvedOp[] }
  /** A request that failed validation still takes a zxid, so replies stay in request order. */
  | { type: 'error'; error: ZkErrorCode; path: string; multi: boolean };

/** Who asked for a txn: the server that answers the client when it applies the txn. */
export interface TxnOrigin {
  server: NodeId;
  owner: NodeId;
  connId: number;
  sessionId: string | null;
  xid: number;
}

export interface Txn {
  zxid: number;
  origin: TxnOrigin | null;
  body: TxnBody;
}

/**
 * The disk: epochs, the committed database (ZooKeeper keeps snapshot + txn log; we keep the
 * materialised tree, which is equivalent) and the txn log of every proposal accepted.
 * Entries with zxid <= db.zxid are committed; later ones are accepted but not (yet) committed.
 */
export interface ZkDisk {
  acceptedEpoch: number;
  currentEpoch: number;
  db: ZkDb;
  log: Txn[];
  /** The zxid the log starts after (older committed entries were trimmed into the db). */
  logBase: number;
}

export type Role = 'looking' | 'following' | 'leading';

export interface Vote {
  leader: NodeId;
  zxid: number;
  epoch: number;
}

export interface ElectionState {
  /** FastLeaderElection's logicalclock. */
  round: number;
  vote: Vote;
  /** Votes of LOOKING peers in this round (FLE's recvset), including our own. */
  recv: Record<NodeId, Vote>;
  /** Votes of peers that already follow or lead (FLE's outofelection). */
  outOf: Record<NodeId, { vote: Vote; state: Role }>;
  finalizePending: boolean;
}

export interface FollowerInfo {
  acceptedEpoch: number;
  lastZxid: number;
  committedZxid: number;
  seq: number;
}

export interface LearnerHandle {
  /** Highest zxid the follower acknowledged having logged; -1 before its first ack. */
  acked: number;
  lastHeard: number;
  seq: number;
}

export interface TrackedSession {
  expiresAt: number;
  closing: boolean;
}

export interface LeaderState {
  epoch: number;
  phase: 'discovery' | 'sync' | 'established';
  startedAt: number;
  infos: Record<NodeId, FollowerInfo>;
  learners: Record<NodeId, LearnerHandle>;
  /** Last zxid of the leader's history when it started syncing: committed once a quorum has it. */
  establishZxid: number;
  /** The tree as it will be once every outstanding proposal commits (ZooKeeper's outstandingChanges). */
  prepDb: ZkDb | null;
  counter: number;
  /** The leader's session tracker: expiry deadlines (volatile, rebuilt on election). */
  tracker: Record<string, TrackedSession>;
  /**
   * Highest zxid some server of the quorum reported committed: a previous leader already
   * recorded the facts of those txns, so committing them again here stays quiet.
   */
  knownCommitted: number;
  /** Highest xid proposed per session: a duplicated forward is not proposed twice. */
  lastXid: Record<string, number>;
}

export interface FollowerState {
  leader: NodeId;
  /** The epoch we synced with, null until the leader's sync arrives. */
  epoch: number | null;
  seq: number;
  startedAt: number;
  lastHeard: number;
  /** Sessions whose clients talked to us since the last ping reply (reported to the leader). */
  touched: Record<string, true>;
}

export type ZkRequest =
  | { op: 'create'; path: string; data: unknown; ephemeral: boolean; sequential: boolean }
  | { op: 'setData'; path: string; data: unknown; version: number }
  | { op: 'delete'; path: string; version: number }
  | { op: 'multi'; ops: import('./api').ZkOp[] }
  | { op: 'getData'; path: string; watch: boolean }
  | { op: 'exists'; path: string; watch: boolean }
  | { op: 'getChildren'; path: string; watch: boolean };

export type WriteRequest = Extract<ZkRequest, { op: 'create' | 'setData' | 'delete' | 'multi' }>;

export interface QueuedRequest {
  xid: number;
  request: ZkRequest;
}

/** A client connection on the server it is connected to. */
export interface ClientConn {
  owner: NodeId;
  connId: number;
  timeoutMs: number;
  lastHeard: number;
  /** Requests in arrival order: a read waits behind the session's earlier writes. */
  queue: QueuedRequest[];
  lastXid: number;
}

export interface WatchSet {
  data: string[];
  exist: string[];
  child: string[];
}

/** A connect request waiting for the leader (new session, or revalidation of an existing one). */
export interface PendingConnect {
  owner: NodeId;
  connId: number;
  sessionId: string | null;
  timeoutMs: number;
  watches: WatchSet;
  lastZxid: number;
  at: number;
}

export interface ZkMemory {
  role: Role;
  /** Accepting clients: a leader once established, a follower once up to date. */
  serving: boolean;
  election: ElectionState;
  lead: LeaderState | null;
  follow: FollowerState | null;
  followSeq: number;
  conns: Record<string, ClientConn>;
  /** 'expire-session' faults received while not serving: forwarded once we serve again. */
  pendingExpires: string[];
  pendingConnects: Record<string, PendingConnect>;
  /** Watches registered here, path -> session ids (sorted). */
  dataWatches: Record<string, string[]>;
  childWatches: Record<string, string[]>;
}

export type ZkServerState = NodeState<ZkDisk, ZkMemory>;
