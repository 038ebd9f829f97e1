import { describe, expect, it } from 'vitest';
import { detachedCluster } from './testing/harness';
import { elect, logValues, produce, response, send, THREE } from './testing/scenarios';

const T = 'idem';

describe('idempotent produce (ProducerStateManager)', () => {
  it('allocates producer ids from a durable per-broker counter', () => {
    const c = detachedCluster({ seed: 1, brokers: 3 });
    const first = send(c.sim, 10, 'broker-2', { api: 'InitProducerId', transactionalId: null, transactionTimeoutMs: 60000 });
    c.sim.schedule(20, { type: 'crash', node: 'broker-2' });
    c.sim.schedule(30, { type: 'restart', node: 'broker-2' });
    const second = send(c.sim, 40, 'broker-2', { api: 'InitProducerId', transactionalId: null, transactionTimeoutMs: 60000 });
    c.sim.runUntil(100);
    expect(response(c.sim, first)).toMatchObject({ error: 'NONE', producerId: 2_000_000, producerEpoch: 0 });
    expect(response(c.sim, second)).toMatchObject({ error: 'NONE', producerId: 2_000_001, producerEpoch: 0 });
  });

  it('answers a retried batch with its original offset, rejects gaps, old epochs and unknown producers', () => {
    const c = detachedCluster({ seed: 2, brokers: 3 });
    const pid = { producerId: 7, producerEpoch: 0 };
    elect(c.sim, 10, T, 'broker-1', 1, THREE);
    const first = produce(c.sim, 100, 'broker-1', T, ['a', 'b'], -1, { ...pid, baseSequence: 0 });
    const other = produce(c.sim, 110, 'broker-1', T, ['x'], -1);
    const retry = produce(c.sim, 120, 'broker-1', T, ['a', 'b'], -1, { ...pid, baseSequence: 0 });
    const gap = produce(c.sim, 130, 'broker-1', T, ['d'], -1, { ...pid, baseSequence: 3 });
    const next = produce(c.sim, 140, 'broker-1', T, ['c'], -1, { ...pid, baseSequence: 2 });
    const bumped = produce(c.sim, 150, 'broker-1', T, ['e'], -1, { producerId: 7, producerEpoch: 1, baseSequence: 0 });
    const zombie = produce(c.sim, 160, 'broker-1', T, ['z'], -1, { ...pid, baseSequence: 3 });
    const unknown = produce(c.sim, 170, 'broker-1', T, ['u'], -1, { producerId: 8, producerEpoch: 0, baseSequence: 5 });
    c.sim.runUntil(2000);
    const at = (id: number) => response(c.sim, id).partitions[0];
    expect(at(first)).toMatchObject({ error: 'NONE', baseOffset: 0 });
    expect(at(other)).toMatchObject({ error: 'NONE', baseOffset: 2 });
    expect(at(retry)).toMatchObject({ error: 'NONE', baseOffset: 0 });
    expect(at(gap).error).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    expect(at(next)).toMatchObject({ error: 'NONE', baseOffset: 3 });
    expect(at(bumped)).toMatchObject({ error: 'NONE', baseOffset: 4 });
    expect(at(zombie).error).toBe('INVALID_PRODUCER_EPOCH');
    expect(at(unknown).error).toBe('UNKNOWN_PRODUCER_ID');
    expect(logValues(c.sim, 'broker-1', T)).toEqual(['a', 'b', 'x', 'c', 'e']);
  });

  it('catches a duplicate across leader failover: the new leader rebuilds producer state from its log', () => {
    const c = detachedCluster({ seed: 3, brokers: 3 });
    const pid = { producerId: 9, producerEpoch: 0 };
    elect(c.sim, 10, T, 'broker-1', 1, THREE);
    produce(c.sim, 100, 'broker-1', T, ['p0', 'p1'], -1, { ...pid, baseSequence: 0 });
    produce(c.sim, 200, 'broker-1', T, ['p2'], -1, { ...pid, baseSequence: 2 });
    c.sim.schedule(1000, { type: 'crash', node: 'broker-1' });
    elect(c.sim, 1100, T, 'broker-2', 2, ['broker-2', 'broker-3']);
    // The producer never saw the answer for p2 and retries it on the new leader.
    const retried = produce(c.sim, 1200, 'broker-2', T, ['p2'], -1, { ...pid, baseSequence: 2 });
    const older = produce(c.sim, 1300, 'broker-2', T, ['p0', 'p1'], -1, { ...pid, baseSequence: 0 });
    const fresh = produce(c.sim, 1400, 'broker-2', T, ['p3'], -1, { ...pid, baseSequence: 3 });
    c.sim.runUntil(3000);
    expect(response(c.sim, retried).partitions[0]).toMatchObject({ error: 'NONE', baseOffset: 2 });
    expect(response(c.sim, older).partitions[0]).toMatchObject({ error: 'NONE', baseOffset: 0 });
    expect(response(c.sim, fresh).partitions[0]).toMatchObject({ error: 'NONE', baseOffset: 3 });
    expect(logValues(c.sim, 'broker-2', T)).toEqual(['p0', 'p1', 'p2', 'p3']);
  });
});
