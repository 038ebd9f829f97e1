/** Small building blocks shared by the broker's tests. */
import type { Simulation } from '@kafkasim/engine';
import { allRecords } from '../../storage';
import { brokerState, command, produceRequest } from './harness';

export const THREE = ['broker-1', 'broker-2', 'broker-3'];

export const partitionState = (topic: string, leader: string | null, leaderEpoch: number, isr: string[], replicas = THREE) =>
  ({ topic, partition: 0, leader, leaderEpoch, isr, replicas, partitionEpoch: 0 });

export function elect(sim: Simulation, at: number, topic: string, leader: string | null, leaderEpoch: number, isr: string[], replicas = THREE, controllerEpoch?: number): void {
  command(sim, 'controller', 'elect', { states: [partitionState(topic, leader, leaderEpoch, isr, replicas)], controllerEpoch }, at);
}

/** Sends a Produce of `ids` from the probe; returns the correlation id the probe will use. */
export function produce(sim: Simulation, at: number, to: string, topic: string, ids: string[], acks: 0 | 1 | -1, extra: Parameters<typeof produceRequest>[4] = {}): number {
  return send(sim, at, to, produceRequest(topic, 0, ids, acks, extra));
}

const counters = new WeakMap<Simulation, number>();

export function send(sim: Simulation, at: number, to: string, payload: object): number {
  const correlationId = (counters.get(sim) ?? 1000) + 1;
  counters.set(sim, correlationId);
  command(sim, 'probe', 'send', { to, payload: { ...payload, correlationId } }, at);
  return correlationId;
}

export function response(sim: Simulation, correlationId: number): any {
  return sim.node('probe').state.durable.responses[correlationId];
}

export function logValues(sim: Simulation, broker: string, topic: string): string[] {
  const log = brokerState(sim, broker).durable.logs[`${topic}-0`];
  return log ? allRecords(log).map((r) => r.value) : [];
}

export function partitionOn(sim: Simulation, broker: string, topic: string) {
  return brokerState(sim, broker).volatile.partitions[`${topic}-0`];
}
