/**
 * The cluster as the trace tells it: engine entries (crash, pause, partition...) and the model's
 * facts (packages/kafka/src/events.ts) folded into plain data. This works for a run in the worker
 * and for a trace file alike; the world state's describe* functions add detail on top of it.
 * Plain data only, so that the index can keep cheap snapshots of it (structuredClone).
 */
import type { TraceEntry } from '@kafkasim/engine';
import type { NodeStatus } from './view';

export interface ReplicaLog {
  /** ids[offset] = record id (undefined below the log start or in gaps). */
  ids: (string | undefined)[];
  epochs: (number | undefined)[];
  highWatermark: number | null;
  role: 'leader' | 'follower' | null;
}

export interface PartitionFacts {
  topic: string;
  partition: number;
  leader: string | null;
  leaderEpoch: number;
  isr: string[];
  /** Every broker seen holding or leading the partition, sorted. */
  replicas: string[];
  offline: boolean;
  /** A reassignment in progress: its latest phase and the replicas being added and removed (events.ts 'reassignment'). */
  reassignment: { phase: string; adding: string[]; removing: string[] } | null;
  logs: Record<string, ReplicaLog>;
}

export interface GroupFacts {
  generation: number;
  state: 'stable' | 'rebalancing' | 'empty';
  reason: string | null;
  members: Record<string, string>;
  assignment: Record<string, string[]>;
  committed: Record<string, number>;
  /** node -> tp -> next offset */
  positions: Record<string, Record<string, number>>;
  /** node -> tp -> one past the last offset it finished processing */
  processed: Record<string, Record<string, number>>;
  /** The assignment of the last generation while a rebalance has revoked it (eager protocol). */
  revoked: Record<string, string[]> | null;
}

export interface FactState {
  nodes: Record<string, { status: NodeStatus; incarnation: number }>;
  partitions: { id: string; sideA: string[]; sideB: string[]; oneWay: boolean }[];
  linkFaults: { id: string; from: string[] | null; to: string[] | null; drop: number; delayMs: number }[];
  zk: {
    leader: string | null;
    epoch: number;
    zxid: number;
    sessions: Record<string, { owner: string; server: string | null; alive: boolean }>;
    /** path -> owner session (null: persistent) */
    znodes: Record<string, string | null>;
  };
  controller: { id: string | null; epoch: number };
  topics: Record<string, PartitionFacts>;
  groups: Record<string, GroupFacts>;
  producers: Record<string, { requested: number; acked: number; failed: number }>;
}

export function emptyFactState(): FactState {
  return {
    nodes: {},
    partitions: [],
    linkFaults: [],
    zk: { leader: null, epoch: 0, zxid: 0, sessions: {}, znodes: {} },
    controller: { id: null, epoch: 0 },
    topics: {},
    groups: {},
    producers: {},
  };
}

export const tpKey = (topic: string, partition: number): string => `${topic}-${partition}`;

/** Znodes Kafka creates as ephemeral: a trace names paths, not flags, so this is the fallback. */
export function kafkaEphemeralPath(path: string): boolean {
  return /^\/brokers\/ids\/[^/]+$/.test(path) || path === '/controller';
}

function partitionOf(state: FactState, topic: string, partition: number): PartitionFacts {
  const key = tpKey(topic, partition);
  let p = state.topics[key];
  if (!p) {
    p = { topic, partition, leader: null, leaderEpoch: -1, isr: [], replicas: [], offline: false, reassignment: null, logs: {} };
    state.topics[key] = p;
  }
  return p;
}

function replicaOf(p: PartitionFacts, broker: string): ReplicaLog {
  let log = p.logs[broker];
  if (!log) {
    log = { ids: [], epochs: [], highWatermark: null, role: null };
    p.logs[broker] = log;
    if (!p.replicas.includes(broker)) p.replicas = [...p.replicas, broker].sort();
  }
  return log;
}

function addReplicas(p: PartitionFacts, brokers: string[]): void {
  const missing = [...new Set(brokers)].filter((b) => !p.replicas.includes(b));
  if (missing.length > 0) p.replicas = [...p.replicas, ...missing].sort();
}

function groupOf(state: FactState, group: string): GroupFacts {
  let g = state.groups[group];
  if (!g) {
    g = { generation: 0, state: 'empty', reason: null, members: {}, assignment: {}, committed: {}, positions: {}, processed: {}, revoked: null };
    state.groups[group] = g;
  }
  return g;
}

function producerOf(state: FactState, id: string) {
  let p = state.producers[id];
  if (!p) state.producers[id] = p = { requested: 0, acked: 0, failed: 0 };
  return p;
}

function nodeOf(state: FactState, id: string) {
  let n = state.nodes[id];
  if (!n) state.nodes[id] = n = { status: 'not-started', incarnation: 0 };
  return n;
}

/** Folds one trace entry into the state (mutates it). */
export function applyEntry(state: FactState, entry: TraceEntry): void {
  const node = entry.node;
  switch (entry.type) {
    case 'boot':
    case 'restart':
      nodeOf(state, node!).status = 'up';
      return;
    case 'crash': {
      const n = nodeOf(state, node!);
      n.status = 'crashed';
      n.incarnation += 1;
      return;
    }
    case 'pause':
      nodeOf(state, node!).status = 'paused';
      return;
    case 'resume':
      nodeOf(state, node!).status = 'up';
      return;
    case 'partition': {
      const rule = { id: String(entry.id), sideA: entry.sideA as string[], sideB: entry.sideB as string[], oneWay: Boolean(entry.oneWay) };
      state.partitions = state.partitions.filter((p) => p.id !== rule.id).concat([rule]);
      return;
    }
    case 'heal':
      state.partitions = entry.id ? state.partitions.filter((p) => p.id !== entry.id) : [];
      return;
    case 'link-fault': {
      const fault = {
        id: String(entry.id), from: (entry.from as string[]) ?? null, to: (entry.to as string[]) ?? null,
        drop: Number(entry.drop ?? 0), delayMs: Number(entry.extraDelayMs ?? 0),
      };
      state.linkFaults = state.linkFaults.filter((f) => f.id !== fault.id).concat([fault]);
      return;
    }
    case 'clear-link-fault':
      state.linkFaults = entry.id ? state.linkFaults.filter((f) => f.id !== entry.id) : [];
      return;
    case 'record':
      applyFact(state, String(entry.event), (entry.data ?? {}) as Record<string, any>);
      return;
    default:
      return;
  }
}

function applyFact(state: FactState, event: string, d: Record<string, any>): void {
  switch (event) {
    case 'zk-leader-elected':
      Object.assign(state.zk, { leader: d.server, epoch: d.epoch, zxid: d.zxid });
      return;
    case 'zk-session-created':
      state.zk.sessions[d.sessionId] = { owner: d.owner, server: d.server ?? null, alive: true };
      return;
    case 'zk-session-expired': {
      const s = state.zk.sessions[d.sessionId];
      if (s) s.alive = false;
      else state.zk.sessions[d.sessionId] = { owner: d.owner, server: null, alive: false };
      // A session's ephemeral znodes go with it.
      for (const [path, owner] of Object.entries(state.zk.znodes)) if (owner === d.sessionId) delete state.zk.znodes[path];
      return;
    }
    case 'zk-write-committed': {
      state.zk.zxid = Math.max(state.zk.zxid, d.zxid ?? 0);
      const op = String(d.op);
      const path = String(d.path);
      if (op.startsWith('create')) {
        const owner = kafkaEphemeralPath(path) ? ownerSessionOf(state, path) : null;
        state.zk.znodes[path] = owner;
      } else if (op.startsWith('delete')) {
        for (const p of Object.keys(state.zk.znodes)) if (p === path || p.startsWith(`${path}/`)) delete state.zk.znodes[p];
      } else if (!(path in state.zk.znodes)) {
        state.zk.znodes[path] = null;
      }
      return;
    }
    case 'broker-registered':
      state.zk.znodes[`/brokers/ids/${String(d.broker).replace(/^broker-/, '')}`] = d.sessionId;
      return;
    case 'controller-elected':
      state.controller = { id: d.controller, epoch: d.controllerEpoch };
      return;
    case 'controller-resigned':
      if (state.controller.id === d.controller) state.controller = { id: null, epoch: state.controller.epoch };
      return;
    case 'leader-elected': {
      const p = partitionOf(state, d.topic, d.partition);
      if (isOvertaken(p, d)) return;
      Object.assign(p, { leader: d.leader, leaderEpoch: d.leaderEpoch, isr: [...d.isr], offline: false });
      addReplicas(p, [d.leader, ...d.isr].filter(Boolean));
      return;
    }
    case 'partition-state-loaded': {
      // A new controller's read of ZooKeeper: it also holds changes whose facts were never
      // recorded (the controller that made them crashed before ZooKeeper's answer reached it).
      const p = partitionOf(state, d.topic, d.partition);
      if (isOvertaken(p, d)) return;
      Object.assign(p, { leader: d.leader, leaderEpoch: d.leaderEpoch, isr: [...d.isr], offline: d.leader === null });
      addReplicas(p, [...d.replicas, ...d.isr]);
      const moving = d.adding.length > 0 || d.removing.length > 0;
      p.reassignment = !moving ? null : { phase: p.reassignment?.phase ?? 'started', adding: [...d.adding], removing: [...d.removing] };
      return;
    }
    case 'partition-offline': {
      const p = partitionOf(state, d.topic, d.partition);
      Object.assign(p, { leader: null, offline: true });
      return;
    }
    case 'isr-changed': {
      const p = partitionOf(state, d.topic, d.partition);
      if (isOvertaken(p, d)) return;
      p.isr = [...d.isr];
      addReplicas(p, d.isr);
      return;
    }
    case 'become-leader': {
      const p = partitionOf(state, d.topic, d.partition);
      const log = replicaOf(p, d.broker);
      log.role = 'leader';
      log.highWatermark = d.highWatermark;
      if (p.leaderEpoch <= d.leaderEpoch) Object.assign(p, { leader: d.broker, leaderEpoch: d.leaderEpoch, offline: false });
      return;
    }
    case 'become-follower': {
      const log = replicaOf(partitionOf(state, d.topic, d.partition), d.broker);
      log.role = 'follower';
      return;
    }
    case 'append': {
      const log = replicaOf(partitionOf(state, d.topic, d.partition), d.broker);
      (d.ids as string[]).forEach((id, i) => {
        log.ids[d.firstOffset + i] = id;
        log.epochs[d.firstOffset + i] = d.leaderEpoch;
      });
      return;
    }
    case 'truncate': {
      const log = replicaOf(partitionOf(state, d.topic, d.partition), d.broker);
      if (log.ids.length > d.to) {
        log.ids.length = d.to;
        log.epochs.length = d.to;
      }
      if (log.highWatermark !== null && log.highWatermark > d.to) log.highWatermark = d.to;
      return;
    }
    case 'high-watermark':
      replicaOf(partitionOf(state, d.topic, d.partition), d.broker).highWatermark = d.highWatermark;
      return;
    case 'reassignment': {
      const p = partitionOf(state, d.topic, d.partition);
      addReplicas(p, d.replicas);
      p.reassignment = d.phase === 'completed' ? null : { phase: d.phase, adding: [...d.adding], removing: [...d.removing] };
      return;
    }
    case 'replica-stopped': {
      // A deleted replica (moved away, or its topic deleted) no longer holds the partition.
      const p = state.topics[tpKey(d.topic, d.partition)];
      if (!p || !d.deleted) return;
      delete p.logs[d.broker];
      p.replicas = p.replicas.filter((b) => b !== d.broker);
      return;
    }
    case 'topic-deletion':
      if (d.phase === 'completed') for (const key of Object.keys(state.topics)) if (state.topics[key].topic === d.topic) delete state.topics[key];
      return;
    case 'produce-request':
      producerOf(state, d.producer).requested += 1;
      return;
    case 'produce-acked':
      producerOf(state, d.producer).acked += 1;
      return;
    case 'produce-failed':
      producerOf(state, d.producer).failed += 1;
      return;
    case 'rebalance-started': {
      const g = groupOf(state, d.group);
      // Eager rebalancing: every member gives up its partitions until the new generation is assigned.
      if (g.state !== 'rebalancing' && Object.keys(g.assignment).length > 0) g.revoked = g.assignment;
      Object.assign(g, { state: 'rebalancing', reason: d.reason, generation: Math.max(g.generation, d.generation), assignment: {} });
      return;
    }
    case 'rebalance-completed': {
      const g = groupOf(state, d.group);
      const assignment: Record<string, string[]> = {};
      for (const member of Object.keys(d.assignment).sort()) {
        assignment[member] = (d.assignment[member] as { topic: string; partition: number }[]).map((tp) => tpKey(tp.topic, tp.partition));
      }
      Object.assign(g, { state: Object.keys(assignment).length > 0 ? 'stable' : 'empty', reason: null, generation: d.generation, assignment, revoked: null });
      return;
    }
    case 'member-joined':
      groupOf(state, d.group).members[d.member] = d.node;
      return;
    case 'member-removed': {
      const g = groupOf(state, d.group);
      delete g.members[d.member];
      delete g.assignment[d.member];
      return;
    }
    case 'offset-committed':
      groupOf(state, d.group).committed[tpKey(d.topic, d.partition)] = d.offset;
      return;
    case 'processed': {
      const g = groupOf(state, d.group);
      const done = (g.processed[d.member] ??= {});
      const key = tpKey(d.topic, d.partition);
      done[key] = Math.max(done[key] ?? 0, d.offset + 1);
      return;
    }
    case 'consumed': {
      const g = groupOf(state, d.group);
      const positions = (g.positions[d.member] ??= {});
      positions[tpKey(d.topic, d.partition)] = d.offset + 1;
      return;
    }
    default:
      return;
  }
}

/**
 * A controller paused past its session records its last change when the answer finally reaches
 * it, after its successor moved the partition to a newer leader epoch: that late fact is history
 * for the event log, not the partition's state.
 */
const isOvertaken = (p: PartitionFacts, d: Record<string, any>): boolean => d.leaderEpoch < p.leaderEpoch;

/** The session that owns an ephemeral path: Kafka's broker znodes belong to the broker's live session. */
function ownerSessionOf(state: FactState, path: string): string | null {
  const broker = /^\/brokers\/ids\/(\d+)$/.exec(path)?.[1];
  const live = Object.entries(state.zk.sessions).filter(([, s]) => s.alive);
  if (broker) return live.find(([, s]) => s.owner === `broker-${broker}`)?.[0] ?? 'ephemeral';
  if (path === '/controller' && state.controller.id) return live.find(([, s]) => s.owner === state.controller.id)?.[0] ?? 'ephemeral';
  return 'ephemeral';
}
