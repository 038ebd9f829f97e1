/** The checks KafkaConsumer's constructor makes, and how the processing model sets commits up. */
import { defaultConsumerConfig } from '../../config';
import { assignorsByName } from '../assignors';
import type { ProcessingModel, ResolvedConsumerConfig } from './types';

export class ConsumerConfigError extends Error {
  override readonly name = 'ConsumerConfigError';
}

/** Kafka's defaults for the settings kafkasim's ConsumerConfig does not carry (see types.ts). */
export const FIXED_CONSUMER_SETTINGS = {
  'request.timeout.ms': 5000,
  'retry.backoff.ms': 100,
  'fetch.max.bytes': 52428800,
  'metadata.max.age.ms': 300000,
  'default.api.timeout.ms': 60000,
  // Only with kafkasim.offsets.storage=zookeeper: the consumer's own ZooKeeper session (the old
  // consumer's default was 6000; shortened like the brokers' teaching default).
  'zookeeper.session.timeout.ms': 3000,
} as const;

export function resolveConsumerConfig(overrides: Partial<ResolvedConsumerConfig>, processing: ProcessingModel): ResolvedConsumerConfig {
  const explicit = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<ResolvedConsumerConfig>;
  const autoCommit = processing.mode === 'auto-commit';
  if (explicit['enable.auto.commit'] !== undefined && explicit['enable.auto.commit'] !== autoCommit) {
    throw new ConsumerConfigError(`enable.auto.commit=${explicit['enable.auto.commit']} contradicts processing.mode "${processing.mode}"`);
  }
  const cfg: ResolvedConsumerConfig = { ...defaultConsumerConfig, ...FIXED_CONSUMER_SETTINGS, ...explicit, 'enable.auto.commit': autoCommit };
  if (!cfg['group.id']) throw new ConsumerConfigError('group.id is required: this consumer uses group management (subscribe)');
  if (!(cfg['partition.assignment.strategy'] in assignorsByName)) {
    throw new ConsumerConfigError(`Invalid value ${cfg['partition.assignment.strategy']} for configuration partition.assignment.strategy`);
  }
  for (const key of ['session.timeout.ms', 'heartbeat.interval.ms', 'max.poll.interval.ms', 'max.poll.records', 'fetch.min.bytes', 'request.timeout.ms', 'auto.commit.interval.ms'] as const) {
    if (!Number.isInteger(cfg[key]) || cfg[key] < 1) throw new ConsumerConfigError(`${key} must be a positive integer, got ${cfg[key]}`);
  }
  // AbstractCoordinator's constructor check.
  if (cfg['heartbeat.interval.ms'] >= cfg['session.timeout.ms']) {
    throw new ConsumerConfigError('heartbeat.interval.ms must be lower than session.timeout.ms');
  }
  if (cfg['kafkasim.offsets.storage'] !== 'kafka' && cfg['kafkasim.offsets.storage'] !== 'zookeeper') {
    throw new ConsumerConfigError(`Invalid value ${cfg['kafkasim.offsets.storage']} for configuration kafkasim.offsets.storage: expected kafka or zookeeper`);
  }
  if (!(processing.processingTimeMsPerRecord >= 0)) throw new ConsumerConfigError('processing.processingTimeMsPerRecord must be >= 0');
  if (processing.workers && !(Number.isInteger(processing.workers.count) && processing.workers.count >= 1)) {
    throw new ConsumerConfigError('processing.workers.count must be a positive integer');
  }
  if (processing.mode === 'exactly-once') {
    if (!processing.outputTopic) throw new ConsumerConfigError('processing.mode "exactly-once" needs processing.outputTopic (consume-process-produce)');
    if (processing.workers) throw new ConsumerConfigError('processing.mode "exactly-once" runs thread-per-consumer (no workers)');
    if (cfg['kafkasim.offsets.storage'] === 'zookeeper') {
      // TxnOffsetCommit writes the offsets into __consumer_offsets, inside the transaction.
      throw new ConsumerConfigError('processing.mode "exactly-once" needs kafkasim.offsets.storage=kafka (offsets commit inside the transaction)');
    }
  }
  if (processing.outputTopic && processing.workers) throw new ConsumerConfigError('processing.outputTopic is not supported with workers');
  return cfg;
}
