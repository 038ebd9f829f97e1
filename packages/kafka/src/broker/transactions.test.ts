import { describe, expect, it } from 'vitest';
import type { NodeId } from '@kafkasim/engine';
import { buildCluster } from '../cluster';
import { probe } from './testing/harness';
import type { BrokerState } from './types';

/** A real cluster with transactions, and a probe that plays the transactional producer and the consumer. */
function txnCluster() {
  const cluster = buildCluster({
    seed: 3, brokers: 3, zkServers: 1, transactions: true,
    topics: [{ name: 'out', partitions: 1, replicationFactor: 3 }],
  });
  cluster.sim.addNode('probe', probe);
  cluster.sim.runUntil(3000);
  let nextId = 1000;
  const call = (to: NodeId, payload: Record<string, unknown>, waitMs = 300): any => {
    const correlationId = nextId++;
    cluster.sim.schedule(cluster.sim.now + 1, { type: 'command', node: 'probe', name: 'send', data: { to, payload: { ...payload, correlationId } } });
    cluster.sim.runUntil(cluster.sim.now + waitMs);
    return cluster.sim.node('probe').state.durable.responses[correlationId];
  };
  const leaderOfOut = (): NodeId =>
    (cluster.sim.node(cluster.brokers[0]).state as BrokerState).volatile.metadata.partitions['out-0'].leader!;
  const produce = (pid: number, epoch: number, seq: number, ids: string[]) =>
    call(leaderOfOut(), {
      api: 'Produce', acks: -1, timeoutMs: 1000, transactionalId: 'tx',
      partitions: [{ topic: 'out', partition: 0, batch: { producerId: pid, producerEpoch: epoch, baseSequence: seq, transactional: true, records: ids.map((value) => ({ key: null, value, timestamp: 0 })) } }],
    });
  const fetch = (isolationLevel: 'read_committed' | 'read_uncommitted') =>
    call(leaderOfOut(), {
      api: 'Fetch', replicaId: null, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel,
      partitions: [{ topic: 'out', partition: 0, fetchOffset: 0, currentLeaderEpoch: -1 }],
    }).partitions[0];
  return { ...cluster, call, produce, fetch, leaderOfOut };
}

describe('transactions on the broker', () => {
  it('creates __transaction_state only when the cluster uses transactions', () => {
    const plain = buildCluster({ seed: 3, brokers: 3, zkServers: 1, topics: [{ name: 'out', partitions: 1, replicationFactor: 3 }] });
    plain.sim.runUntil(3000);
    const keys = (c: typeof plain) => Object.keys((c.sim.node(c.brokers[0]).state as BrokerState).volatile.metadata.partitions);
    expect(keys(plain).some((k) => k.startsWith('__transaction_state'))).toBe(false);
    const { sim, brokers } = txnCluster();
    expect(keys({ sim, brokers } as typeof plain).filter((k) => k.startsWith('__transaction_state'))).toHaveLength(3);
  });

  it('holds the LSO at an open transaction, commits with markers, reports aborted transactions, fences an old epoch', () => {
    const c = txnCluster();
    const found = c.call(c.brokers[0], { api: 'FindCoordinator', key: 'tx', keyType: 'transaction' });
    expect(found.error).toBe('NONE');
    const coordinator = found.coordinator as NodeId;
    const init = c.call(coordinator, { api: 'InitProducerId', transactionalId: 'tx', transactionTimeoutMs: 60000 });
    expect(init).toMatchObject({ error: 'NONE', producerEpoch: 0 });
    const pid = init.producerId as number;
    const txn = { transactionalId: 'tx', producerId: pid, producerEpoch: 0 };

    // Transaction 1: two records, then commit.
    expect(c.call(coordinator, { api: 'AddPartitionsToTxn', ...txn, partitions: [{ topic: 'out', partition: 0 }] }).error).toBe('NONE');
    expect(c.produce(pid, 0, 0, ['a', 'b']).partitions[0].error).toBe('NONE');
    let committed = c.fetch('read_committed');
    expect(committed.records).toEqual([]);
    expect(committed.lastStableOffset).toBe(0);
    expect(committed.highWatermark).toBe(2);
    expect(c.fetch('read_uncommitted').records.map((r: any) => r.value)).toEqual(['a', 'b']);
    expect(c.call(coordinator, { api: 'EndTxn', ...txn, committed: true }).error).toBe('NONE');
    c.sim.runUntil(c.sim.now + 300);
    committed = c.fetch('read_committed');
    expect(committed.lastStableOffset).toBe(3);
    expect(committed.records.map((r: any) => [r.value, r.control ?? null])).toEqual([['a', null], ['b', null], [`marker:COMMIT:${pid}:0`, 'COMMIT']]);

    // Transaction 2: aborted; read_committed gets its range as an aborted transaction.
    expect(c.call(coordinator, { api: 'AddPartitionsToTxn', ...txn, partitions: [{ topic: 'out', partition: 0 }] }).error).toBe('NONE');
    expect(c.produce(pid, 0, 2, ['c']).partitions[0].error).toBe('NONE');
    expect(c.call(coordinator, { api: 'EndTxn', ...txn, committed: false }).error).toBe('NONE');
    c.sim.runUntil(c.sim.now + 300);
    committed = c.fetch('read_committed');
    expect(committed.lastStableOffset).toBe(5);
    expect(committed.abortedTransactions).toEqual([{ producerId: pid, firstOffset: 3 }]);

    // Transaction 3 is left open; a new instance with the same transactional.id fences and aborts it.
    expect(c.call(coordinator, { api: 'AddPartitionsToTxn', ...txn, partitions: [{ topic: 'out', partition: 0 }] }).error).toBe('NONE');
    expect(c.produce(pid, 0, 3, ['zombie-1']).partitions[0].error).toBe('NONE');
    expect(c.fetch('read_committed').lastStableOffset).toBe(5);
    expect(c.call(coordinator, { api: 'InitProducerId', transactionalId: 'tx', transactionTimeoutMs: 60000 }).error).toBe('CONCURRENT_TRANSACTIONS');
    c.sim.runUntil(c.sim.now + 300);
    const again = c.call(coordinator, { api: 'InitProducerId', transactionalId: 'tx', transactionTimeoutMs: 60000 });
    expect(again).toMatchObject({ error: 'NONE', producerId: pid, producerEpoch: 2 });
    committed = c.fetch('read_committed');
    expect(committed.lastStableOffset).toBe(7);
    expect(committed.abortedTransactions).toEqual([{ producerId: pid, firstOffset: 3 }, { producerId: pid, firstOffset: 5 }]);
    // The zombie (epoch 0) is rejected by the coordinator and by the partition leader.
    expect(c.call(coordinator, { api: 'AddPartitionsToTxn', ...txn, partitions: [{ topic: 'out', partition: 0 }] }).error).toBe('PRODUCER_FENCED');
    expect(c.produce(pid, 0, 4, ['zombie-2']).partitions[0].error).toBe('INVALID_PRODUCER_EPOCH');
    const facts = c.sim.trace.filter((e) => e.type === 'record' && String(e.event).startsWith('txn-')).map((e) => String(e.event));
    expect(facts).toEqual(expect.arrayContaining(['txn-begun', 'txn-committed', 'txn-aborted', 'txn-fenced']));
  });

  it('a new coordinator resumes from __transaction_state after the old one crashes', () => {
    const c = txnCluster();
    const coordinator = c.call(c.brokers[0], { api: 'FindCoordinator', key: 'tx', keyType: 'transaction' }).coordinator as NodeId;
    const init = c.call(coordinator, { api: 'InitProducerId', transactionalId: 'tx', transactionTimeoutMs: 60000 });
    const txn = { transactionalId: 'tx', producerId: init.producerId, producerEpoch: 0 };
    expect(c.call(coordinator, { api: 'AddPartitionsToTxn', ...txn, partitions: [{ topic: 'out', partition: 0 }] }).error).toBe('NONE');
    c.sim.schedule(c.sim.now + 1, { type: 'crash', node: coordinator });
    c.sim.runUntil(c.sim.now + 8000);
    const other = c.brokers.find((b) => b !== coordinator)!;
    const next = c.call(other, { api: 'FindCoordinator', key: 'tx', keyType: 'transaction' }).coordinator as NodeId;
    expect(next).not.toBe(coordinator);
    // The ongoing transaction was loaded: the same epoch may go on and commit it.
    expect(c.call(next, { api: 'EndTxn', ...txn, committed: true }, 600).error).toBe('NONE');
  });
});
