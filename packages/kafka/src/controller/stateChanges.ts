/**
 * The two state machines of Kafka's controller, as planners of partition state writes:
 * PartitionStateMachine.triggerOnlinePartitionStateChange (New/Offline -> Online) and the
 * OfflineReplica/OnlineReplica transitions of ZkReplicaStateMachine.
 */
import type { NodeContext } from '@kafkasim/engine';
import { emit, type ModelFact } from '../events';
import { OFFSETS_TOPIC } from '../group/host';
import { brokerNodeId } from '../protocol';
import { addLeaderAndIsr, liveIds } from './channel';
import { electableIds, partitionStateOf } from './describe';
import { electLeader, initialLeadership, removeFromIsr } from './election';
import type { ControllerEnv } from './index';
import type { ControllerState, PartitionContext } from './state';
import { sortedPartitionKeys } from './state';
import type { PlannedWrite } from './writes';

/** TopicDeletionManager.isTopicQueuedUpForDeletion. */
export const isQueuedForDeletion = (cs: ControllerState, topic: string): boolean => cs.deletions.some((d) => d.topic === topic);

/** unclean.leader.election.enable: the topic's override, else the broker's (Kafka's LogConfig). */
export function uncleanAllowed(env: ControllerEnv, topic: string): boolean {
  const override = topic === OFFSETS_TOPIC ? undefined : env.topics.find((t) => t.name === topic)?.config?.['unclean.leader.election.enable'];
  return override ?? env.config['unclean.leader.election.enable'];
}

/**
 * New partitions get their first leader and ISR (the live replicas, first one leads); offline ones
 * (no leader, or a dead leader) get Kafka's offline election. Partitions that cannot be brought
 * online stay as they are and are reported offline once.
 */
export function planOnlinePartitionStateChange(
  cs: ControllerState, env: ControllerEnv, ctx: NodeContext, reason: string, only?: readonly string[],
): PlannedWrite[] {
  const live = liveIds(cs);
  // A broker that is shutting down is live (it gets requests) but is never elected.
  const electable = electableIds(cs);
  const writes: PlannedWrite[] = [];
  for (const key of sortedPartitionKeys(cs)) {
    if (only && !only.includes(key)) continue;
    const p = cs.partitions[key];
    // Kafka's triggerOnlinePartitionStateChange leaves out the topics queued for deletion.
    if (isQueuedForDeletion(cs, p.topic)) continue;
    const state = partitionStateOf(cs, key);
    if (state === 'Online') continue;
    if (state === 'New') {
      const init = initialLeadership(p.replicas, electable);
      if (!init) {
        reportOffline(cs, p, ctx, 'no live replica for the new partition');
        continue;
      }
      const leadership = { leader: init.leader, leaderEpoch: 0, isr: init.isr, controllerEpoch: cs.epoch, zkVersion: 0 };
      writes.push({
        key, leadership, create: true, expectedVersion: -1,
        facts: [electedFact(cs, p, leadership.leader, 0, init.isr, false, reason)],
        leaderAndIsrTo: p.replicas.filter((id) => live.includes(id)),
      });
      continue;
    }
    const current = p.leadership!;
    const unclean = uncleanAllowed(env, p.topic);
    const election = electLeader(p.replicas, current.isr, electable, unclean);
    if (election.leader === null) {
      reportOffline(cs, p, ctx, unclean
        ? 'no live replica'
        : 'no live replica in the ISR and unclean.leader.election.enable=false');
      continue;
    }
    const leadership = {
      leader: election.leader, leaderEpoch: current.leaderEpoch + 1, isr: election.isr,
      controllerEpoch: cs.epoch, zkVersion: current.zkVersion + 1,
    };
    writes.push({
      key, leadership, create: false, expectedVersion: current.zkVersion,
      facts: [electedFact(cs, p, election.leader, leadership.leaderEpoch, election.isr, election.unclean, reason)],
      leaderAndIsrTo: p.replicas.filter((id) => live.includes(id)),
    });
  }
  return writes;
}

/**
 * OfflineReplica for one dead broker (ZkReplicaStateMachine.doRemoveReplicasFromIsr): in every
 * partition whose ISR holds it, it stops leading (leader -1) and leaves the ISR unless it is the
 * last member. Like every controller-made change in ZooKeeper mode, this bumps the leader epoch.
 */
export function planRemoveReplicaFromIsr(cs: ControllerState, replica: number, only?: readonly string[]): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  for (const key of sortedPartitionKeys(cs)) {
    if (only && !only.includes(key)) continue;
    const p = cs.partitions[key];
    const current = p.leadership;
    if (!current || !current.isr.includes(replica)) continue;
    const next = removeFromIsr(current.leader, current.isr, replica);
    const leadership = {
      leader: next.leader, leaderEpoch: current.leaderEpoch + 1, isr: next.isr,
      controllerEpoch: cs.epoch, zkVersion: current.zkVersion + 1,
    };
    const facts: ModelFact[] = [];
    if (next.isr.length !== current.isr.length) {
      facts.push({
        event: 'isr-changed', topic: p.topic, partition: p.partition, isr: next.isr.map(brokerNodeId),
        leaderEpoch: leadership.leaderEpoch, partitionEpoch: leadership.zkVersion,
      });
    }
    writes.push({
      key, leadership, create: false, expectedVersion: current.zkVersion, facts,
      leaderAndIsrTo: p.replicas.filter((id) => id !== replica),
    });
  }
  return writes;
}

/** OnlineReplica: each of these brokers learns the current state of every partition it hosts (no write). */
export function addOnlineReplicas(cs: ControllerState, brokerIds: readonly number[]): void {
  for (const key of sortedPartitionKeys(cs)) {
    const p = cs.partitions[key];
    // onBrokerStartup leaves out the replicas of topics being deleted: they get StopReplica instead.
    if (!p.leadership || isQueuedForDeletion(cs, p.topic)) continue;
    const hosts = brokerIds.filter((id) => p.replicas.includes(id));
    if (hosts.length > 0) addLeaderAndIsr(cs, hosts, key);
  }
}

export function electedFact(
  cs: ControllerState, p: PartitionContext, leader: number, leaderEpoch: number, isr: number[], unclean: boolean, reason: string,
): ModelFact {
  return {
    event: 'leader-elected', topic: p.topic, partition: p.partition, leader: brokerNodeId(leader), leaderEpoch,
    isr: isr.map(brokerNodeId), unclean, reason, controllerEpoch: cs.epoch,
  };
}

function reportOffline(cs: ControllerState, p: PartitionContext, ctx: NodeContext, reason: string): void {
  if (p.reportedOffline) return;
  p.reportedOffline = true;
  emit(ctx, { event: 'partition-offline', topic: p.topic, partition: p.partition, reason, controllerEpoch: cs.epoch });
}
