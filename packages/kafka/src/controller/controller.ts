import type { NodeContext, NodeEvent, NodeId } from '@kafkasim/engine';
import type { ZkClientOutput } from '../coordinator/api';
import type { ControllerEnv } from './index';
import type { ControllerState } from './state';

export function controllerOnSession(cs: ControllerState, session: 'connected' | 'expired' | 'disconnected', env: ControllerEnv, ctx: NodeContext): void {
  void cs; void session; void env; void ctx;
}
export function controllerOnZk(cs: ControllerState, output: ZkClientOutput, env: ControllerEnv, ctx: NodeContext): boolean {
  void cs; void output; void env; void ctx;
  return false;
}
export function controllerOnMessage(cs: ControllerState, from: NodeId, payload: any, env: ControllerEnv, ctx: NodeContext): boolean {
  void cs; void from; void payload; void env; void ctx;
  return false;
}
export function controllerOnTimer(cs: ControllerState, event: Extract<NodeEvent, { type: 'timer' }>, env: ControllerEnv, ctx: NodeContext): boolean {
  void cs; void event; void env; void ctx;
  return false;
}
