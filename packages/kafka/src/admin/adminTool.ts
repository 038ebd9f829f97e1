/**
 * The node 'admin': Kafka's ZooKeeper-era admin scripts, which write a request znode that the
 * controller watches and acts on. One ZooKeeper session; each scenario action is a command:
 * - 'reassign' { partitions: [{ topic, partition, replicas }] } -> /admin/reassign_partitions
 *   (ReassignPartitionsCommand --execute); refused while one exists ("There is an existing
 *   assignment running").
 * - 'elect-preferred' { partitions: [{ topic, partition }] } -> /admin/preferred_replica_election
 *   (PreferredReplicaLeaderElectionCommand); refused while one is in progress.
 * - 'delete-topic' { topic } -> /admin/delete_topics/<topic> (TopicCommand --delete); refused
 *   if already marked for deletion.
 * A write that meets a lost connection is sent again; the 'admin-request' fact says what became of it.
 */
import type { Behavior, NodeContext, NodeEvent } from '@kafkasim/engine';
import { zkClientCreate, zkClientHandle, zkClientStart, zkCreate, type ZkClientState } from '../coordinator';
import type { ZkClientOutput } from '../coordinator/api';
import { emit } from '../events';
import { deleteTopicPath, PREFERRED_ELECTION_PATH, REASSIGN_PARTITIONS_PATH } from '../controller/zk';

export const ADMIN_NODE = 'admin';
const RETRY_MS = 500;
const RETRY_TIMER = 'admin:retry';

export type AdminTool = 'reassign' | 'elect-preferred' | 'delete-topic';

export interface AdminRequest {
  id: number;
  tool: AdminTool;
  path: string;
  data: unknown;
}

export interface AdminMemory {
  zk: ZkClientState;
  connected: boolean;
  nextId: number;
  /** Requests not yet answered by ZooKeeper, in order. */
  pending: AdminRequest[];
}

/** The znode an admin command writes, or null for a command this tool does not know. */
export function adminRequestFor(name: string, data: any): Omit<AdminRequest, 'id'> | null {
  switch (name) {
    case 'reassign':
      return { tool: 'reassign', path: REASSIGN_PARTITIONS_PATH, data: { version: 1, partitions: data.partitions } };
    case 'elect-preferred':
      return { tool: 'elect-preferred', path: PREFERRED_ELECTION_PATH, data: { version: 1, partitions: data.partitions } };
    case 'delete-topic':
      return { tool: 'delete-topic', path: deleteTopicPath(data.topic), data: null };
    default:
      return null;
  }
}

const REFUSALS: Record<AdminTool, string> = {
  reassign: 'there is an existing assignment running',
  'elect-preferred': 'a preferred replica leader election is already in progress',
  'delete-topic': 'the topic is already marked for deletion',
};

function issue(m: AdminMemory, ctx: NodeContext, r: AdminRequest): void {
  zkCreate(m.zk, ctx, r.path, r.data, {}, `admin:${r.id}`);
}

function onZk(m: AdminMemory, ctx: NodeContext, outputs: ZkClientOutput[]): void {
  for (const out of outputs) {
    if (out.type === 'session') {
      m.connected = out.state === 'connected';
      if (m.connected) for (const r of m.pending) issue(m, ctx, r);
      continue;
    }
    if (out.type !== 'result' || !out.tag.startsWith('admin:')) continue;
    const id = Number(out.tag.slice('admin:'.length));
    const r = m.pending.find((p) => p.id === id);
    if (!r) continue;
    if (!out.ok && (out.error === 'ConnectionLoss' || out.error === 'SessionExpired')) {
      ctx.setTimer(RETRY_MS, RETRY_TIMER, { id });
      continue;
    }
    m.pending = m.pending.filter((p) => p.id !== id);
    if (out.ok) emit(ctx, { event: 'admin-request', tool: r.tool, path: r.path, ok: true });
    else emit(ctx, { event: 'admin-request', tool: r.tool, path: r.path, ok: false, error: out.error === 'NodeExists' ? REFUSALS[r.tool] : out.error });
  }
}

export function createAdminTool(zkServers: string[], sessionTimeoutMs: number): Behavior<null, AdminMemory> {
  return {
    kind: 'admin-tool',
    createDurable: () => null,
    boot(_durable, ctx) {
      const m: AdminMemory = { zk: zkClientCreate({ servers: zkServers, sessionTimeoutMs }), connected: false, nextId: 1, pending: [] };
      zkClientStart(m.zk, ctx);
      return m;
    },
    handle(state, event: NodeEvent, ctx) {
      const m = state.volatile;
      const outputs = zkClientHandle(m.zk, event, ctx);
      if (outputs !== null) return onZk(m, ctx, outputs);
      if (event.type === 'timer' && event.name === RETRY_TIMER) {
        const r = m.pending.find((p) => p.id === event.data.id);
        if (r && m.connected) issue(m, ctx, r);
        return;
      }
      if (event.type !== 'command') return;
      const request = adminRequestFor(event.name, event.data);
      if (!request) return;
      const r = { id: m.nextId++, ...request };
      m.pending.push(r);
      if (m.connected) issue(m, ctx, r);
    },
  };
}
