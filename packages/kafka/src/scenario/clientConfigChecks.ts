/**
 * The client configurations Kafka refuses, checked where a scenario (and every --set or --vary
 * override, which is re-validated) is validated: the error names the field and nothing runs.
 * Without this the producer's or consumer's constructor throws in the middle of building the
 * run, which is where Kafka throws, but too late and too deep for a teaching tool.
 *
 * Kafka's checks: KafkaProducer.configureDeliveryTimeout (delivery.timeout.ms >= linger.ms +
 * request.timeout.ms when set explicitly), ProducerConfig.postProcessAndValidateIdempotenceConfigs
 * (retries non-zero with idempotence), consumer internals Heartbeat's constructor, made by
 * AbstractCoordinator's ("Heartbeat must be set lower than the session timeout"),
 * GroupCoordinator.handleJoinGroup (session.timeout.ms within the brokers'
 * group.min/max.session.timeout.ms, else INVALID_SESSION_TIMEOUT).
 */
import { ConsumerConfigError, resolveConsumerConfig } from '../clients/consumer/config';
import { ProducerConfigError, resolveProducerConfig } from '../clients/producer/config';
import { defaultConsumerConfig, defaultProducerConfig, groupSessionTimeoutBounds } from '../config';
import type { ScenarioIssue } from './errors';
import { INT_MAX } from './limits';
import type { Scenario } from './schema';

type ProducerScenario = Scenario['workload']['producers'][number];
type ConsumerGroupScenario = Scenario['workload']['consumers'][number];

function producerIssues(p: ProducerScenario, at: string): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const set = p.config;
  const c = { ...defaultProducerConfig, ...set };
  const shown = (key: 'linger.ms' | 'request.timeout.ms') => `${key} ${c[key]}${set[key] === undefined ? ' (the default)' : ''}`;
  if (c['enable.idempotence'] && c.retries === 0) {
    issues.push({ path: `${at}.retries`, message: 'must be at least 1 with enable.idempotence=true (as Kafka requires: the idempotent producer retries)' });
  }
  const lingerAndRequest = Math.min(c['linger.ms'] + c['request.timeout.ms'], INT_MAX);
  // Kafka raises an unset delivery.timeout.ms to linger.ms + request.timeout.ms; a set one must cover them.
  if (set['delivery.timeout.ms'] !== undefined && set['delivery.timeout.ms'] < lingerAndRequest) {
    issues.push({
      path: `${at}.delivery.timeout.ms`,
      message: `must be at least linger.ms + request.timeout.ms (${shown('linger.ms')} + ${shown('request.timeout.ms')} = ${lingerAndRequest}), as Kafka requires; got ${set['delivery.timeout.ms']}`,
    });
  }
  return issues;
}

function consumerIssues(g: ConsumerGroupScenario, at: string): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const set = g.config;
  const session = set['session.timeout.ms'] ?? defaultConsumerConfig['session.timeout.ms'];
  const heartbeat = set['heartbeat.interval.ms'] ?? defaultConsumerConfig['heartbeat.interval.ms'];
  const { 'group.min.session.timeout.ms': min, 'group.max.session.timeout.ms': max } = groupSessionTimeoutBounds;
  // The other direction (a manual mode with auto-commit on) is checked with the references.
  if (g.processing.mode === 'auto-commit' && set['enable.auto.commit'] === false) {
    issues.push({ path: `${at}.enable.auto.commit`, message: 'must be true (or unset) with processing.mode "auto-commit" (that mode is the consumer committing on its own)' });
  }
  if (session < min || session > max) {
    issues.push({
      path: `${at}.session.timeout.ms`,
      message: `must be within the brokers' group.min.session.timeout.ms (${min}) and group.max.session.timeout.ms (${max}), or JoinGroup fails with INVALID_SESSION_TIMEOUT; got ${session}`,
    });
  } else if (heartbeat >= session) {
    // Name the setting the user wrote: a too-short session timeout against the default heartbeat, or the other way round.
    const blameSession = set['session.timeout.ms'] !== undefined && set['heartbeat.interval.ms'] === undefined;
    issues.push(
      blameSession
        ? { path: `${at}.session.timeout.ms`, message: `must be greater than heartbeat.interval.ms (${heartbeat}, the default), as Kafka requires; got ${session}` }
        : { path: `${at}.heartbeat.interval.ms`, message: `must be lower than session.timeout.ms (${session}), as Kafka requires; got ${heartbeat}` },
    );
  }
  return issues;
}

/**
 * The clients' own checks, run on each client's configuration as the run would build it: any
 * refusal the explicit checks do not name still becomes an error at the client's config instead
 * of an exception while the run is built. Run last, on a scenario with no other issue, so that
 * one mistake is not reported twice.
 */
export function clientConstructorIssues(s: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  s.workload.producers.forEach((p, i) => {
    try {
      resolveProducerConfig(p.config);
    } catch (error) {
      if (!(error instanceof ProducerConfigError)) throw error;
      issues.push({ path: `workload.producers[${i}].config`, message: `the producer refuses this configuration: ${error.message}` });
    }
  });
  s.workload.consumers.forEach((g, i) => {
    try {
      resolveConsumerConfig(
        { ...g.config, 'group.id': g.group, 'enable.auto.commit': g.config['enable.auto.commit'] ?? g.processing.mode === 'auto-commit' },
        {
          mode: g.processing.mode,
          processingTimeMsPerRecord: g.processing.processingTimeMsPerRecord,
          ...(g.outputTopic ? { outputTopic: g.outputTopic } : {}),
          ...(g.processing.workers ? { workers: g.processing.workers } : {}),
        },
      );
    } catch (error) {
      if (!(error instanceof ConsumerConfigError)) throw error;
      issues.push({ path: `workload.consumers[${i}].config`, message: `the consumer refuses this configuration: ${error.message}` });
    }
  });
  return issues;
}

export function checkClientConfigs(s: Scenario): ScenarioIssue[] {
  return [
    ...s.workload.producers.flatMap((p, i) => producerIssues(p, `workload.producers[${i}].config`)),
    ...s.workload.consumers.flatMap((g, i) => consumerIssues(g, `workload.consumers[${i}].config`)),
  ];
}
