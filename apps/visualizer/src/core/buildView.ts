/** The view at one step: the fact state, windowed, plus what only the world state knows. */
import { isBlocked, type WorldState } from '@kafkasim/engine';
import { apiOf } from './describeEntry';
import type { FactState } from './factState';
import { logWindow } from './logWindow';
import type { TraceIndex } from './traceIndex';
import type {
  FlightView, GroupView, LogCell, LogWindowRequest, NodeInfo, NodeView, PartitionView, ReplicaLogView, StepView, ZkView,
} from './view';

export interface ViewInputs {
  branch: number;
  step: number;
  time: number;
  nodes: NodeInfo[];
  facts: FactState;
  index: TraceIndex;
  world: Readonly<WorldState> | null;
  lost: ReadonlySet<string>;
  window: LogWindowRequest;
}

export const producerOfId = (id: string): string => {
  const colon = id.lastIndexOf(':');
  return colon > 0 ? id.slice(0, colon) : id;
};

export function buildStepView(input: ViewInputs): StepView {
  const { facts, index, world } = input;
  const { flights, total } = world ? flightsInQueue(world) : index.flightsAt(input.step, input.time);
  return {
    branch: input.branch,
    step: input.step,
    time: input.time,
    nextTime: null,
    prevTime: null,
    nodes: nodeViews(input),
    partitions: facts.partitions.map((p) => ({ ...p, sideA: [...p.sideA], sideB: [...p.sideB] })),
    linkFaults: facts.linkFaults.map((f) => ({ ...f })),
    zk: zkView(input),
    controller: { ...facts.controller },
    topics: topicViews(input),
    groups: groupViews(facts),
    producers: Object.keys(facts.producers).sort().map((id) => ({ id, ...facts.producers[id] })),
    inFlight: flights,
    inFlightTotal: total,
    recent: index.recentAt(input.step),
    countdowns: [],
  };
}

function nodeViews({ nodes, facts, world }: ViewInputs): NodeView[] {
  return nodes.map(({ id, role }) => {
    const record = world?.nodes[id];
    if (record) {
      return {
        id, role,
        status: record.booted ? record.status : 'not-started',
        incarnation: record.incarnation,
        buffered: record.buffered.length,
      };
    }
    const f = facts.nodes[id];
    return { id, role, status: f?.status ?? 'not-started', incarnation: f?.incarnation ?? 0, buffered: 0 };
  });
}

function zkView({ nodes, facts }: ViewInputs): ZkView {
  const zk = facts.zk;
  const leaderDown = zk.leader !== null && facts.nodes[zk.leader]?.status === 'crashed';
  return {
    leader: leaderDown ? null : zk.leader,
    epoch: zk.epoch,
    zxid: zk.zxid,
    servers: nodes.filter((n) => n.role === 'zk').map((n) => ({ id: n.id, role: n.id === zk.leader ? 'leader' : 'follower', zxid: null })),
    sessions: Object.keys(zk.sessions).sort().map((id) => ({ id, ...zk.sessions[id] })),
    tree: Object.keys(zk.znodes).sort().map((path) => ({ path, ephemeral: zk.znodes[path] !== null, owner: zk.znodes[path], data: '' })),
  };
}

function topicViews({ facts, index, lost, window }: ViewInputs): PartitionView[] {
  const keys = Object.keys(facts.topics).sort((a, b) => {
    const pa = facts.topics[a];
    const pb = facts.topics[b];
    return pa.topic === pb.topic ? pa.partition - pb.partition : pa.topic < pb.topic ? -1 : 1;
  });
  return keys.map((key) => {
    const p = facts.topics[key];
    const max = Math.max(0, ...Object.values(p.logs).map((l) => l.ids.length));
    const replicaMarks = p.replicas.flatMap((b) => (p.logs[b] ? [p.logs[b].ids.length, p.logs[b].highWatermark] : []));
    const consumerMarks = Object.values(facts.groups).flatMap((g) => [
      ...(g.committed[key] !== undefined ? [g.committed[key]] : []),
      ...Object.values(g.positions).flatMap((byTp) => (byTp[key] !== undefined ? [byTp[key]] : [])),
    ]);
    const { from, to } = logWindow({ replicaMarks, consumerMarks, max, from: window.from, size: window.size, preferred: window.preferred });
    const logs: ReplicaLogView[] = p.replicas.map((broker) => {
      const log = p.logs[broker];
      const cells: LogCell[] = [];
      if (log) {
        for (let offset = from; offset < Math.min(to, log.ids.length); offset++) {
          const id = log.ids[offset];
          if (id === undefined) continue;
          cells.push({ offset, id, producer: producerOfId(id), key: index.keys.get(id) ?? null, leaderEpoch: log.epochs[offset] ?? -1, lost: lost.has(id), lostAtStep: index.lostAt.get(id) ?? null });
        }
      }
      return {
        broker,
        isLeader: p.leader === broker,
        inIsr: p.isr.includes(broker),
        logStartOffset: 0,
        logEndOffset: log ? log.ids.length : 0,
        highWatermark: log ? log.highWatermark : null,
        cells,
        segments: [],
      };
    });
    const leaderLog = p.leader ? p.logs[p.leader] : undefined;
    return {
      topic: p.topic,
      partition: p.partition,
      key,
      leader: p.leader,
      leaderEpoch: p.leaderEpoch,
      isr: [...p.isr],
      replicas: [...p.replicas],
      offline: p.offline,
      reassigning: p.reassignment
        ? `reassigning (${p.reassignment.phase}): +${p.reassignment.adding.join(',') || 'none'} -${p.reassignment.removing.join(',') || 'none'}`
        : null,
      highWatermark: leaderLog ? leaderLog.highWatermark : null,
      window: { from, to, max },
      logs,
      consumers: [],
    };
  });
}

function groupViews(facts: FactState): GroupView[] {
  return Object.keys(facts.groups).sort().map((group) => {
    const g = facts.groups[group];
    const memberIds = [...new Set([...Object.keys(g.members), ...Object.keys(g.assignment)])].sort();
    return {
      group,
      generation: g.generation,
      state: g.state,
      reason: g.reason,
      members: memberIds.map((member) => ({ member, node: g.members[member] ?? member, assignment: [...(g.assignment[member] ?? [])] })),
      committed: Object.keys(g.committed).sort().map((tp) => ({ tp, offset: g.committed[tp] })),
      positions: Object.keys(g.positions).sort().flatMap((node) =>
        Object.keys(g.positions[node]).sort().map((tp) => ({ node, tp, position: g.positions[node][tp] }))),
      processed: Object.keys(g.processed).sort().flatMap((node) =>
        Object.keys(g.processed[node]).sort().map((tp) => ({ node, tp, offset: g.processed[node][tp] }))),
      revoked: g.revoked ? Object.keys(g.revoked).sort().map((member) => ({ member, tps: [...g.revoked![member]] })) : [],
    };
  });
}

/** With the world state at hand, the queue says exactly what is on the wire and what will be dropped. */
export function flightsInQueue(world: Readonly<WorldState>, limit = 400): { flights: FlightView[]; total: number } {
  const flights: FlightView[] = [];
  for (const e of world.queue) {
    if (e.kind !== 'message') continue;
    const target = world.nodes[e.to];
    const dropped = !target || target.status === 'crashed' || target.incarnation !== e.toIncarnation || isBlocked(world.network, e.from, e.to);
    flights.push({ msgId: e.msgId, from: e.from, to: e.to, api: apiOf(e.payload), sentAt: e.sentAt, arriveAt: e.time, fate: dropped ? 'drop' : 'deliver' });
  }
  flights.sort((a, b) => a.arriveAt - b.arriveAt || a.msgId - b.msgId);
  return { flights: flights.slice(0, limit), total: flights.length };
}

/**
 * Each consumer's position and its group's committed offset, on the partition's log. Called after
 * the world state has refined the groups (the coordinator's committed offsets), so that the log
 * and the group table agree.
 */
export function attachConsumerMarks(view: StepView): void {
  const byTp = new Map(view.topics.map((p) => [p.key, p]));
  for (const g of view.groups) {
    for (const c of g.committed) byTp.get(c.tp)?.consumers.push({ group: g.group, node: null, kind: 'committed', offset: c.offset });
    for (const pos of g.positions) byTp.get(pos.tp)?.consumers.push({ group: g.group, node: pos.node, kind: 'position', offset: pos.position });
  }
}
