/**
 * What every part of the consumer works on during one event: immutable configuration, the node
 * context and the node's state. Built afresh per event, never stored.
 */
import type { NodeContext, NodeId } from '@kafkasim/engine';
import type { ConsumerDisk, ConsumerMemory, PartitionState, ProcessingModel, ResolvedConsumerConfig, TpKey } from './types';
import { topicPartitionKey } from '../../topicPartitionKey';

export interface ConsumerEnv {
  readonly self: NodeId;
  readonly cfg: ResolvedConsumerConfig;
  readonly bootstrap: readonly NodeId[];
  readonly topics: readonly string[];
  readonly processing: ProcessingModel;
  readonly ctx: NodeContext;
  readonly disk: ConsumerDisk;
  readonly m: ConsumerMemory;
}

export const tpKey = (topic: string, partition: number): TpKey => topicPartitionKey(topic, partition);

/** The assigned partition's state: a loop, not a find closure, as poll() and every answered fetch look it up. */
export function assigned(env: ConsumerEnv, topic: string, partition: number): PartitionState | undefined {
  for (const p of env.m.assignment) if (p.topic === topic && p.partition === partition) return p;
  return undefined;
}

export function groupId(env: ConsumerEnv): string {
  return env.cfg['group.id'];
}
