/**
 * The checks KafkaProducer's constructor makes (ProducerConfig.postProcessAndValidateIdempotenceConfigs,
 * KafkaProducer.configureDeliveryTimeout), so that a scenario fails as early as a real application.
 */
import { defaultProducerConfig, type ProducerConfig } from '../../config';
import type { ResolvedProducerConfig } from './types';

export class ProducerConfigError extends Error {
  override readonly name = 'ProducerConfigError';
}

/** Kafka's defaults for the settings kafkasim's ProducerConfig does not carry. */
export const FIXED_PRODUCER_SETTINGS = {
  'max.request.size': 1048576,
  'metadata.max.age.ms': 300000,
  'reconnect.backoff.ms': 50,
} as const;

const INT_MAX = 2147483647;

export function resolveProducerConfig(overrides: Partial<ProducerConfig>): ResolvedProducerConfig {
  const cfg: ResolvedProducerConfig = { ...defaultProducerConfig, ...FIXED_PRODUCER_SETTINGS, ...overrides };
  const set = (key: keyof ProducerConfig) => Object.prototype.hasOwnProperty.call(overrides, key) && overrides[key] !== undefined;

  if (!['0', '1', 'all'].includes(cfg.acks)) throw new ProducerConfigError(`Invalid value ${cfg.acks} for configuration acks`);
  for (const key of ['retries', 'retry.backoff.ms', 'linger.ms', 'max.block.ms', 'request.timeout.ms', 'delivery.timeout.ms'] as const) {
    if (!Number.isInteger(cfg[key]) || cfg[key] < 0) throw new ProducerConfigError(`${key} must be a non-negative integer, got ${cfg[key]}`);
  }
  for (const key of ['batch.size', 'buffer.memory', 'max.in.flight.requests.per.connection'] as const) {
    if (!Number.isInteger(cfg[key]) || cfg[key] < 1) throw new ProducerConfigError(`${key} must be a positive integer, got ${cfg[key]}`);
  }
  if (cfg['partitioner.class'] !== 'sticky' && cfg['partitioner.class'] !== 'round-robin') {
    throw new ProducerConfigError(`Invalid value ${cfg['partitioner.class']} for configuration partitioner.class`);
  }
  if (cfg['transactional.id'] !== null) {
    throw new ProducerConfigError('transactional.id: transactions are not modelled by the kafkasim producer yet (idempotence is)');
  }

  if (cfg['enable.idempotence']) {
    // Kafka only rejects these when enable.idempotence was set explicitly; kafkasim's default is false,
    // so idempotence is always explicit here.
    if (cfg['max.in.flight.requests.per.connection'] > 5) {
      throw new ProducerConfigError('Must set max.in.flight.requests.per.connection to at most 5 to use the idempotent producer.');
    }
    if (cfg.retries === 0) throw new ProducerConfigError('Must set retries to non-zero when using the idempotent producer.');
    if (cfg.acks !== 'all') {
      throw new ProducerConfigError('Must set acks to all in order to use the idempotent producer. Otherwise we cannot guarantee idempotence.');
    }
  }

  // configureDeliveryTimeout: delivery.timeout.ms must cover one linger plus one request.
  const lingerAndRequestTimeout = Math.min(cfg['linger.ms'] + cfg['request.timeout.ms'], INT_MAX);
  if (cfg['delivery.timeout.ms'] < lingerAndRequestTimeout) {
    if (set('delivery.timeout.ms')) {
      throw new ProducerConfigError('delivery.timeout.ms should be equal to or larger than linger.ms + request.timeout.ms');
    }
    cfg['delivery.timeout.ms'] = lingerAndRequestTimeout;
  }
  return cfg;
}

/** acks as it goes on the wire. */
export function wireAcks(acks: ProducerConfig['acks']): 0 | 1 | -1 {
  return acks === 'all' ? -1 : acks === '1' ? 1 : 0;
}
