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
  const batch = batchAt(env.m, id);
  if (!batch) throw new Error(`${env.self}: unknown batch ${id}`);
  return batch;
}

/** The batch with this id, undefined when there is none (dropped, or never made). */
export function batchAt(m: ProducerMemory, id: number): Batch | undefined {
  const i = id - m.batchesFrom;
  return i >= 0 && i < m.batches.length ? (m.batches[i] ?? undefined) : undefined;
}

/** Keeps a new batch under its id (ids only grow: it goes at the end). */
export function storeBatch(m: ProducerMemory, batch: Batch): void {
  const i = batch.id - m.batchesFrom;
  if (!(i >= m.batches.length && Number.isInteger(i))) throw new Error(`batch ${batch.id} is not newer than the batches kept (from ${m.batchesFrom}, ${m.batches.length})`);
  while (m.batches.length < i) m.batches.push(null);
  m.batches.push(batch);
}

/** Forgets a batch; the dropped ones at the front are cut off. */
export function dropBatch(m: ProducerMemory, id: number): void {
  const i = id - m.batchesFrom;
  if (!(i >= 0 && i < m.batches.length)) return;
  m.batches[i] = null;
  let front = 0;
  while (front < m.batches.length && m.batches[front] === null) front += 1;
  if (front === 0) return;
  m.batches.splice(0, front);
  m.batchesFrom += front;
}

/** Every batch kept, by id. */
export function keptBatches(m: ProducerMemory): Batch[] {
  const out: Batch[] = [];
  for (const b of m.batches) if (b !== null) out.push(b);
  return out;
}

export function batchKey(batch: Batch): TpKey {
  return tpKey(batch.topic, batch.partition);
}

/** Sender.guaranteeMessageOrder: only one request per partition at a time. */
export function guaranteesOrder(env: ProducerEnv): boolean {
  return env.cfg['max.in.flight.requests.per.connection'] === 1;
}
