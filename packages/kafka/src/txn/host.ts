/**
 * CONTRACT between a broker and the transaction coordinator it hosts (Kafka's
 * TransactionCoordinator runs inside every broker; a transactional id belongs to the leader of
 * partition `partitionForTxn(transactionalId)` of __transaction_state, which exists only in
 * clusters built with `transactions: true`).
 */
import type { NodeId } from '@kafkasim/engine';
import type { RecordInput } from '../storage';
import { partitionForGroup } from '../group/host';

export const TXN_TOPIC = '__transaction_state';

export interface TxnHost {
  readonly brokerNode: NodeId;
  /** transaction.state.log.num.partitions */
  readonly txnPartitions: number;
  /** offsets.topic.num.partitions (AddOffsetsToTxn adds the group's partition). */
  readonly offsetsPartitions: number;
  /** The leader of a partition as the broker's metadata cache knows it. */
  leaderOf(topic: string, partition: number): NodeId | null;
  /** The leader epoch of a __transaction_state partition led here (the coordinator epoch). */
  coordinatorEpoch(partition: number): number;
  appendToTxnPartition(partition: number, records: Omit<RecordInput, 'leaderEpoch'>[]): { lastOffset: number } | { error: 'NOT_LEADER_OR_FOLLOWER' | 'NOT_ENOUGH_REPLICAS' };
  /** A new producer id from the broker's durable block. */
  allocateProducerId(): number;
  nextCorrelationId(): number;
}

/** TransactionStateManager.partitionFor: Utils.abs(transactionalId.hashCode) % partitions. */
export function partitionForTxn(transactionalId: string, partitions: number): number {
  return partitionForGroup(transactionalId, partitions);
}
