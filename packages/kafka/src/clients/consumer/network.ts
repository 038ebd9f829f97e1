/**
 * The consumer's NetworkClient, reduced to what matters here: correlation ids, one
 * request.timeout.ms timer per request, and late responses ignored. A timed-out request counts as
 * a disconnect from that node, as in Kafka, which closes the connection.
 */
import type { NodeId } from '@kafkasim/engine';
import type { ConsumerEnv } from './env';
import type { InFlightRequest } from './types';

export const REQUEST_TIMEOUT_TIMER = 'request-timeout';

export function send<P extends object>(
  env: ConsumerEnv,
  node: NodeId,
  api: InFlightRequest['api'],
  body: P,
  extra?: RequestExtra,
  timeoutMs = env.cfg['request.timeout.ms'],
): number {
  // Object.assign, not a spread: see docs/CONTRIBUTING.md (a hidden class per request otherwise).
  return sendRequest(env, node, Object.assign({}, body, { api, correlationId: takeCorrelationId(env) }), extra, timeoutMs);
}

type RequestExtra = Partial<Pick<InFlightRequest, 'commitId' | 'fetchOffsets' | 'fetchPartitions'>>;

/** The correlation id of the next request, for a request built whole (see sendRequest). */
export function takeCorrelationId(env: ConsumerEnv): number {
  return env.m.nextCorrelationId++;
}

/**
 * Sends a request built whole, its api and correlation id (takeCorrelationId) after the body's
 * fields as send() writes them: for a request sent on most events, one object instead of three.
 */
export function sendRequest(
  env: ConsumerEnv,
  node: NodeId,
  message: { api: InFlightRequest['api']; correlationId: number },
  extra?: RequestExtra,
  timeoutMs = env.cfg['request.timeout.ms'],
): number {
  const { api, correlationId } = message;
  env.ctx.send(node, message);
  const timerId = env.ctx.setTimer(timeoutMs, REQUEST_TIMEOUT_TIMER, { correlationId });
  const request: InFlightRequest = { correlationId, node, api, sentMs: env.ctx.now, timerId };
  env.m.inFlight.push(extra === undefined ? request : Object.assign(request, extra));
  return correlationId;
}

/** The request a response answers (removed), or null for a late or unknown response. */
export function complete(env: ConsumerEnv, from: NodeId, correlationId: number): InFlightRequest | null {
  // Every response comes through here: found with a loop and taken out in place, no closures and
  // no filtered copy of the list.
  const inFlight = env.m.inFlight;
  let at = 0;
  while (at < inFlight.length && !(inFlight[at].correlationId === correlationId && inFlight[at].node === from)) at += 1;
  if (at === inFlight.length) return null;
  const request = inFlight[at];
  // Moved up and popped, not spliced: splice makes a list of the one removed, and the list
  // emptied by it loses its room (the next push grows one again).
  for (let i = at + 1; i < inFlight.length; i++) inFlight[i - 1] = inFlight[i];
  inFlight.pop();
  env.ctx.cancelTimer(request.timerId);
  // Deleting a property that is not there is still a runtime call.
  if (env.m.unreachableUntil[from] !== undefined) delete env.m.unreachableUntil[from];
  return request;
}

/** A request.timeout.ms timer fired: the request (if still in flight) is failed. */
export function expire(env: ConsumerEnv, correlationId: number): InFlightRequest | null {
  const request = env.m.inFlight.find((r) => r.correlationId === correlationId);
  if (!request) return null;
  env.m.inFlight = env.m.inFlight.filter((r) => r !== request);
  env.m.counters.requestTimeouts += 1;
  env.m.unreachableUntil[request.node] = env.ctx.now + env.cfg['request.timeout.ms'];
  return request;
}

export function inFlight(env: ConsumerEnv, api: InFlightRequest['api'], node?: NodeId): boolean {
  for (const r of env.m.inFlight) if (r.api === api && (node === undefined || r.node === node)) return true;
  return false;
}

/** Forget every request to a node (the connection is gone); their responses will be ignored. */
export function dropRequestsTo(env: ConsumerEnv, node: NodeId, apis?: InFlightRequest['api'][]): InFlightRequest[] {
  const dropped = env.m.inFlight.filter((r) => r.node === node && (!apis || apis.includes(r.api)));
  env.m.inFlight = env.m.inFlight.filter((r) => !dropped.includes(r));
  for (const r of dropped) env.ctx.cancelTimer(r.timerId);
  return dropped;
}

export function unreachable(env: ConsumerEnv, node: NodeId): boolean {
  return env.ctx.now < (env.m.unreachableUntil[node] ?? 0);
}
