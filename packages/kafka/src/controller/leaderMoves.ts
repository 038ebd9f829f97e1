/**
 * Moving the leadership of an ONLINE partition on purpose: Kafka's PartitionStateMachine
 * OnlinePartition -> OnlinePartition with an election strategy other than the offline one
 * (PreferredReplicaPartitionLeaderElectionStrategy, ControlledShutdownPartitionLeaderElectionStrategy,
 * ReassignPartitionLeaderElectionStrategy). Each is a conditional write of the state znode with a
 * new leader epoch, then a LeaderAndIsr to the partition's live replicas.
 */
import { liveIds } from './channel';
import { electableIds } from './describe';
import { controlledShutdownLeader, preferredReplicaLeader, reassignPartitionLeader } from './election';
import { electedFact } from './stateChanges';
import type { ControllerState, Leadership } from './state';
import type { PlannedWrite } from './writes';

export type MoveStrategy = 'preferred' | 'controlled-shutdown' | 'reassign';

/** The reassignment's target replicas TRS = RS - RR. */
export const targetReplicas = (p: { replicas: number[]; removing: number[] }): number[] => p.replicas.filter((id) => !p.removing.includes(id));

/** The election result for one partition, or null when the strategy finds no eligible replica. */
function choose(cs: ControllerState, key: string, strategy: MoveStrategy): { leader: number; isr: number[] } | null {
  const p = cs.partitions[key];
  const current = p.leadership!;
  const electable = electableIds(cs);
  switch (strategy) {
    case 'preferred': {
      const leader = preferredReplicaLeader(p.replicas, current.isr, electable);
      return leader === null ? null : { leader, isr: [...current.isr] };
    }
    case 'controlled-shutdown':
      return controlledShutdownLeader(p.replicas, current.isr, liveIds(cs), cs.shuttingDown);
    case 'reassign': {
      const leader = reassignPartitionLeader(targetReplicas(p), current.isr, electable);
      return leader === null ? null : { leader, isr: [...current.isr] };
    }
  }
}

/**
 * Plans the elections; `failed` lists the partitions that kept their leader because no replica
 * qualified (Kafka logs them as failed elections and leaves the state alone).
 */
export function planLeaderMoves(
  cs: ControllerState, keys: readonly string[], strategy: MoveStrategy, reason: string,
): { writes: PlannedWrite[]; failed: string[] } {
  const writes: PlannedWrite[] = [];
  const failed: string[] = [];
  const live = liveIds(cs);
  for (const key of keys) {
    const p = cs.partitions[key];
    const current = p?.leadership;
    if (!current) continue;
    const next = choose(cs, key, strategy);
    if (!next) {
      failed.push(key);
      continue;
    }
    const leadership: Leadership = {
      leader: next.leader, leaderEpoch: current.leaderEpoch + 1, isr: next.isr, controllerEpoch: cs.epoch, zkVersion: current.zkVersion + 1,
    };
    writes.push({
      key, leadership, create: false, expectedVersion: current.zkVersion,
      facts: [electedFact(cs, p, next.leader, leadership.leaderEpoch, next.isr, false, reason)],
      leaderAndIsrTo: p.replicas.filter((id) => live.includes(id)),
    });
  }
  return { writes, failed };
}

/**
 * KafkaController.updateLeaderEpochAndSendRequest: the same leader and ISR under a new leader
 * epoch, so that the replicas apply a changed replica set (reassignment phases A1 and B3).
 */
export function planLeaderEpochBump(cs: ControllerState, key: string, recipients: readonly number[]): PlannedWrite | null {
  const current = cs.partitions[key]?.leadership;
  if (!current) return null;
  return {
    key,
    leadership: { ...current, isr: [...current.isr], leaderEpoch: current.leaderEpoch + 1, controllerEpoch: cs.epoch, zkVersion: current.zkVersion + 1 },
    create: false, expectedVersion: current.zkVersion, facts: [], leaderAndIsrTo: [...recipients],
  };
}
