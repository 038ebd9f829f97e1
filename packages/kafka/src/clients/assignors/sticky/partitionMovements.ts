/**
 * AbstractStickyAssignor.PartitionMovements: remembers, per topic, which partitions moved from
 * which member to which during one general-path balance, so that a later move in the opposite
 * direction sends back a partition that already moved instead of a fresh one (keeps the result
 * sticky). The cycle-detection half (isSticky) is test-only in Kafka and is not ported.
 */
import { tpKey } from '../common';
import type { TopicPartition } from '../types';
import { JavaHashSetOrder, topicPartitionHash } from './javaHashSet';

interface ConsumerPair {
  src: string;
  dst: string;
}

function pairKey(src: string, dst: string): string {
  return `${src}\u0000${dst}`;
}

export class PartitionMovements {
  private readonly byTopic = new Map<string, Map<string, JavaHashSetOrder<TopicPartition>>>();
  private readonly movements = new Map<string, ConsumerPair>();

  movePartition(partition: TopicPartition, oldConsumer: string, newConsumer: string): void {
    const existing = this.movements.has(tpKey(partition)) ? this.removeMovementRecord(partition) : undefined;
    if (existing === undefined) {
      this.addMovementRecord(partition, { src: oldConsumer, dst: newConsumer });
    } else if (existing.src !== newConsumer) {
      // Moved before and not going back home: record one hop from the original owner.
      this.addMovementRecord(partition, { src: existing.src, dst: newConsumer });
    }
  }

  getTheActualPartitionToBeMoved(partition: TopicPartition, oldConsumer: string, newConsumer: string): TopicPartition {
    const topicMovements = this.byTopic.get(partition.topic);
    if (topicMovements === undefined) return partition;
    const previous = this.movements.get(tpKey(partition));
    // If this partition already moved, reason about its original owner.
    const from = previous === undefined ? oldConsumer : previous.src;
    const reverse = topicMovements.get(pairKey(newConsumer, from));
    if (reverse === undefined) return partition;
    return reverse.first()!;
  }

  private removeMovementRecord(partition: TopicPartition): ConsumerPair {
    const key = tpKey(partition);
    const pair = this.movements.get(key)!;
    this.movements.delete(key);
    const topicMovements = this.byTopic.get(partition.topic)!;
    const set = topicMovements.get(pairKey(pair.src, pair.dst))!;
    set.delete(partition);
    if (set.size === 0) topicMovements.delete(pairKey(pair.src, pair.dst));
    if (topicMovements.size === 0) this.byTopic.delete(partition.topic);
    return pair;
  }

  private addMovementRecord(partition: TopicPartition, pair: ConsumerPair): void {
    this.movements.set(tpKey(partition), pair);
    let topicMovements = this.byTopic.get(partition.topic);
    if (topicMovements === undefined) {
      topicMovements = new Map();
      this.byTopic.set(partition.topic, topicMovements);
    }
    const key = pairKey(pair.src, pair.dst);
    let set = topicMovements.get(key);
    if (set === undefined) {
      set = new JavaHashSetOrder<TopicPartition>(topicPartitionHash, tpKey);
      topicMovements.set(key, set);
    }
    set.add(partition);
  }
}
