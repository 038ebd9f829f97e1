/** The simulated KafkaConsumer and the application around it: see consumer.ts and types.ts. */
export { addConsumer, createConsumer, CONSUMER_KIND } from './consumer';
export { describeConsumer, type ConsumerDescription } from './describe';
export { ConsumerConfigError, resolveConsumerConfig } from './config';
export type { ConsumerDisk, ConsumerMemory, ConsumerOptions, ProcessingModel, ResolvedConsumerConfig } from './types';
