/** What every coordinator step needs: its state, the node context and the hosting broker. */
import type { NodeContext, NodeId } from '@kafkasim/engine';
import type { KafkaResponse } from '../protocol';
import type { GroupHost } from './host';
import type { GroupCoordinatorState, ParkedRequest } from './types';

export interface GroupEnv {
  gc: GroupCoordinatorState;
  ctx: NodeContext;
  host: GroupHost;
}

/** A response without its correlation id (distributes over the union). */
export type ResponseBody<R extends KafkaResponse = KafkaResponse> = R extends KafkaResponse ? Omit<R, 'correlationId'> : never;

/** Kafka's responses are built fresh per send: never hand the state's own arrays to ctx.send. */
export function reply<R extends KafkaResponse>(env: GroupEnv, to: ParkedRequest, response: ResponseBody<R>): void {
  env.ctx.send(to.from, structuredClone({ ...response, correlationId: to.correlationId }));
}

export function parked(from: NodeId, correlationId: number): ParkedRequest {
  return { from, correlationId };
}
