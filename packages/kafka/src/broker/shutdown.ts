/**
 * A clean broker shutdown (SIGTERM: KafkaServer.shutdown with controlled.shutdown.enable=true).
 * First the controlled shutdown: ask the controller (the one in the metadata cache) to move the
 * leaderships off this broker; while its answer lists partitions still led here, or there is no
 * answer, retry after controlled.shutdown.retry.backoff.ms, at most controlled.shutdown.max.retries
 * times, then stop anyway. Then the rest of KafkaServer.shutdown: logs flushed (a clean shutdown
 * leaves nothing to recover), the ZooKeeper session closed (which deletes /brokers/ids/<id> at
 * once, where a crash leaves it until the session times out), and the process stops.
 * A hard shutdown (kill -9) is the engine's crash.
 */
import type { ZkClientOutput } from '../coordinator/api';
import { emit } from '../events';
import type { ControlledShutdownRequest, ControlledShutdownResponse } from '../protocol';
import { flush } from '../storage';
import { INTER_BROKER_TIMEOUT_MS, nextCorrelationId, type Broker } from './context';
import type { HostedModules } from './hosted';
import { brokerZnode } from './registration';

export const SHUTDOWN_TIMER = 'broker:controlled-shutdown';
const DEREGISTER_TAG = 'broker:deregister';
/** kafkasim: how long the session close may take before the process stops regardless. */
const DEREGISTER_TIMEOUT_MS = 1000;

export function startShutdown(b: Broker, hosted: HostedModules): void {
  if (b.v.shutdown) return;
  b.v.shutdown = {
    retriesLeft: b.env.config['controlled.shutdown.max.retries'], correlationId: null, timerId: null,
    partitionsRemaining: 0, gaveUp: false, stopping: false,
  };
  attempt(b, hosted);
}

function attempt(b: Broker, hosted: HostedModules): void {
  const s = b.v.shutdown!;
  const controller = b.v.metadata.controllerId;
  if (controller === null) return retryLater(b, hosted);
  const request: ControlledShutdownRequest = {
    api: 'ControlledShutdown', correlationId: nextCorrelationId(b), brokerId: b.self, brokerEpoch: b.v.brokerEpoch,
  };
  s.correlationId = request.correlationId;
  b.ctx.send(controller, request);
  s.timerId = b.ctx.setTimer(INTER_BROKER_TIMEOUT_MS, SHUTDOWN_TIMER, { correlationId: request.correlationId });
}

function retryLater(b: Broker, hosted: HostedModules): void {
  const s = b.v.shutdown!;
  s.correlationId = null;
  if (s.retriesLeft <= 0) {
    s.gaveUp = true;
    return stop(b, hosted);
  }
  s.retriesLeft -= 1;
  s.timerId = b.ctx.setTimer(b.env.config['controlled.shutdown.retry.backoff.ms'], SHUTDOWN_TIMER, { correlationId: null });
}

export function handleControlledShutdownResponse(b: Broker, hosted: HostedModules, res: ControlledShutdownResponse): void {
  const s = b.v.shutdown;
  if (!s || s.stopping || res.correlationId !== s.correlationId) return;
  if (s.timerId !== null) b.ctx.cancelTimer(s.timerId);
  s.timerId = null;
  s.partitionsRemaining = res.partitionsRemaining.length;
  if (res.error === 'NONE' && res.partitionsRemaining.length === 0) return stop(b, hosted);
  retryLater(b, hosted);
}

/** The request timed out, or the backoff before the next attempt is over. */
export function onShutdownTimer(b: Broker, hosted: HostedModules, data: { correlationId: number | null; deregister?: boolean }): void {
  const s = b.v.shutdown;
  if (!s) return;
  if (data.deregister) return stopped(b);
  if (s.stopping) return;
  s.timerId = null;
  if (data.correlationId === null) return attempt(b, hosted);
  if (data.correlationId === s.correlationId) retryLater(b, hosted);
}

function stop(b: Broker, hosted: HostedModules): void {
  const s = b.v.shutdown!;
  s.stopping = true;
  for (const key of Object.keys(b.d.logs).sort()) flush(b.d.logs[key]);
  if (!b.v.registered) return stopped(b);
  hosted.zkDelete(b.v.zk, b.ctx, brokerZnode(b.v.brokerId), -1, DEREGISTER_TAG);
  s.timerId = b.ctx.setTimer(DEREGISTER_TIMEOUT_MS, SHUTDOWN_TIMER, { correlationId: null, deregister: true });
}

/** The deregistration's answer; false for zk results that are not it. */
export function onDeregisterResult(b: Broker, output: ZkClientOutput): boolean {
  if (output.type !== 'result' || output.tag !== DEREGISTER_TAG) return false;
  if (b.v.shutdown?.stopping) stopped(b);
  return true;
}

function stopped(b: Broker): void {
  const s = b.v.shutdown!;
  if (s.timerId !== null) b.ctx.cancelTimer(s.timerId);
  s.timerId = null;
  emit(b.ctx, { event: 'broker-shutdown', broker: b.self, clean: !s.gaveUp, partitionsRemaining: s.partitionsRemaining });
  b.ctx.crashSelf();
}
