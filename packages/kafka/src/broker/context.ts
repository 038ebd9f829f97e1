/**
 * What every broker function works on: the node's state halves, its immutable environment and
 * the engine context of the event being handled. Built per event, never stored.
 */
import type { NodeContext, NodeId } from '@kafkasim/engine';
import type { BrokerConfig } from '../config';
import type { LogConfig } from '../storage';
import type { BrokerDurable, BrokerEnv, BrokerVolatile } from './types';

export interface Broker {
  d: BrokerDurable;
  v: BrokerVolatile;
  env: BrokerEnv;
  ctx: NodeContext;
  self: NodeId;
}

/** Backoff after a failed fetch or an unanswered request (Kafka's replica.fetch.backoff.ms). */
export const REPLICA_FETCH_BACKOFF_MS = 1000;
/** How long to wait for a broker-to-broker or broker-to-controller answer before retrying. */
export const INTER_BROKER_TIMEOUT_MS = 1500;

type TopicOverridable = 'min.insync.replicas' | 'unclean.leader.election.enable' | 'log.segment.bytes';

/** A config value for a topic: the topic's override, else the broker's (Kafka's LogConfig). */
export function topicConfig<K extends TopicOverridable>(b: Broker, topic: string, key: K): BrokerConfig[K] {
  // A loop, not find with a closure: parked produces ask on every high watermark move.
  const topics = b.env.topics;
  let override: unknown;
  for (let i = 0; i < topics.length; i++) {
    if (topics[i].name === topic) {
      override = topics[i].config?.[key];
      break;
    }
  }
  if (override !== undefined) return override as BrokerConfig[K];
  return b.env.config[key];
}

export function logConfigFor(b: Broker, topic: string): LogConfig {
  return {
    segmentBytes: topicConfig(b, topic, 'log.segment.bytes'),
    indexIntervalBytes: b.env.config['log.index.interval.bytes'],
  };
}

export function nextCorrelationId(b: Broker): number {
  return b.v.nextCorrelationId++;
}
