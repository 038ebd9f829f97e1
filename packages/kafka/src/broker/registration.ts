/**
 * The broker's registration in the coordinator (KafkaZkClient.registerBroker): an EPHEMERAL
 * /brokers/ids/<id> that lives as long as the broker's session. It is re-created after every
 * new session; while the znode of an older session still exists (a fast restart), the create
 * fails with NodeExists and is retried until that session expires. As Kafka's
 * checkedEphemeralCreate, a NodeExists is first checked: if the znode is owned by our own
 * session (the create went through but its answer was lost), we are registered.
 */
import type { ZkClientOutput } from '../coordinator/api';
import { emit } from '../events';
import type { Broker } from './context';
import type { HostedModules } from './hosted';

export const REGISTER_TAG = 'broker:register';
const CHECK_TAG = 'broker:register-check';
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

function registered(b: Broker, czxid: number | undefined): void {
  b.v.registered = true;
  b.v.brokerEpoch = czxid ?? b.d.registrations;
  emit(b.ctx, { event: 'broker-registered', broker: b.self, sessionId: b.v.sessionId ?? '', brokerEpoch: b.v.brokerEpoch });
}

/** Results of the registration create and its ownership check; false for results that are not ours. */
export function onRegisterResult(b: Broker, hosted: HostedModules, output: ZkClientOutput): boolean {
  if (output.type !== 'result' || (output.tag !== REGISTER_TAG && output.tag !== CHECK_TAG)) return false;
  if (b.v.registered) return true;
  if (output.tag === REGISTER_TAG && output.ok) {
    registered(b, output.stat?.czxid);
  } else if (output.tag === REGISTER_TAG && !output.ok && output.error === 'NodeExists') {
    hosted.zkGetData(b.v.zk, b.ctx, brokerZnode(b.v.brokerId), {}, CHECK_TAG);
  } else if (output.tag === CHECK_TAG && output.ok && output.stat && output.stat.ephemeralOwner === b.v.sessionId) {
    registered(b, output.stat.czxid);
  } else if (output.ok || output.error !== 'SessionExpired') {
    // Another session's znode (a fast restart: it goes when that session expires), or ConnectionLoss.
    b.ctx.setTimer(REGISTER_RETRY_MS, 'broker:register-retry');
  }
  return true;
}
