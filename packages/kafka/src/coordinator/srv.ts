/** What every server-side function works on: config, disk, memory and the node context of this step. */
import type { NodeContext, NodeId } from '@kafkasim/engine';
import type { ZkServerConfig } from './config';
import type { ServerToClient, ServerToServer } from './messages';
import type { ZkDisk, ZkMemory } from './types';

export interface Srv {
  cfg: ZkServerConfig;
  d: ZkDisk;
  m: ZkMemory;
  ctx: NodeContext;
}

export function sendPeer(s: Srv, to: NodeId, msg: ServerToServer): void {
  s.ctx.send(to, msg);
}

export function sendClient(s: Srv, to: NodeId, msg: ServerToClient): void {
  s.ctx.send(to, msg);
}

export function peers(s: Srv): NodeId[] {
  return s.cfg.ensemble.filter((id) => id !== s.cfg.id);
}

export function sortedKeys<T>(record: Record<string, T>): string[] {
  return Object.keys(record).sort();
}
