/**
 * Kafka's rack-unaware replica placement (AdminUtils.assignReplicasToBrokersRackUnaware):
 * partition p's first replica is broker (p + startIndex) mod n; the followers are spread by a
 * shift that grows by one every n partitions, so that replicas of consecutive "rounds" do not
 * land on the same followers. Kafka draws startIndex and nextReplicaShift from rand.nextInt(n)
 * unless a fixed start index is given (then both equal it).
 */

export class InvalidReplicationFactorError extends Error {}

/** Returns the assignment, indexed by partition: each entry lists broker ids, the preferred leader first. */
export function assignReplicasToBrokers(
  brokerIds: readonly number[],
  partitions: number,
  replicationFactor: number,
  startIndex: number,
  nextReplicaShift: number,
): number[][] {
  const n = brokerIds.length;
  if (partitions <= 0) throw new Error('number of partitions must be larger than 0');
  if (replicationFactor <= 0) throw new InvalidReplicationFactorError('replication factor must be larger than 0');
  if (replicationFactor > n) {
    throw new InvalidReplicationFactorError(`replication factor: ${replicationFactor} larger than available brokers: ${n}`);
  }
  const assignment: number[][] = [];
  let shift = nextReplicaShift;
  for (let p = 0; p < partitions; p++) {
    if (p > 0 && p % n === 0) shift += 1;
    const first = (p + startIndex) % n;
    const replicas = [brokerIds[first]];
    for (let j = 0; j < replicationFactor - 1; j++) replicas.push(brokerIds[replicaIndex(first, shift, j, n)]);
    assignment.push(replicas);
  }
  return assignment;
}

/** AdminUtils.replicaIndex: never 0 away from the first replica, so no broker appears twice. */
function replicaIndex(firstReplicaIndex: number, secondReplicaShift: number, index: number, n: number): number {
  const shift = 1 + ((secondReplicaShift + index) % (n - 1));
  return (firstReplicaIndex + shift) % n;
}
