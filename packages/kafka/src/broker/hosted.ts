/**
 * The two modules a broker hosts but does not own: the coordinator client library (its zk
 * session) and the controller. The behavior talks to them only through this table, so the
 * broker's own tests can run it with `detachedModules` (no coordinator, no controller: the test
 * plays the controller by sending LeaderAndIsr/UpdateMetadata itself).
 */
import type { NodeContext, NodeEvent, NodeId } from '@kafkasim/engine';
import type { ZkClientConfig, ZkClientOutput } from '../coordinator/api';
import type { ControllerEnv } from '../controller';

export interface HostedModules {
  zkClientCreate(config: ZkClientConfig): any;
  zkClientStart(zk: any, ctx: NodeContext): void;
  zkClientHandle(zk: any, event: NodeEvent, ctx: NodeContext): ZkClientOutput[] | null;
  zkCreate(zk: any, ctx: NodeContext, path: string, data: unknown, options: { ephemeral?: boolean }, tag: string): void;
  zkGetData(zk: any, ctx: NodeContext, path: string, options: { watch?: boolean }, tag: string): void;
  zkDelete(zk: any, ctx: NodeContext, path: string, version: number, tag: string): void;
  createControllerState(): any;
  controllerOnSession(cs: any, session: 'connected' | 'expired' | 'disconnected', env: ControllerEnv, ctx: NodeContext): void;
  controllerOnZk(cs: any, output: ZkClientOutput, env: ControllerEnv, ctx: NodeContext): boolean;
  controllerOnMessage(cs: any, from: NodeId, payload: any, env: ControllerEnv, ctx: NodeContext): boolean;
  controllerOnTimer(cs: any, event: Extract<NodeEvent, { type: 'timer' }>, env: ControllerEnv, ctx: NodeContext): boolean;
  isActiveController(cs: any): boolean;
  describeController(cs: any): unknown;
}

/** No zk session and no controller: for tests that drive the broker's replication directly. */
export const detachedModules: HostedModules = {
  zkClientCreate: () => null,
  zkClientStart: () => undefined,
  zkClientHandle: () => null,
  zkCreate: () => undefined,
  zkGetData: () => undefined,
  zkDelete: () => undefined,
  createControllerState: () => null,
  controllerOnSession: () => undefined,
  controllerOnZk: () => false,
  controllerOnMessage: () => false,
  controllerOnTimer: () => false,
  isActiveController: () => false,
  describeController: () => null,
};
