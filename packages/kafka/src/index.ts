/**
 * @kafkasim/kafka: the Kafka model. Re-exports the public API of every part; import parts'
 * internals through their own modules only in that part's tests.
 */
export * from './config';
export * from './events';
export * from './protocol';
export * from './storage';
export * from './coordinator';
export * from './controller';
export * from './group';
export * from './clients/assignors';
export * from './clients/producer';
export * from './clients/consumer';
export * from './broker';
export * from './cluster';
export * from './check';
export * from './scenario';
// The engine's trace helpers, for callers that only depend on the model (the CLI).
export { traceHash, traceToNdjson } from '@kafkasim/engine';
