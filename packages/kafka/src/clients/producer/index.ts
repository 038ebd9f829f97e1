/** The simulated KafkaProducer: see producer.ts for the node, README.md for what is modelled. */
export { addProducer, createProducer, PRODUCER_KIND } from './producer';
export { describeProducer, type ProducerDescription, type BatchDescription } from './describe';
export { ProducerConfigError, resolveProducerConfig } from './config';
export type {
  KeySpec, ProduceError, ProducerDisk, ProducerMemory, ProducerOptions, ProducerWorkload, ResolvedProducerConfig,
} from './types';
