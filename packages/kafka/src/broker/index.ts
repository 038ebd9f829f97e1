/**
 * The broker node (Kafka's KafkaServer in ZooKeeper mode): partition replicas and replication,
 * the produce and fetch paths, and the controller and group coordinator it hosts.
 */
import type { Behavior } from '@kafkasim/engine';
import { describeController, type ControllerState } from '../controller';
import { createBrokerWith } from './behavior';
import { summarizeBroker, type BrokerSummary } from './describe';
import { clusterModules } from './modules';
import type { BrokerDurable, BrokerEnv, BrokerVolatile } from './types';

export type { BrokerDurable, BrokerEnv, BrokerVolatile, BrokerState, PartitionReplica } from './types';
export type { BrokerSummary, BrokerPartitionSummary, ReplicaSummary } from './describe';
export { createBrokerWith } from './behavior';
export { detachedModules, type HostedModules } from './hosted';

/** The behavior of node 'broker-<brokerId>'. */
export function createBroker(brokerId: number, env: BrokerEnv): Behavior<BrokerDurable, BrokerVolatile> {
  return createBrokerWith(brokerId, env, clusterModules);
}

/** What the visualizer shows of a broker (works for a crashed broker too: volatile null). */
export function describeBroker(state: { durable: BrokerDurable; volatile: BrokerVolatile | null }): BrokerSummary {
  return summarizeBroker(state, (cs) => (cs ? describeController(cs as ControllerState) : null));
}
