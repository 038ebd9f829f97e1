/**
 * createZkServer: a coordinator server node ('zk-1'..'zk-n'), a ZooKeeper-like CP service.
 * On boot it is LOOKING (FastLeaderElection), then LEADING or FOLLOWING (Zab). Its disk keeps
 * the epochs, the committed tree and the txn log; the election state and client connections
 * are memory only, lost in a crash.
 */
import type { Behavior, NodeContext, NodeEvent, NodeState } from '@kafkasim/engine';
import { resolveConfig, type ZkServerConfig, type ZkServerOptions } from './config';
import { createDb } from './db';
import { electionTick, onFinalize, onNotification, startElection } from './election';
import { followerTick, onLeaderMessage } from './follower';
import { handleForward, leaderTick, onAck, onFollowerInfo, onPong } from './leader';
import type { ClientToServer, ServerToServer } from './messages';
import { onClientMessage, reapIdle, toLeader } from './serve';
import { expireOwner } from './sessions';
import type { Srv } from './srv';
import type { ZkDisk, ZkMemory } from './types';

export function createZkDisk(): ZkDisk {
  return { acceptedEpoch: 0, currentEpoch: 0, db: createDb(), log: [], logBase: 0 };
}

function freshMemory(cfg: ZkServerConfig): ZkMemory {
  return {
    role: 'looking', serving: false,
    election: { round: 0, vote: { leader: cfg.id, zxid: 0, epoch: 0 }, recv: {}, outOf: {}, finalizePending: false },
    lead: null, follow: null, followSeq: 0,
    conns: {}, pendingExpires: [], pendingConnects: {}, dataWatches: {}, childWatches: {},
  };
}

function onServerMessage(s: Srv, from: string, msg: ServerToServer): void {
  if (!s.cfg.ensemble.includes(from)) return;
  switch (msg.type) {
    case 'notification': return onNotification(s, from, msg);
    case 'followerinfo': return onFollowerInfo(s, from, msg.info);
    case 'ack': return onAck(s, from, msg.epoch, msg.zxid);
    case 'pong': return onPong(s, from, msg.epoch, msg.touched);
    case 'forward':
      if (s.m.lead && msg.epoch === s.m.lead.epoch) handleForward(s, from, msg.fwd);
      return;
    default: return onLeaderMessage(s, from, msg);
  }
}

function onTick(s: Srv): void {
  if (s.m.role === 'looking') electionTick(s);
  else if (s.m.role === 'leading') leaderTick(s);
  else followerTick(s);
  reapIdle(s);
  s.ctx.setTimer(s.cfg.tickMs, 'tick');
}

/** The 'expire-session' fault, sent to any server: the leader expires that client's session. */
function onCommand(s: Srv, name: string, data: any): void {
  if (name !== 'expire-session' || typeof data?.owner !== 'string') return;
  if (!s.m.serving) s.m.pendingExpires.push(data.owner);
  else if (s.m.role === 'leading') expireOwner(s, data.owner);
  else toLeader(s, { kind: 'expire', owner: data.owner });
}

export function createZkServer(options: ZkServerOptions): Behavior<ZkDisk, ZkMemory> {
  const cfg = resolveConfig(options);
  const srv = (state: { durable: ZkDisk; volatile: ZkMemory }, ctx: NodeContext): Srv => ({ cfg, d: state.durable, m: state.volatile, ctx });
  return {
    kind: 'zk-server',
    createDurable: createZkDisk,
    boot(durable, ctx) {
      const memory = freshMemory(cfg);
      ctx.setTimer(cfg.tickMs, 'tick');
      startElection(srv({ durable, volatile: memory }, ctx));
      return memory;
    },
    handle(state: NodeState<ZkDisk, ZkMemory>, event: NodeEvent, ctx: NodeContext) {
      const s = srv(state, ctx);
      switch (event.type) {
        case 'timer':
          if (event.name === 'tick') onTick(s);
          else if (event.name === 'finalize') onFinalize(s, event.data.round);
          return;
        case 'message': {
          const payload = event.payload as ClientToServer | ServerToServer;
          if (payload?.proto === 'zk') onClientMessage(s, event.from, payload);
          else if (payload?.proto === 'zab') onServerMessage(s, event.from, payload);
          return;
        }
        case 'command':
          onCommand(s, event.name, event.data);
      }
    },
  };
}
