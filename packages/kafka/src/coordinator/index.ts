/** The coordinator: a ZooKeeper-like CP service (servers) and the client library brokers use. */
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
