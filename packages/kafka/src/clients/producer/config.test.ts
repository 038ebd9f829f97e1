import { describe, expect, it } from 'vitest';
import { ProducerConfigError, resolveProducerConfig, wireAcks } from './config';

describe('producer config', () => {
  it("uses Kafka's defaults and fills in the keys kafkasim does not expose", () => {
    const cfg = resolveProducerConfig({});
    expect(cfg).toMatchObject({ acks: 'all', 'linger.ms': 5, 'max.request.size': 1048576, 'metadata.max.age.ms': 300000 });
  });

  it('idempotence needs max.in.flight <= 5, retries > 0 and acks=all', () => {
    expect(() => resolveProducerConfig({ 'enable.idempotence': true, 'max.in.flight.requests.per.connection': 6 })).toThrow(ProducerConfigError);
    expect(() => resolveProducerConfig({ 'enable.idempotence': true, retries: 0 })).toThrow(/retries/);
    expect(() => resolveProducerConfig({ 'enable.idempotence': true, acks: '1' })).toThrow(/acks to all/);
    expect(resolveProducerConfig({ 'enable.idempotence': true, 'max.in.flight.requests.per.connection': 5 })['enable.idempotence']).toBe(true);
    // Without idempotence any in-flight limit is allowed.
    expect(resolveProducerConfig({ 'max.in.flight.requests.per.connection': 50 })['max.in.flight.requests.per.connection']).toBe(50);
  });

  it('delivery.timeout.ms below linger.ms + request.timeout.ms: an error if set, else raised', () => {
    expect(() => resolveProducerConfig({ 'delivery.timeout.ms': 1000, 'request.timeout.ms': 1000, 'linger.ms': 5 })).toThrow(/delivery.timeout.ms/);
    expect(resolveProducerConfig({ 'request.timeout.ms': 200000 })['delivery.timeout.ms']).toBe(200005);
  });

  it('transactions are out of scope and say so', () => {
    expect(() => resolveProducerConfig({ 'transactional.id': 'tx-1' })).toThrow(/transactions/);
  });

  it('maps acks to the wire value', () => {
    expect([wireAcks('0'), wireAcks('1'), wireAcks('all')]).toEqual([0, 1, -1]);
  });
});
