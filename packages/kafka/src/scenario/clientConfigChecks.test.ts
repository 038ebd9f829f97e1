import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { clientConstructorIssues } from './clientConfigChecks';
import { ScenarioError } from './errors';
import { applyOverrides, parseOverrideValue } from './overrides';
import { scenarioSchema } from './schema';
import { parseScenario } from './validate';

const scenariosDir = new URL('../../../../scenarios/', import.meta.url).pathname;
const load = (name: string) => parseScenario(readFileSync(`${scenariosDir}${name}`, 'utf8'), name);

function overrideError(file: string, overrides: Record<string, string>): string {
  const parsed = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [k, parseOverrideValue(k, v)]));
  try {
    applyOverrides(load(file), parsed, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).message;
  }
  return '(accepted)';
}

describe('client configurations Kafka refuses, through --set', () => {
  it('delivery.timeout.ms below linger.ms + request.timeout.ms', () => {
    expect(overrideError('leader-failover.json', { 'delivery.timeout.ms': '100' })).toBe(
      'leader-failover.json: workload.producers[0].config.delivery.timeout.ms: must be at least linger.ms + request.timeout.ms ' +
        '(linger.ms 5 (the default) + request.timeout.ms 5000 (the default) = 5005), as Kafka requires; got 100',
    );
    expect(overrideError('leader-failover.json', { 'delivery.timeout.ms': '5005' })).toBe('(accepted)');
  });

  it('an unset delivery.timeout.ms is raised to cover a long linger.ms, as Kafka does', () => {
    expect(overrideError('leader-failover.json', { 'linger.ms': '200000' })).toBe('(accepted)');
    expect(overrideError('leader-failover.json', { 'linger.ms': '1000000000000' })).toContain("workload.producers[0].config.linger.ms: at most 2147483647 (Kafka's largest INT)");
  });

  it('idempotence with retries=0', () => {
    expect(overrideError('leader-failover-acks-all.json', { 'enable.idempotence': 'true', retries: '0' })).toContain(
      'workload.producers[0].config.retries: must be at least 1 with enable.idempotence=true',
    );
  });

  it('heartbeat.interval.ms not below session.timeout.ms, naming the setting that was set', () => {
    expect(overrideError('consumer-crash-at-least-once.json', { 'heartbeat.interval.ms': '5000' })).toContain(
      'workload.consumers[0].config.heartbeat.interval.ms: must be lower than session.timeout.ms (3000), as Kafka requires; got 5000',
    );
    expect(overrideError('consumer-crash-at-least-once.json', { 'session.timeout.ms': '1000' })).toContain(
      'workload.consumers[0].config.session.timeout.ms: must be greater than heartbeat.interval.ms (1000, the default), as Kafka requires; got 1000',
    );
  });

  it('session.timeout.ms outside the group min and max', () => {
    expect(overrideError('consumer-crash-at-least-once.json', { 'session.timeout.ms': '1' })).toContain(
      "workload.consumers[0].config.session.timeout.ms: must be within the brokers' group.min.session.timeout.ms (1000) and group.max.session.timeout.ms (1800000)",
    );
    expect(overrideError('consumer-crash-at-least-once.json', { 'session.timeout.ms': '1800001', 'heartbeat.interval.ms': '1000' })).toContain(
      'workload.consumers[0].config.session.timeout.ms: must be within',
    );
    expect(overrideError('consumer-crash-at-least-once.json', { 'session.timeout.ms': '1800000' })).toBe('(accepted)');
  });
});

describe('processing.mode and enable.auto.commit', () => {
  it('refuses auto-commit off in the mode that is auto-commit', () => {
    const scenario = load('consumer-crash-at-least-once.json');
    const group = { ...scenario.workload.consumers[0], processing: { ...scenario.workload.consumers[0].processing, mode: 'auto-commit' as const } };
    expect(() => applyOverrides({ ...scenario, workload: { ...scenario.workload, consumers: [group] } }, {}, 'f.json')).toThrow(
      'f.json: workload.consumers[0].config.enable.auto.commit: must be true (or unset) with processing.mode "auto-commit"',
    );
  });
});

describe('the clients own checks, as the last guard', () => {
  it('turns what a client constructor refuses into an error at its config', () => {
    const scenario = scenarioSchema.parse({
      ...load('leader-failover.json'),
      workload: { producers: [{ id: 'producer-1', topic: 'orders', ratePerSec: 10, config: { 'enable.idempotence': true, retries: 0 } }] },
    });
    expect(clientConstructorIssues(scenario)).toEqual([
      { path: 'workload.producers[0].config', message: 'the producer refuses this configuration: Must set retries to non-zero when using the idempotent producer.' },
    ]);
    expect(clientConstructorIssues(load('consumer-crash-at-least-once.json'))).toEqual([]);
  });
});
