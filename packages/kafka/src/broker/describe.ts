/** A read-only summary of a broker for the visualizer, the CLI and tests. */
import type { NodeId } from '@kafkasim/engine';
import { brokerNodeId } from '../protocol';
import { allRecords, describeLog, type LogDescription } from '../storage';
import type { BrokerDurable, BrokerVolatile, FollowerSync, PendingIsrChange } from './types';

export interface ReplicaSummary {
  broker: NodeId;
  logEndOffset: number;
  /** The leader's view of a follower has no HW of its own: null there. */
  highWatermark: number | null;
  lastCaughtUpTimeMs: number | null;
  inSync: boolean;
}

export interface BrokerPartitionSummary {
  topic: string;
  partition: number;
  role: 'leader' | 'follower' | 'none';
  leader: NodeId | null;
  leaderEpoch: number;
  partitionEpoch: number;
  replicas: NodeId[];
  isr: NodeId[];
  pendingIsr: PendingIsrChange | null;
  logEndOffset: number;
  highWatermark: number;
  /** This replica, then (on a leader) its view of every follower. */
  replicaStates: ReplicaSummary[];
  followerSync: FollowerSync | null;
  records: { offset: number; key: string | null; value: string; epoch: number }[];
  log: LogDescription;
}

export interface BrokerSummary {
  brokerId: number;
  up: boolean;
  zkSession: string | null;
  registered: boolean;
  brokerEpoch: number;
  controllerEpochSeen: number;
  controller: unknown;
  metadata: BrokerVolatile['metadata'] | null;
  partitions: BrokerPartitionSummary[];
  fetchers: { leader: NodeId; inFlight: string | null }[];
  delayedProduces: number;
  delayedFetches: number;
}

export function summarizeBroker(
  state: { durable: BrokerDurable; volatile: BrokerVolatile | null },
  describeController: (cs: unknown) => unknown = () => null,
): BrokerSummary {
  const v = state.volatile;
  const self = brokerNodeId(state.durable.brokerId);
  const partitions = Object.keys(state.durable.logs).sort().map((key): BrokerPartitionSummary => {
    const log = state.durable.logs[key];
    const p = v?.partitions[key];
    const hw = p ? p.highWatermark : Math.min(log.highWatermarkCheckpoint, log.logEndOffset);
    const own: ReplicaSummary = { broker: self, logEndOffset: log.logEndOffset, highWatermark: hw, lastCaughtUpTimeMs: null, inSync: !!p?.isr.includes(self) };
    const followers = p && p.role === 'leader'
      ? p.replicas.filter((r) => r !== self).map((r): ReplicaSummary => ({
          broker: r,
          logEndOffset: p.followers[r]?.logEndOffset ?? -1,
          highWatermark: null,
          lastCaughtUpTimeMs: p.followers[r]?.lastCaughtUpTimeMs ?? null,
          inSync: p.isr.includes(r),
        }))
      : [];
    return {
      topic: p?.topic ?? key.slice(0, key.lastIndexOf('-')),
      partition: p?.partition ?? Number(key.slice(key.lastIndexOf('-') + 1)),
      role: p ? p.role : 'none',
      leader: p?.leader ?? null,
      leaderEpoch: p?.leaderEpoch ?? -1,
      partitionEpoch: p?.partitionEpoch ?? -1,
      replicas: p ? [...p.replicas] : [],
      isr: p ? [...p.isr] : [],
      pendingIsr: p?.pendingIsr ?? null,
      logEndOffset: log.logEndOffset,
      highWatermark: hw,
      replicaStates: [own, ...followers],
      followerSync: p?.sync ?? null,
      records: allRecords(log).map((r) => ({ offset: r.offset, key: r.key, value: r.value, epoch: r.leaderEpoch })),
      log: describeLog(log),
    };
  });
  return {
    brokerId: state.durable.brokerId,
    up: v !== null,
    zkSession: v?.sessionId ?? null,
    registered: v?.registered ?? false,
    brokerEpoch: v?.brokerEpoch ?? -1,
    controllerEpochSeen: v?.controllerEpoch ?? -1,
    controller: v ? describeController(v.controller) : null,
    metadata: v ? v.metadata : null,
    partitions,
    fetchers: v ? Object.keys(v.fetchers).sort().map((leader) => ({ leader, inFlight: v.fetchers[leader].inFlight?.api ?? null })) : [],
    delayedProduces: v?.delayedProduces.length ?? 0,
    delayedFetches: v?.delayedFetches.length ?? 0,
  };
}
