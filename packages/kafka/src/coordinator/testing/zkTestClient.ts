/**
 * Test support: a tiny client node that drives the client library from engine commands
 * ('create', 'getData', 'setData', 'delete', 'getChildren', 'exists', 'multi'), and helpers
 * to build an ensemble and read results.
 */
import type { Behavior, NodeContext, NodeId, Simulation } from '@kafkasim/engine';
import type { ZkClientConfig, ZkClientOutput, ZkOp } from '../api';
import {
  zkClientCreate, zkClientHandle, zkClientStart, zkCreate, zkDelete, zkExists, zkGetChildren, zkGetData, zkMulti, zkSetData,
  type ZkClientState,
} from '../client';
import { describeZkServer, type ZkServerDescription } from '../describe';
import { createZkServer } from '../server';
import type { ZkServerOptions } from '../config';

export type TimedOutput = ZkClientOutput & { at: number };

export interface TestClientMemory {
  zk: ZkClientState;
  outputs: TimedOutput[];
}

function run(zk: ZkClientState, ctx: NodeContext, name: string, d: any): void {
  const tag: string = d.tag ?? name;
  switch (name) {
    case 'create': return zkCreate(zk, ctx, d.path, d.data ?? null, { ephemeral: d.ephemeral, sequential: d.sequential }, tag);
    case 'getData': return zkGetData(zk, ctx, d.path, { watch: d.watch }, tag);
    case 'setData': return zkSetData(zk, ctx, d.path, d.data ?? null, d.version ?? -1, tag);
    case 'delete': return zkDelete(zk, ctx, d.path, d.version ?? -1, tag);
    case 'getChildren': return zkGetChildren(zk, ctx, d.path, { watch: d.watch }, tag);
    case 'exists': return zkExists(zk, ctx, d.path, { watch: d.watch }, tag);
    case 'multi': return zkMulti(zk, ctx, d.ops as ZkOp[], tag);
  }
}

export function zkTestClient(config: ZkClientConfig): Behavior<null, TestClientMemory> {
  return {
    kind: 'zk-test-client',
    createDurable: () => null,
    boot(_disk, ctx) {
      const memory: TestClientMemory = { zk: zkClientCreate(config), outputs: [] };
      zkClientStart(memory.zk, ctx);
      return memory;
    },
    handle(state, event, ctx) {
      const mem = state.volatile;
      if (event.type === 'command') return run(mem.zk, ctx, event.name, event.data ?? {});
      const outputs = zkClientHandle(mem.zk, event, ctx);
      for (const o of outputs ?? []) mem.outputs.push({ ...o, at: ctx.now });
    },
  };
}

export function zkIds(n: number): NodeId[] {
  return Array.from({ length: n }, (_, i) => `zk-${i + 1}`);
}

export function addEnsemble(sim: Simulation, n: number, options: Partial<ZkServerOptions> = {}): NodeId[] {
  const ids = zkIds(n);
  for (const id of ids) sim.addNode(id, createZkServer({ ...options, id, ensemble: ids }));
  return ids;
}

export function describe(sim: Simulation, id: NodeId): ZkServerDescription {
  return describeZkServer(sim.node(id).state);
}

/** The established leader, if exactly one server serves as leader. */
export function leaderOf(sim: Simulation, ids: NodeId[]): NodeId | null {
  const leaders = ids.filter((id) => sim.node(id).status === 'up' && describe(sim, id).role === 'leading' && describe(sim, id).serving);
  return leaders.length === 1 ? leaders[0] : null;
}

export function outputsOf(sim: Simulation, client: NodeId): TimedOutput[] {
  return (sim.node(client).state.volatile as TestClientMemory | null)?.outputs ?? [];
}

export function resultOf(sim: Simulation, client: NodeId, tag: string): Extract<TimedOutput, { type: 'result' }> | undefined {
  return outputsOf(sim, client).find((o): o is Extract<TimedOutput, { type: 'result' }> => o.type === 'result' && o.tag === tag);
}

export function sessionEvents(sim: Simulation, client: NodeId): { state: string; sessionId: string; at: number }[] {
  return outputsOf(sim, client).flatMap((o) => (o.type === 'session' ? [{ state: o.state, sessionId: o.sessionId, at: o.at }] : []));
}

export function watchEvents(sim: Simulation, client: NodeId): { path: string; event: string; at: number }[] {
  return outputsOf(sim, client).flatMap((o) => (o.type === 'watch' ? [{ path: o.path, event: o.event, at: o.at }] : []));
}

export function zkCommand(sim: Simulation, at: number, client: NodeId, name: string, data: Record<string, unknown>): void {
  sim.schedule(at, { type: 'command', node: client, name, data });
}

export function facts(sim: Simulation, event: string): Record<string, unknown>[] {
  return sim.trace.filter((e) => e.type === 'record' && e.event === event).map((e) => ({ node: e.node, time: e.time, ...(e.data as object) }));
}
