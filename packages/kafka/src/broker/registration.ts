/**
 * The broker's registration in the coordinator (KafkaZkClient.registerBroker): an EPHEMERAL
 * /brokers/ids/<id> that lives as long as the broker's session. It is re-created after every
 * new session; while the znode of an older session still exists (a fast restart), the create
 * fails with NodeExists and is retried until that session expires.
 */
import type { ZkClientOutput } from '../coordinator/api';
import { emit } from '../events';
import type { Broker } from './context';
import type { HostedModules } from './hosted';

export const REGISTER_TAG = 'broker:register';
const REGISTER_RETRY_MS = 500;

export const brokerZnode = (brokerId: number): string => `/brokers/ids/${brokerId}`;

export function register(b: Broker, hosted: HostedModules): void {
  if (b.v.registered || b.v.sessionId === null) return;
  b.d.registrations += 1;
  const data = { host: b.self, port: 9092, epoch: b.d.registrations };
  hosted.zkCreate(b.v.zk, b.ctx, brokerZnode(b.v.brokerId), data, { ephemeral: true }, REGISTER_TAG);
}

export function onSession(b: Broker, hosted: HostedModules, output: Extract<ZkClientOutput, { type: 'session' }>): void {
  if (output.state === 'connected') {
    const fresh = output.sessionId !== b.v.sessionId;
    b.v.sessionId = output.sessionId;
    if (fresh) b.v.registered = false;
    register(b, hosted);
  } else if (output.state === 'expired') {
    // The ephemeral znode died with the session; the client opens a new one by itself.
    b.v.registered = false;
    b.v.sessionId = null;
  }
}

/** Result of the registration create; returns false for results that are not ours. */
export function onRegisterResult(b: Broker, output: ZkClientOutput): boolean {
  if (output.type !== 'result' || output.tag !== REGISTER_TAG) return false;
  if (output.ok) {
    b.v.registered = true;
    b.v.brokerEpoch = output.stat?.czxid ?? b.d.registrations;
    emit(b.ctx, { event: 'broker-registered', broker: b.self, sessionId: b.v.sessionId ?? '', brokerEpoch: b.v.brokerEpoch });
  } else if (output.error !== 'SessionExpired') {
    // NodeExists (the previous session's znode is still there) or ConnectionLoss: try again.
    b.ctx.setTimer(REGISTER_RETRY_MS, 'broker:register-retry');
  }
  return true;
}
