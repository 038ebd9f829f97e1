/**
 * How the Java client classifies an error code: `Errors.X.exception() instanceof RetriableException`
 * decides whether the Sender may retry, `instanceof InvalidMetadataException` whether it refreshes metadata.
 */
import type { ProduceError } from './types';

/** Error codes whose exception extends RetriableException. */
const RETRIABLE: ReadonlySet<string> = new Set([
  'NOT_LEADER_OR_FOLLOWER',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'REQUEST_TIMED_OUT',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'NETWORK_EXCEPTION',
  'COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'CONCURRENT_TRANSACTIONS',
  'NOT_CONTROLLER',
]);

/** Error codes whose exception extends InvalidMetadataException (a subset of the retriable ones). */
const INVALID_METADATA: ReadonlySet<string> = new Set([
  'NOT_LEADER_OR_FOLLOWER',
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'NETWORK_EXCEPTION',
]);

export const isRetriable = (error: ProduceError): boolean => RETRIABLE.has(error);
export const isInvalidMetadata = (error: string): boolean => INVALID_METADATA.has(error);
