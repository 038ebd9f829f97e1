/**
 * What every part of the producer works on during one event: immutable configuration, the node
 * context and the node's state. Built afresh per event, never stored.
 */
import type { NodeContext, NodeId } from '@kafkasim/engine';
import { tpKey, type Batch, type ProducerDisk, type ProducerMemory, type ProducerWorkload, type ResolvedProducerConfig, type TpKey } from './types';

export interface ProducerEnv {
  readonly self: NodeId;
  readonly cfg: ResolvedProducerConfig;
  readonly bootstrap: readonly NodeId[];
  readonly workload: ProducerWorkload;
  readonly ctx: NodeContext;
  readonly disk: ProducerDisk;
  readonly m: ProducerMemory;
}

export function batchOf(env: ProducerEnv, id: number): Batch {
  const batch = env.m.batches[id];
  if (!batch) throw new Error(`${env.self}: unknown batch ${id}`);
  return batch;
}

export function batchKey(batch: Batch): TpKey {
  return tpKey(batch.topic, batch.partition);
}

/** Sender.guaranteeMessageOrder: only one request per partition at a time. */
export function guaranteesOrder(env: ProducerEnv): boolean {
  return env.cfg['max.in.flight.requests.per.connection'] === 1;
}
