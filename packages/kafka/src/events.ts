/**
 * CONTRACT: the model-level facts nodes write to the trace with ctx.record(event, data).
 * Checkers and the visualizer read ONLY these (plus the engine's own entries: deliver, drop,
 * timer, boot, crash, restart, pause, resume, partition, heal, link-fault, command).
 * Record identity: a produced record's `value` is a unique message id chosen by the workload
 * (e.g. "producer-1:42"), so every fact about a record names it by `id` = value.
 * Call `emit(ctx, fact)` rather than ctx.record directly, so the data stays typed.
 */
import { dataOfFact, type NodeContext, type NodeId } from '@kafkasim/engine';

type TP = { topic: string; partition: number };

export type ModelFact =
  // coordinator
  | { event: 'zk-leader-elected'; server: NodeId; epoch: number; zxid: number }
  | { event: 'zk-session-created'; sessionId: string; owner: NodeId; server: NodeId }
  | { event: 'zk-session-expired'; sessionId: string; owner: NodeId }
  | { event: 'zk-write-committed'; zxid: number; op: string; path: string }
  | { event: 'zk-write-refused'; reason: string; path: string }
  // brokers and controller
  | { event: 'broker-registered'; broker: NodeId; sessionId: string; brokerEpoch: number }
  | { event: 'controller-elected'; controller: NodeId; controllerEpoch: number }
  | { event: 'controller-resigned'; controller: NodeId; controllerEpoch: number }
  | { event: 'stale-controller-rejected'; controller: NodeId; controllerEpoch: number; currentEpoch: number; api: string }
  | (TP & { event: 'leader-elected'; leader: NodeId; leaderEpoch: number; isr: NodeId[]; unclean: boolean; reason: string; controllerEpoch: number })
  | (TP & { event: 'partition-offline'; reason: string; controllerEpoch: number })
  | (TP & { event: 'isr-changed'; isr: NodeId[]; leaderEpoch: number; partitionEpoch: number })
  /**
   * What a controller read from /brokers/topics/<t>/partitions/<p>/state when it loaded its context
   * (KafkaController.initializeControllerContext -> updateLeaderAndIsrCache): on failover, and
   * kafkasim's resync after a lost connection. Recorded for every partition with a state znode,
   * because a write whose answer never reached the controller that made it (it crashed first)
   * is in ZooKeeper without its 'leader-elected' / 'isr-changed': from this fact on, the checkers
   * take ZooKeeper's leader, leader epoch and ISR from here. `controller` is the reader,
   * `controllerEpoch` its epoch; `writtenByControllerEpoch` is the znode's controller_epoch.
   * `replicas`, `adding`, `removing` come from /brokers/topics/<t> (a reassignment in progress).
   */
  | (TP & {
    event: 'partition-state-loaded'; controller: NodeId; reason: 'failover' | 'resync';
    leader: NodeId | null; leaderEpoch: number; isr: NodeId[]; partitionEpoch: number;
    writtenByControllerEpoch: number; controllerEpoch: number;
    replicas: NodeId[]; adding: NodeId[]; removing: NodeId[];
  })
  | (TP & { event: 'become-leader'; broker: NodeId; leaderEpoch: number; logEndOffset: number; highWatermark: number })
  | (TP & { event: 'become-follower'; broker: NodeId; leader: NodeId | null; leaderEpoch: number })
  /**
   * The ISR as the leader itself holds it (Partition.isr: set by makeLeader, by a LeaderAndIsr of
   * the same epoch, by an AlterPartition answer), which can trail the controller's
   * ('leader-elected' / 'isr-changed'): the weak-isr invariant checks against this one.
   */
  | (TP & { event: 'leader-isr'; broker: NodeId; leaderEpoch: number; isr: NodeId[] })
  | (TP & { event: 'truncate'; broker: NodeId; from: number; to: number; rule: 'leader-epoch' | 'high-watermark' | 'power-loss'; removedIds: string[] })
  | (TP & { event: 'append'; broker: NodeId; role: 'leader' | 'follower'; leaderEpoch: number; firstOffset: number; lastOffset: number; ids: string[]; producerId?: number })
  | (TP & { event: 'high-watermark'; broker: NodeId; highWatermark: number })
  | (TP & { event: 'produce-rejected'; broker: NodeId; error: string; ids: string[] })
  // admin operations: controlled shutdown, preferred-replica election, reassignment, topic deletion
  | { event: 'admin-request'; tool: 'reassign' | 'elect-preferred' | 'delete-topic'; path: string; ok: boolean; error?: string }
  | { event: 'controlled-shutdown'; broker: NodeId; partitionsRemaining: TP[]; controllerEpoch: number }
  | { event: 'broker-shutdown'; broker: NodeId; clean: boolean; partitionsRemaining: number }
  | { event: 'leader-imbalance'; broker: NodeId; ratio: number; partitions: TP[]; controllerEpoch: number }
  /**
   * A partition reassignment moving through Kafka's phases (KafkaController.onPartitionReassignment):
   * 'started' (A: RS = ORS + TRS, adding replicas start), 'caught-up' (B: every target replica in the
   * ISR), 'leader-moved' (B3, only when the leader was not a target), 'replicas-removed' (B4/B5:
   * out of the ISR, StopReplica with delete), 'completed' (B6: RS = TRS written). Broker ids as node ids.
   */
  | (TP & { event: 'reassignment'; phase: 'started' | 'caught-up' | 'leader-moved' | 'replicas-removed' | 'completed'; replicas: NodeId[]; adding: NodeId[]; removing: NodeId[]; controllerEpoch: number })
  | { event: 'topic-deletion'; topic: string; phase: 'started' | 'waiting' | 'completed' | 'refused'; reason: string; controllerEpoch: number }
  | (TP & { event: 'replica-stopped'; broker: NodeId; deleted: boolean; records: number })
  // producer
  | (TP & { event: 'produce-send'; producer: NodeId; ids: string[]; acks: '0' | '1' | 'all'; attempt: number })
  | { event: 'produce-request'; producer: NodeId; id: string; key: string | null; topic: string }
  | (TP & { event: 'produce-acked'; producer: NodeId; id: string; offset: number; acks: '0' | '1' | 'all'; leader: NodeId })
  | { event: 'produce-failed'; producer: NodeId; id: string; error: string; topic: string }
  // consumer and groups
  | (TP & { event: 'consumed'; group: string; member: NodeId; offset: number; id: string; key: string | null })
  | (TP & { event: 'processed'; group: string; member: NodeId; offset: number; id: string })
  /**
   * Written by the group coordinator broker when __consumer_offsets holds the commit; with
   * kafkasim.offsets.storage=zookeeper by the consumer itself once its znode write succeeded
   * (store 'zookeeper'; generation is the one the consumer believed in: nothing checked it).
   */
  | (TP & { event: 'offset-committed'; group: string; member: string; offset: number; generation: number; store?: 'zookeeper' })
  | { event: 'rebalance-started'; group: string; generation: number; reason: string }
  | { event: 'rebalance-completed'; group: string; generation: number; assignment: Record<string, TP[]> }
  | { event: 'member-joined'; group: string; member: string; node: NodeId }
  | { event: 'member-removed'; group: string; member: string; reason: string }
  // transactions (only in clusters with transactions enabled)
  | { event: 'txn-begun'; transactionalId: string; producerId: number; producerEpoch: number; coordinator: NodeId }
  | { event: 'txn-fenced'; transactionalId: string; producerId: number; producerEpoch: number; coordinator: NodeId; abortedOngoing: boolean }
  | { event: 'txn-committed'; transactionalId: string; producerId: number; producerEpoch: number; coordinator: NodeId; partitions: TP[] }
  | { event: 'txn-aborted'; transactionalId: string; producerId: number; producerEpoch: number; coordinator: NodeId; partitions: TP[]; reason: string }
  | (TP & { event: 'txn-marker'; broker: NodeId; producerId: number; result: 'COMMIT' | 'ABORT'; offset: number });

/**
 * A consume-process-produce application writes, for input record `sourceId`, the output record
 * whose value (and so whose id) is `outputRecordId(sourceId)`: the checkers pair them up.
 */
export const outputRecordId = (sourceId: string): string => `${sourceId}>out`;
export const sourceOfOutputId = (id: string): string | null => (id.endsWith('>out') ? id.slice(0, -'>out'.length) : null);

export type FactName = ModelFact['event'];

export function emit(ctx: NodeContext, fact: ModelFact): void {
  // The simulation's context stores the fact's fields without a copy (and nothing when no trace
  // is recorded); any other context gets the fact without `event`, keys in the same order.
  if (ctx.recordFact) return ctx.recordFact(fact);
  ctx.record(fact.event, dataOfFact(fact as unknown as Record<string, unknown>));
}
