/**
 * Kafka's leader election for an offline (or newly leaderless) partition: Election.leaderForOffline
 * and PartitionLeaderElectionAlgorithms.offlinePartitionLeaderElection.
 */

export interface ElectionResult {
  /** null: no eligible replica, the partition stays offline. */
  leader: number | null;
  /** The new ISR (unchanged when offline). */
  isr: number[];
  /** True when the leader was not in the ISR (committed data may be lost). */
  unclean: boolean;
}

/**
 * The first replica in ASSIGNMENT order that is live and in the ISR. Failing that, when unclean
 * election is allowed, the first live replica in assignment order, with an ISR of just itself.
 * A clean leader keeps the ISR minus the dead replicas.
 */
export function electLeader(
  assignment: readonly number[],
  isr: readonly number[],
  liveBrokers: readonly number[],
  uncleanAllowed: boolean,
): ElectionResult {
  const live = (id: number) => liveBrokers.includes(id);
  const clean = assignment.find((id) => live(id) && isr.includes(id));
  if (clean !== undefined) return { leader: clean, isr: isr.filter(live), unclean: false };
  if (uncleanAllowed) {
    const unclean = assignment.find(live);
    if (unclean !== undefined) return { leader: unclean, isr: [unclean], unclean: true };
  }
  return { leader: null, isr: [...isr], unclean: false };
}

/** Kafka's initial leadership of a new partition (PartitionStateMachine.initializeLeaderAndIsrForPartitions). */
export function initialLeadership(assignment: readonly number[], liveBrokers: readonly number[]): { leader: number; isr: number[] } | null {
  const liveReplicas = assignment.filter((id) => liveBrokers.includes(id));
  return liveReplicas.length === 0 ? null : { leader: liveReplicas[0], isr: liveReplicas };
}

/**
 * Kafka's ZkReplicaStateMachine.doRemoveReplicasFromIsr for one dead replica: it loses leadership
 * (leader -1) if it led, and leaves the ISR unless it is the last member (Kafka keeps a
 * one-replica ISR so that the last in-sync replica can come back as a clean leader).
 */
export function removeFromIsr(leader: number, isr: readonly number[], replica: number): { leader: number; isr: number[] } {
  return {
    leader: leader === replica ? -1 : leader,
    isr: isr.length === 1 ? [...isr] : isr.filter((id) => id !== replica),
  };
}

/**
 * PartitionLeaderElectionAlgorithms.preferredReplicaPartitionLeaderElection: the first replica of
 * the assignment, if it is live and in the ISR; otherwise no change. The ISR stays as it is.
 */
export function preferredReplicaLeader(assignment: readonly number[], isr: readonly number[], liveBrokers: readonly number[]): number | null {
  const preferred = assignment[0];
  return preferred !== undefined && liveBrokers.includes(preferred) && isr.includes(preferred) ? preferred : null;
}

/**
 * PartitionLeaderElectionAlgorithms.controlledShutdownPartitionLeaderElection: the first replica
 * in assignment order that is live, in the ISR and not shutting down; the new ISR leaves out the
 * brokers that are shutting down (Election.leaderForControlledShutdown).
 */
export function controlledShutdownLeader(
  assignment: readonly number[], isr: readonly number[], liveBrokers: readonly number[], shuttingDown: readonly number[],
): { leader: number; isr: number[] } | null {
  const leader = assignment.find((id) => liveBrokers.includes(id) && isr.includes(id) && !shuttingDown.includes(id));
  return leader === undefined ? null : { leader, isr: isr.filter((id) => !shuttingDown.includes(id)) };
}

/**
 * PartitionLeaderElectionAlgorithms.reassignPartitionLeaderElection: the first TARGET replica that
 * is live and in the ISR (the ISR stays as it is).
 */
export function reassignPartitionLeader(target: readonly number[], isr: readonly number[], liveBrokers: readonly number[]): number | null {
  return target.find((id) => liveBrokers.includes(id) && isr.includes(id)) ?? null;
}
