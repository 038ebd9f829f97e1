/**
 * The Kafka controller (ZooKeeper-era design: KafkaController, PartitionStateMachine,
 * ReplicaStateMachine, Election.scala), as a module hosted inside every broker node. Every
 * broker runs it; the one holding the EPHEMERAL /controller znode is active.
 *
 * HOW THE BROKER HOSTS IT
 * - Keep `createControllerState()` in the broker's volatile state (plain data; a crash loses it,
 *   as a JVM crash loses Kafka's ControllerContext).
 * - Session outputs of the zk client ({ type: 'session' }) go to `controllerOnSession`, nowhere
 *   else (`controllerOnZk` returns false for them). On 'connected' call it BEFORE registering
 *   /brokers/ids/<id>: it creates Kafka's persistent top-level paths (/brokers, /brokers/ids,
 *   /brokers/topics, as KafkaZkClient.createTopLevelPaths does at broker startup), and a session
 *   applies requests in order, so the registration's parent exists. Then it runs the election.
 * - Every other zk output goes to `controllerOnZk`; it returns true when it consumed it (results
 *   whose tag starts with 'ctl:'; watch events on /controller and /brokers/ids — the broker may
 *   look at watch events too even when this returns true).
 * - Messages: `controllerOnMessage` consumes AlterPartition requests and the responses to the
 *   controller's own requests (LeaderAndIsrResponse, UpdateMetadataResponse,
 *   StopReplicaResponse); it returns false for anything else. A broker that is not the active
 *   controller still passes AlterPartition here: it answers NOT_CONTROLLER.
 * - Timers: `controllerOnTimer` consumes timers named 'ctl:*'.
 * - `isActiveController(cs)`; `describeController(cs)` -> { active, activeControllerId, epoch,
 *   epochZkVersion, liveBrokers, partitions: { topic, partition, replicas, leader, leaderEpoch, isr,
 *   partitionEpoch, state: 'New' | 'Online' | 'Offline' }[], busy, queued } (broker ids, not node
 *   ids; only the active controller has partitions).
 *
 * WHAT THE BROKER RECEIVES (protocol.ts)
 * - LeaderAndIsr { controllerId, controllerEpoch, partitions }: reject it (STALE_CONTROLLER_EPOCH)
 *   when controllerEpoch is lower than the highest epoch seen; the controller puts its epoch on
 *   every request, which is how a zombie controller is fenced on the broker side.
 *   Per partition, apply only a newer leaderEpoch (or the same epoch with a newer partitionEpoch:
 *   the ISR changed). The controller sends it to the replicas of a partition whose leader or ISR
 *   it changed, and to a broker that (re)joins for all its partitions.
 * - UpdateMetadata { liveBrokers, partitions }: `partitions` holds only the partitions that
 *   changed (merge them into the metadata cache, as Kafka's MetadataCache does); after a
 *   controller failover and for a broker that just came up it holds every partition that has a
 *   leader and ISR. `liveBrokers` is always the full set.
 * - Requests to one broker are sent one at a time in order (Kafka's ControllerChannelManager
 *   RequestSendThread) and resent every second until answered; answer every one (duplicates are
 *   possible). StopReplica { partitions, deletePartitions? } goes to a replica that stops (controlled
 *   shutdown, reassignment away, topic deletion); with deletePartitions the broker deletes the
 *   log and echoes `partitions` and `deletePartitions` in its response (the controller waits for
 *   that during a topic deletion). UpdateMetadata may carry `deletedPartitions`: drop them.
 * - ControlledShutdown (from a broker that is stopping cleanly) is answered with the partitions
 *   it still leads; see controlledShutdown.ts.
 * - AlterPartitionResponse answers an AlterPartition (see alterPartition.ts for the checks).
 *   brokerEpoch in AlterPartition is the czxid of the broker's /brokers/ids/<id> znode (Kafka's
 *   broker epoch); -1 skips the check.
 *
 * ZNODES (Kafka's): /controller {version, brokerid, timestamp} (ephemeral), /controller_epoch
 * (a number), /brokers/ids/<id> (the brokers', ephemeral), /brokers/topics/<t> {version,
 * partitions: {"0": [1,2,3]}}, /brokers/topics/<t>/partitions/<p>/state {version,
 * controller_epoch, leader, leader_epoch, isr} whose znode version is the partitionEpoch.
 */
import type { NodeContext, NodeEvent, NodeId } from '@kafkasim/engine';
import type { BrokerConfig, TopicConfig } from '../config';
import type { ZkClientState } from '../coordinator';
import type { ZkClientOutput } from '../coordinator/api';
import type { ControllerState, ControllerSummary } from './state';

export type { ControllerState, ControllerSummary } from './state';
export { createControllerState } from './state';
export { assignReplicasToBrokers } from './assignment';
export { electLeader, type ElectionResult } from './election';

export interface ControllerEnv {
  /** The broker's zk client (the controller issues requests on the broker's session, as Kafka does). */
  zk: ZkClientState;
  brokerNode: NodeId;
  brokerId: number;
  config: BrokerConfig;
  /** Topics to create when the cluster starts (by whichever broker is the controller then). */
  topics: TopicConfig[];
  /** Every broker id of the cluster (to know when the whole cluster is up). */
  allBrokerIds: number[];
  /** Create __transaction_state too (clusters that use transactions). */
  transactions?: boolean;
  /**
   * Admin tools write /admin/* znodes in this cluster: create those paths and watch them
   * (reassignment, preferred election, topic deletion), as Kafka's controller always does.
   * Off by default so that clusters without admin tools keep their traces.
   */
  admin?: boolean;
}

export { controllerOnSession, controllerOnZk, controllerOnMessage, controllerOnTimer } from './controller';
export { isActiveController, describeController } from './describe';

/** Signatures, for the reader (the implementations live in controller.ts and describe.ts). */
export type ControllerApi = {
  createControllerState(): ControllerState;
  controllerOnSession(cs: ControllerState, session: 'connected' | 'expired' | 'disconnected', env: ControllerEnv, ctx: NodeContext): void;
  controllerOnZk(cs: ControllerState, output: ZkClientOutput, env: ControllerEnv, ctx: NodeContext): boolean;
  controllerOnMessage(cs: ControllerState, from: NodeId, payload: any, env: ControllerEnv, ctx: NodeContext): boolean;
  controllerOnTimer(cs: ControllerState, event: Extract<NodeEvent, { type: 'timer' }>, env: ControllerEnv, ctx: NodeContext): boolean;
  isActiveController(cs: ControllerState): boolean;
  describeController(cs: ControllerState): ControllerSummary;
};
