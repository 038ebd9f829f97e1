/**
 * CONTRACT between the coordinator (a ZooKeeper-like CP service) and the nodes that use it
 * (brokers). The coordinator package implements these; brokers call only these.
 *
 * The client library lives inside another node's state (plain data, cloneable). It is driven
 * by the host node's handler: the host passes every event to `zkClientHandle`, which consumes
 * the events meant for the client (messages whose payload has `proto: 'zk'`, timers whose
 * name starts with 'zk:') and returns outputs for the host's own logic.
 */
import type { NodeContext, NodeEvent, NodeId } from '@kafkasim/engine';

export interface ZkStat {
  /** Data version, bumped by every setData; conditional writes compare it. */
  version: number;
  /** Children version, bumped when a child is created or deleted. */
  cversion: number;
  czxid: number;
  mzxid: number;
  /** The session id that owns an ephemeral znode, null for persistent ones. */
  ephemeralOwner: string | null;
}

export type ZkErrorCode =
  | 'NoNode'
  | 'NodeExists'
  | 'BadVersion'
  | 'NotEmpty'
  | 'NoChildrenForEphemerals'
  | 'ConnectionLoss'
  | 'SessionExpired';

export type ZkOp =
  | { op: 'create'; path: string; data: unknown; ephemeral?: boolean; sequential?: boolean }
  | { op: 'setData'; path: string; data: unknown; version: number }
  | { op: 'delete'; path: string; version: number }
  | { op: 'check'; path: string; version: number };

export type ZkClientOutput =
  | {
      type: 'result';
      tag: string;
      op: 'create' | 'getData' | 'setData' | 'delete' | 'getChildren' | 'exists' | 'multi';
      path: string;
      ok: true;
      data?: unknown;
      stat?: ZkStat | null;
      children?: string[];
      /** For create: the actual path (with the sequential suffix). */
      createdPath?: string;
    }
  | {
      type: 'result';
      tag: string;
      op: 'create' | 'getData' | 'setData' | 'delete' | 'getChildren' | 'exists' | 'multi';
      path: string;
      ok: false;
      error: ZkErrorCode;
    }
  | { type: 'watch'; path: string; event: 'NodeCreated' | 'NodeDeleted' | 'NodeDataChanged' | 'NodeChildrenChanged' }
  | { type: 'session'; state: 'connected' | 'disconnected' | 'expired'; sessionId: string };

export interface ZkClientConfig {
  servers: NodeId[];
  sessionTimeoutMs: number;
}

/**
 * Client API (implemented in coordinator/client.ts):
 *   zkClientCreate(config): ZkClientState                         -- plain data, keep it in volatile state
 *   zkClientStart(state, ctx): void                                -- connect (call from boot)
 *   zkClientHandle(state, event, ctx): ZkClientOutput[] | null     -- null: the event is not the client's
 *   zkCreate(state, ctx, path, data, { ephemeral?, sequential? }, tag)
 *   zkGetData(state, ctx, path, { watch? }, tag)
 *   zkSetData(state, ctx, path, data, version /* -1 = any *\/, tag)
 *   zkDelete(state, ctx, path, version, tag)
 *   zkGetChildren(state, ctx, path, { watch? }, tag)
 *   zkExists(state, ctx, path, { watch? }, tag)
 *   zkMulti(state, ctx, ops: ZkOp[], tag)                          -- atomic; Kafka's controller fences its writes with a 'check' on /controller_epoch
 *   zkSessionId(state): string | null
 * After an 'expired' output the client opens a NEW session by itself and emits 'connected'
 * with the new session id: the host re-creates its ephemeral znodes then.
 * Requests issued while disconnected, or outstanding when the connection drops, complete with
 * error 'ConnectionLoss'.
 *
 * Server node: createZkServer({ id, ensemble, tickMs, ... }): Behavior, node ids like 'zk-1'.
 * Fault command (engine 'command' to any server, forwarded to the leader):
 *   name 'expire-session', data { owner: NodeId }   -- expire the session of that client node.
 * Inspection for the visualizer/checkers: describeZkServer(state) -> { role, epoch, zxid,
 * tree: { path, data, stat, ephemeral }[], sessions: { id, owner, expiresAt }[] }.
 */
export {};
