/** A server's state as the visualizer and the checkers see it. */
import type { NodeId, NodeState } from '@kafkasim/engine';
import type { ZkStat } from './api';
import { lastLoggedZxid } from './log';
import type { Role, ZkDisk, ZkMemory } from './types';

export interface ZkServerDescription {
  /** 'down' when the node is crashed (no memory). */
  role: Role | 'down';
  /** Accepting clients (an established leader, an up-to-date follower). */
  serving: boolean;
  leader: NodeId | null;
  /** currentEpoch: the epoch of the leader this server last synced with. */
  epoch: number;
  acceptedEpoch: number;
  /** Last committed (and applied) zxid. */
  zxid: number;
  /** Last zxid in the log, committed or not. */
  lastLoggedZxid: number;
  tree: { path: string; data: unknown; stat: ZkStat; ephemeral: boolean }[];
  /** Sessions in the committed tree; expiresAt is known to the leader only. */
  sessions: { id: string; owner: NodeId; timeoutMs: number; expiresAt: number | null }[];
}

export function describeZkServer(state: NodeState<ZkDisk, ZkMemory | null>): ZkServerDescription {
  const d = state.durable;
  const m = state.volatile;
  const tracker = m?.lead?.tracker ?? {};
  return {
    role: m ? m.role : 'down',
    serving: m?.serving ?? false,
    leader: m ? (m.role === 'leading' ? m.election.vote.leader : m.follow?.leader ?? null) : null,
    epoch: d.currentEpoch,
    acceptedEpoch: d.acceptedEpoch,
    zxid: d.db.zxid,
    lastLoggedZxid: lastLoggedZxid(d),
    tree: Object.keys(d.db.nodes).sort().map((path) => {
      const node = d.db.nodes[path];
      return { path, data: node.data, stat: { ...node.stat }, ephemeral: node.stat.ephemeralOwner !== null };
    }),
    sessions: Object.keys(d.db.sessions).sort().map((id) => ({
      id, owner: d.db.sessions[id].owner, timeoutMs: d.db.sessions[id].timeoutMs, expiresAt: tracker[id]?.expiresAt ?? null,
    })),
  };
}
