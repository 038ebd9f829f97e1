/** The transaction coordinator's state: plain data in the broker's volatile state. */
import type { NodeId } from '@kafkasim/engine';
import type { TopicPartition } from '../protocol';

/** TransactionState (Kafka): Empty -> Ongoing -> PrepareCommit|PrepareAbort -> CompleteCommit|CompleteAbort. */
export type TxnStateName = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort';

/** What __transaction_state stores per transactional id (TransactionLogValue), as JSON. */
export interface TxnLogValue {
  producerId: number;
  producerEpoch: number;
  timeoutMs: number;
  state: TxnStateName;
  partitions: TopicPartition[];
  startedMs: number;
}

export interface TxnMetadata extends TxnLogValue {
  transactionalId: string;
  /** Its __transaction_state partition. */
  partition: number;
  /** A state write is waiting for the high watermark: other requests get CONCURRENT_TRANSACTIONS. */
  busy: boolean;
  /** Prepare*: partitions whose marker is not yet written. */
  pendingMarkers: TopicPartition[];
  timeoutTimer: number | null;
  /** Why the transaction is being aborted (for the 'txn-aborted' fact). */
  abortReason: string;
}

export interface ParkedTxnRequest {
  from: NodeId;
  correlationId: number;
  api: 'InitProducerIdResponse' | 'AddPartitionsToTxnResponse' | 'AddOffsetsToTxnResponse' | 'EndTxnResponse';
  /** The error to answer with once the write is durable (CONCURRENT_TRANSACTIONS after a fencing abort). */
  error: 'NONE' | 'CONCURRENT_TRANSACTIONS';
}

/** A state write waiting for the __transaction_state high watermark (acks=all). */
export interface PendingTxnWrite {
  transactionalId: string;
  partition: number;
  lastOffset: number;
  next: TxnLogValue;
  reply: ParkedTxnRequest | null;
}

export interface MarkerRequest {
  correlationId: number;
  node: NodeId;
  transactionalId: string;
  timerId: number;
}

export interface TxnCoordinatorState {
  /** __transaction_state partitions led and loaded here (sorted). */
  ownedPartitions: number[];
  txns: Record<string, TxnMetadata>;
  pendingWrites: PendingTxnWrite[];
  highWatermarks: Record<number, number>;
  markerRequests: MarkerRequest[];
}

export const TXN_MARKER_TIMEOUT_MS = 1500;
export const TXN_MARKER_RETRY_MS = 100;
