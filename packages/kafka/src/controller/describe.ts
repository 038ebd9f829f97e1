import type { ControllerState, ControllerSummary } from './state';
import { sortedPartitionKeys } from './state';

export const isActiveController = (cs: ControllerState): boolean => cs.active;

export function isLive(cs: ControllerState, brokerId: number): boolean {
  return cs.liveBrokers.some((b) => b.id === brokerId);
}

/** Broker ids that can be elected leader: live and not shutting down (Kafka's liveBrokerIds). */
export function electableIds(cs: ControllerState): number[] {
  return cs.liveBrokers.map((b) => b.id).filter((id) => !cs.shuttingDown.includes(id));
}

/** Kafka's partition states, derived rather than stored: New (no state znode), Online (live leader), Offline. */
export function partitionStateOf(cs: ControllerState, key: string): 'New' | 'Online' | 'Offline' {
  const p = cs.partitions[key];
  if (!p.leadership) return 'New';
  return p.leadership.leader >= 0 && isLive(cs, p.leadership.leader) ? 'Online' : 'Offline';
}

export function describeController(cs: ControllerState): ControllerSummary {
  return {
    active: cs.active,
    activeControllerId: cs.activeControllerId,
    epoch: cs.epoch,
    epochZkVersion: cs.epochZkVersion,
    liveBrokers: cs.liveBrokers.map((b) => b.id),
    partitions: sortedPartitionKeys(cs).map((key) => {
      const p = cs.partitions[key];
      const l = p.leadership;
      return {
        topic: p.topic,
        partition: p.partition,
        replicas: [...p.replicas],
        leader: l && l.leader >= 0 ? l.leader : null,
        leaderEpoch: l ? l.leaderEpoch : -1,
        isr: l ? [...l.isr] : [],
        partitionEpoch: l ? l.zkVersion : -1,
        state: partitionStateOf(cs, key),
      };
    }),
    busy: cs.job ? `${cs.job.event.type}:${cs.job.step}` : null,
    queued: cs.queue.length,
    shuttingDown: [...cs.shuttingDown],
    reassigning: sortedPartitionKeys(cs)
      .map((key) => cs.partitions[key])
      .filter((p) => p.adding.length + p.removing.length > 0)
      .map((p) => ({ topic: p.topic, partition: p.partition, adding: [...p.adding], removing: [...p.removing] })),
    deleting: cs.deletions.map((d) => d.topic),
  };
}
