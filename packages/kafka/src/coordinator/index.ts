/**
 * The coordinator: a ZooKeeper-like CP service inside the simulation (servers 'zk-1'..'zk-n')
 * and the client library brokers use (contract: api.ts).
 *
 * Servers: FastLeaderElection picks the server with the most recent history (epoch, last
 * zxid, then highest id) once a quorum agrees; Zab then syncs each follower (DIFF, TRUNC or
 * SNAP) and broadcasts every write as a proposal, committed once a quorum logged it and
 * applied in zxid order everywhere. Disk: epochs, committed tree and sessions, txn log.
 * Memory (lost in a crash): election, session deadlines, client connections, watches.
 *
 * Stale reads: a read is answered by the server the client is connected to, from its
 * committed tree. A follower that lags, or that is cut off and has not noticed yet (up to
 * syncLimit ticks, 1 s by default), returns old data, as ZooKeeper does (there is no sync()).
 * A client never reads the past: a server behind the last zxid it saw refuses it. A session
 * reads its own writes: its reads wait behind its writes on that server.
 *
 * Minority partitions: a leader cut off from a quorum keeps logging proposals but cannot
 * commit them; after syncLimit ticks without a quorum it steps down, and a follower without
 * its leader does the same. Stepping down closes every client connection, so outstanding
 * requests fail with ConnectionLoss (outcome unknown, as in ZooKeeper); servers without a
 * quorum refuse connections, so a client stuck with them gets ConnectionLoss for new requests
 * until it reaches a serving server, or its session expires. When the old leader rejoins, its
 * uncommitted proposals are truncated (TRUNC) and it converges to the new leader's tree.
 *
 * Sessions: created and closed by quorum txns; the leader alone expires them, sessionTimeout
 * after the last heartbeat that reached it through any server (a new leader restarts every
 * deadline). Expiry deletes the session's ephemerals in the same txn and fires their watches.
 *
 * Facts (events.ts): the leader records them when it commits. A new leader commits its whole
 * history again and skips what its quorum knew committed; if an old leader's commit reached
 * none of them, a 'zk-write-committed' can appear twice with the same zxid (dedupe by zxid).
 */
export type { ZkClientConfig, ZkClientOutput, ZkErrorCode, ZkOp, ZkStat } from './api';
export {
  zkClientCreate, zkClientStart, zkClientHandle, zkSessionId, zkIsConnected,
  zkCreate, zkGetData, zkSetData, zkDelete, zkGetChildren, zkExists, zkMulti,
  type ZkClientState,
} from './client';
export { createZkServer, createZkDisk } from './server';
export type { ZkServerOptions } from './config';
export { describeZkServer, type ZkServerDescription } from './describe';
export type { ZkDisk, ZkMemory, ZkServerState } from './types';
export { zxidHex, epochOf, counterOf } from './zxid';
