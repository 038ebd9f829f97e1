/**
 * NetworkClient: one connection per broker, at most max.in.flight.requests.per.connection requests
 * in flight on it, and request.timeout.ms enforced the way Kafka does it — the connection is closed,
 * so every request still in flight on it fails (as a disconnect) and any response that arrives
 * later is ignored. Responses are read in request order, as from a TCP stream: one that arrives
 * before the response to an older request waits for it (so one lost message stalls the connection
 * until request.timeout.ms, as a dead TCP connection would). Connections are modelled as always
 * open except for reconnect.backoff.ms after such a close; there is no TCP handshake and no way to
 * notice a dead broker other than a timeout.
 */
import type { NodeId } from '@kafkasim/engine';
import type { ProducerEnv } from './env';
import type { Connection, InFlightRequest } from './types';

export const REQUEST_TIMEOUT_TIMER = 'request-timeout';

/** Freezes `value` and everything in it; an object already frozen is taken to be frozen all through. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    // Indexes and for...in, not Object.values: every request is frozen, so no array per object.
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
    else for (const key in value) deepFreeze(value[key]);
    Object.freeze(value);
  }
  return value;
}

function connection(env: ProducerEnv, node: NodeId): Connection {
  let conn = env.m.net.connections[node];
  if (!conn) {
    conn = { inFlight: [], held: [], lastDisconnectMs: null };
    env.m.net.connections[node] = conn;
  }
  return conn;
}

export function inFlightCount(env: ProducerEnv, node: NodeId): number {
  return env.m.net.connections[node]?.inFlight.length ?? 0;
}

/** Still in reconnect.backoff.ms after Kafka closed the connection. */
function blackedOut(env: ProducerEnv, node: NodeId): boolean {
  const last = env.m.net.connections[node]?.lastDisconnectMs ?? null;
  return last !== null && env.ctx.now - last < env.cfg['reconnect.backoff.ms'];
}

/** ms until a blacked-out node may be used again (0 if it can be used now). */
export function connectionDelay(env: ProducerEnv, node: NodeId): number {
  const last = env.m.net.connections[node]?.lastDisconnectMs ?? null;
  if (last === null) return 0;
  return Math.max(0, last + env.cfg['reconnect.backoff.ms'] - env.ctx.now);
}

/** NetworkClient.canSendRequest: connected and InFlightRequests.canSendMore. */
export function canSendRequest(env: ProducerEnv, node: NodeId): boolean {
  return !blackedOut(env, node) && inFlightCount(env, node) < env.cfg['max.in.flight.requests.per.connection'];
}

/**
 * NetworkClient.leastLoadedNode: starting at a random node, the first one with nothing in flight,
 * else the one with the fewest requests in flight; blacked-out nodes are skipped.
 */
export function leastLoadedNode(env: ProducerEnv): NodeId | null {
  const nodes = env.m.metadata.nodes;
  if (nodes.length === 0) return null;
  const offset = env.ctx.rng.int(0, nodes.length - 1);
  let best: NodeId | null = null;
  let bestInFlight = Infinity;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[(offset + i) % nodes.length];
    if (!canSendRequest(env, node)) continue;
    const count = inFlightCount(env, node);
    if (count === 0) return node;
    if (count < bestInFlight) {
      bestInFlight = count;
      best = node;
    }
  }
  return best;
}

/**
 * Sends a request; when a response is expected, tracks it and arms its request.timeout.ms timer.
 * The in-flight request keeps `batchIds` itself: the caller hands over a list it no longer changes.
 */
export function sendRequest<P extends { correlationId: number }>(
  env: ProducerEnv,
  node: NodeId,
  build: (correlationId: number) => P,
  api: InFlightRequest['api'],
  batchIds: number[],
  expectResponse: boolean,
): number {
  const correlationId = env.m.net.nextCorrelationId++;
  // A sent message never changes again: frozen, checkpoints share it instead of copying it.
  env.ctx.send(node, deepFreeze(build(correlationId)));
  if (expectResponse) {
    const timeoutTimerId = env.ctx.setTimer(env.cfg['request.timeout.ms'], REQUEST_TIMEOUT_TIMER, { node, correlationId });
    connection(env, node).inFlight.push({ correlationId, api, sentMs: env.ctx.now, timeoutTimerId, batchIds });
  }
  return correlationId;
}

export interface Completion {
  request: InFlightRequest;
  payload: any;
}

/**
 * A response arrived from `node`. Returns the requests it completes, in order: none if it answers a
 * request no longer in flight (its connection was closed: ignored) or if an older request is still
 * unanswered (held back); otherwise it and any held responses that now come next.
 */
export function receiveResponse(env: ProducerEnv, node: NodeId, payload: { correlationId: number }): Completion[] {
  const conn = env.m.net.connections[node];
  const index = conn ? conn.inFlight.findIndex((r) => r.correlationId === payload.correlationId) : -1;
  if (!conn || index < 0) {
    env.m.counters.responsesDiscarded += 1;
    return [];
  }
  if (index > 0) {
    conn.held.push({ correlationId: payload.correlationId, payload });
    return [];
  }
  const completions: Completion[] = [];
  let next: unknown = payload;
  while (next !== undefined) {
    const request = conn.inFlight.shift() as InFlightRequest;
    env.ctx.cancelTimer(request.timeoutTimerId);
    completions.push({ request, payload: next });
    const head = conn.inFlight[0];
    const heldIndex = head ? conn.held.findIndex((h) => h.correlationId === head.correlationId) : -1;
    next = heldIndex < 0 ? undefined : conn.held.splice(heldIndex, 1)[0].payload;
  }
  return completions;
}

/**
 * A request.timeout.ms timer fired. If that request is still in flight, Kafka closes the connection
 * ("Disconnecting from node due to request timeout"): returns every request that was in flight on it,
 * oldest first, for the caller to fail. Returns [] when the request had already completed.
 */
export function onRequestTimeout(env: ProducerEnv, node: NodeId, correlationId: number): InFlightRequest[] {
  const conn = env.m.net.connections[node];
  if (!conn || !conn.inFlight.some((r) => r.correlationId === correlationId)) return [];
  const failed = conn.inFlight;
  conn.inFlight = [];
  env.m.counters.responsesDiscarded += conn.held.length;
  conn.held = [];
  conn.lastDisconnectMs = env.ctx.now;
  for (const request of failed) env.ctx.cancelTimer(request.timeoutTimerId);
  env.m.counters.requestTimeouts += 1;
  return failed;
}
