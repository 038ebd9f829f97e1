/**
 * The controller hosted by minimal brokers (testing/testHost.ts) on a real 3-server coordinator
 * ensemble: election, failover, leader election on broker failure, AlterPartition, and fencing of
 * a controller that was paused past its session timeout.
 */
import { describe, expect, it } from 'vitest';
import { Simulation, type NodeId } from '@kafkasim/engine';
import type { TopicConfig } from '../config';
import { addEnsemble, zkTestClient } from '../coordinator/testing/zkTestClient';
import type { AlterPartitionRequest } from '../protocol';
import {
  activeControllers, brokerIdOf, brokerIds, brokerNodes, controllerSummary, controllerTestHost, factsOf, hostMemory,
} from './testing/testHost';

const ORDERS: TopicConfig = { name: 'orders', partitions: 3, replicationFactor: 3 };

function cluster(seed: number, n = 3, topics: TopicConfig[] = [ORDERS]) {
  const sim = new Simulation({ seed });
  const zk = addEnsemble(sim, 3);
  for (const id of brokerIds(n)) {
    sim.addNode(`broker-${id}`, controllerTestHost({ brokerId: id, zkServers: zk, allBrokerIds: brokerIds(n), topics }), 100);
  }
  return { sim, zk, brokers: brokerNodes(n) };
}

function theController(sim: Simulation, brokers: NodeId[]): NodeId {
  const active = activeControllers(sim, brokers);
  expect(active).toHaveLength(1);
  return active[0];
}

function partition(sim: Simulation, controller: NodeId, topic: string, p: number) {
  const found = controllerSummary(sim, controller)!.partitions.find((x) => x.topic === topic && x.partition === p);
  if (!found) throw new Error(`no ${topic}-${p}`);
  return found;
}

function alterPartition(sim: Simulation, at: number, from: NodeId, to: NodeId, request: Omit<AlterPartitionRequest, 'api' | 'brokerId'>): void {
  sim.schedule(at, { type: 'command', node: from, name: 'send', data: { to, payload: { api: 'AlterPartition', brokerId: from, ...request } } });
}

describe('controller election', () => {
  it('elects exactly one controller (epoch 1) and brings every partition online', () => {
    const { sim, brokers } = cluster(1);
    sim.runUntil(5000);
    const elected = factsOf(sim, 'controller-elected');
    expect(elected).toHaveLength(1);
    expect(elected[0].controllerEpoch).toBe(1);
    const controller = theController(sim, brokers);
    for (const b of brokers) expect(hostMemory(sim, b)!.cs.activeControllerId).toBe(brokerIdOf(controller));

    const summary = controllerSummary(sim, controller)!;
    expect(summary.liveBrokers).toEqual([1, 2, 3]);
    expect(summary.partitions.map((p) => `${p.topic}-${p.partition}`)).toEqual([
      '__consumer_offsets-0', '__consumer_offsets-1', '__consumer_offsets-2', 'orders-0', 'orders-1', 'orders-2',
    ]);
    for (const p of summary.partitions) {
      expect(p.state).toBe('Online');
      expect(p.replicas).toHaveLength(3); // offsets.topic.replication.factor 3, three brokers
      expect(p.leader).toBe(p.replicas[0]); // a new partition's first live replica leads
      expect(p.isr).toEqual(p.replicas);
      expect(p.leaderEpoch).toBe(0);
    }
    // Every replica learned its partitions from the controller, with the controller's epoch.
    for (const b of brokers) {
      const lair = hostMemory(sim, b)!.received.filter((r) => r.api === 'LeaderAndIsr');
      expect(lair.every((r) => r.controllerEpoch === 1 && r.from === controller)).toBe(true);
      const learned = new Set(lair.flatMap((r) => r.request.partitions.map((p) => `${p.topic}-${p.partition}`)));
      expect(learned.size).toBe(6);
    }
  });

  it('when the controller dies, another broker becomes controller with epoch + 1', () => {
    const { sim, brokers } = cluster(1);
    sim.runUntil(2000);
    const first = theController(sim, brokers);
    const before = controllerSummary(sim, first)!.partitions;
    sim.schedule(2000, { type: 'crash', node: first });
    sim.runUntil(9000);

    const elected = factsOf(sim, 'controller-elected');
    expect(elected.map((e) => e.controllerEpoch)).toEqual([1, 2]);
    const second = theController(sim, brokers.filter((b) => b !== first));
    expect(elected[1].controller).toBe(second);
    // initializeControllerContext: the new controller records what it read for every partition,
    // which is what the first one had written (the first had no state znodes to read at startup).
    const loaded = factsOf(sim, 'partition-state-loaded');
    expect(loaded.map((f) => `${f.topic}-${f.partition}`)).toEqual(before.map((p) => `${p.topic}-${p.partition}`));
    for (const f of loaded) {
      const old = before.find((x) => x.topic === f.topic && x.partition === f.partition)!;
      expect(f).toMatchObject({
        controller: second, reason: 'failover', controllerEpoch: 2, writtenByControllerEpoch: 1,
        leader: `broker-${old.leader}`, leaderEpoch: old.leaderEpoch, isr: old.isr.map((id) => `broker-${id}`),
        partitionEpoch: old.partitionEpoch, replicas: old.replicas.map((id) => `broker-${id}`), adding: [], removing: [],
      });
    }
    const dead = brokerIdOf(first);
    for (const p of controllerSummary(sim, second)!.partitions) {
      const old = before.find((x) => x.topic === p.topic && x.partition === p.partition)!;
      expect(p.state).toBe('Online');
      expect(p.isr).not.toContain(dead);
      if (old.leader === dead) {
        // First ISR replica in assignment order, two epochs on: OfflineReplica (leader -1), then the election.
        expect(p.leader).toBe(old.replicas.find((r) => r !== dead));
        expect(p.leaderEpoch).toBe(old.leaderEpoch + 2);
      } else {
        expect(p.leader).toBe(old.leader);
      }
    }
    // The survivors now take orders from the new controller only.
    for (const b of brokers.filter((x) => x !== first)) {
      const late = hostMemory(sim, b)!.received.filter((r) => r.at > 2000);
      expect(late.length).toBeGreaterThan(0);
      expect(late.every((r) => r.from === second && r.controllerEpoch === 2 && !r.rejected)).toBe(true);
    }
  });
});

describe('startup topics', () => {
  it('wait for the whole cluster, or a grace period; __consumer_offsets takes min(RF, live brokers)', () => {
    const sim = new Simulation({ seed: 2 });
    const zk = addEnsemble(sim, 3);
    const host = (id: number) => controllerTestHost({ brokerId: id, zkServers: zk, allBrokerIds: [1, 2, 3], topics: [ORDERS] });
    sim.addNode('broker-1', host(1), 100);
    sim.addNode('broker-2', host(2), 100);
    sim.addNode('broker-3', host(3), 6000);
    sim.runUntil(2000);
    const controller = theController(sim, ['broker-1', 'broker-2']);
    expect(controllerSummary(sim, controller)!.partitions).toEqual([]); // broker-3 may still come

    sim.runUntil(5000); // past the grace period (zookeeper.session.timeout.ms after the election)
    const early = controllerSummary(sim, controller)!.partitions;
    expect(early.every((p) => p.topic === '__consumer_offsets' && p.replicas.length === 2 && p.state === 'Online')).toBe(true);
    expect(early).toHaveLength(3);

    sim.runUntil(8000); // orders needs 3 brokers: created once broker-3 registered
    const orders = controllerSummary(sim, controller)!.partitions.filter((p) => p.topic === 'orders');
    expect(orders).toHaveLength(3);
    for (const p of orders) expect(p).toMatchObject({ state: 'Online', isr: p.replicas, leader: p.replicas[0] });
    expect(new Set(orders.map((p) => p.leader))).toEqual(new Set([1, 2, 3]));
  });
});

describe('leader election on broker failure', () => {
  it('moves leadership to the first live ISR replica in assignment order, bumping the leader epoch', () => {
    const { sim, brokers } = cluster(1);
    sim.runUntil(2000);
    const controller = theController(sim, brokers);
    const victimPartition = controllerSummary(sim, controller)!.partitions
      .find((p) => p.topic === 'orders' && p.leader !== brokerIdOf(controller))!;
    const victim = `broker-${victimPartition.leader}`;
    sim.schedule(2000, { type: 'crash', node: victim });
    sim.runUntil(7000);

    const now = partition(sim, controller, 'orders', victimPartition.partition);
    const expectedLeader = victimPartition.replicas.find((r) => r !== victimPartition.leader && victimPartition.isr.includes(r))!;
    expect(now.leader).toBe(expectedLeader);
    expect(now.leaderEpoch).toBe(victimPartition.leaderEpoch + 1);
    expect(now.isr).toEqual(victimPartition.isr.filter((r) => r !== victimPartition.leader));

    const fact = factsOf(sim, 'leader-elected').find((f) => f.time > 2000 && f.topic === 'orders' && f.partition === victimPartition.partition)!;
    expect(fact).toMatchObject({ leader: `broker-${expectedLeader}`, leaderEpoch: now.leaderEpoch, unclean: false, reason: `${victim} failed`, controllerEpoch: 1 });
    // The new leader was told, with the controller's epoch.
    const told = hostMemory(sim, `broker-${expectedLeader}`)!.received.filter((r) => r.api === 'LeaderAndIsr' && r.at > 2000)
      .flatMap((r) => r.request.partitions.map((p) => ({ ...p, controllerEpoch: r.controllerEpoch })))
      .find((p) => p.topic === 'orders' && p.partition === victimPartition.partition);
    expect(told).toMatchObject({ leader: `broker-${expectedLeader}`, leaderEpoch: now.leaderEpoch, partitionEpoch: now.partitionEpoch, controllerEpoch: 1 });
    // Followers of other partitions on the dead broker left their ISRs.
    for (const p of controllerSummary(sim, controller)!.partitions) expect(p.isr).not.toContain(victimPartition.leader);
  });

  it('last ISR member dead: offline without unclean election, unclean leader with it, clean again when it returns', () => {
    const topics: TopicConfig[] = [
      { name: 'clean', partitions: 1, replicationFactor: 2, assignment: [[2, 3]] },
      { name: 'dirty', partitions: 1, replicationFactor: 2, assignment: [[2, 3]], config: { 'unclean.leader.election.enable': true } },
    ];
    const { sim, brokers } = cluster(1, 3, topics);
    sim.runUntil(2000);
    const controller = theController(sim, brokers);
    expect(controller).toBe('broker-1'); // seed 1; the topics' replicas are 2 and 3
    const b2 = hostMemory(sim, 'broker-2')!;
    // The leader shrinks both ISRs to itself (as a lagging follower would make it do).
    for (const [i, topic] of ['clean', 'dirty'].entries()) {
      alterPartition(sim, 2000 + i, 'broker-2', controller, {
        correlationId: 100 + i, brokerEpoch: b2.brokerEpoch,
        partitions: [{ topic, partition: 0, leaderEpoch: 0, newIsr: ['broker-2'], partitionEpoch: 0 }],
      });
    }
    sim.runUntil(2500);
    expect(partition(sim, controller, 'clean', 0).isr).toEqual([2]);
    expect(partition(sim, controller, 'dirty', 0).isr).toEqual([2]);

    sim.schedule(2500, { type: 'crash', node: 'broker-2' });
    sim.runUntil(8000);
    const clean = partition(sim, controller, 'clean', 0);
    expect(clean).toMatchObject({ leader: null, isr: [2], state: 'Offline', leaderEpoch: 1 });
    expect(factsOf(sim, 'partition-offline').filter((f) => f.topic === 'clean')).toHaveLength(1);
    expect(partition(sim, controller, 'dirty', 0)).toMatchObject({ leader: 3, isr: [3], state: 'Online', leaderEpoch: 1 });
    expect(factsOf(sim, 'leader-elected').find((f) => f.topic === 'dirty' && f.time > 2500)).toMatchObject({ leader: 'broker-3', unclean: true });

    sim.schedule(8000, { type: 'restart', node: 'broker-2' });
    sim.runUntil(10000);
    expect(partition(sim, controller, 'clean', 0)).toMatchObject({ leader: 2, isr: [2], state: 'Online', leaderEpoch: 2 });
    expect(factsOf(sim, 'leader-elected').find((f) => f.topic === 'clean' && f.time > 8000))
      .toMatchObject({ leader: 'broker-2', unclean: false, reason: 'broker-2 started' });
  });
});

describe('AlterPartition (KIP-497)', () => {
  it('accepts a change with matching epochs and rejects stale ones', () => {
    const { sim, brokers } = cluster(1);
    sim.runUntil(2000);
    const controller = theController(sim, brokers);
    const p0 = partition(sim, controller, 'orders', 0);
    const leader = `broker-${p0.leader}`;
    const other = brokers.find((b) => b !== controller && b !== leader) ?? brokers.find((b) => b !== leader)!;
    const epoch = hostMemory(sim, leader)!.brokerEpoch;
    const shrunk = p0.isr.slice(0, 2).map((id) => `broker-${id}`);
    const req = (correlationId: number, over: Partial<AlterPartitionRequest['partitions'][number]> = {}, brokerEpoch = epoch) => ({
      correlationId, brokerEpoch,
      partitions: [{ topic: 'orders', partition: 0, leaderEpoch: p0.leaderEpoch, newIsr: shrunk, partitionEpoch: p0.partitionEpoch, ...over }],
    });
    alterPartition(sim, 2000, leader, controller, req(1));
    alterPartition(sim, 2100, leader, controller, req(2)); // a duplicate: already applied
    alterPartition(sim, 2200, leader, controller, req(3, { newIsr: [leader] })); // stale partition epoch
    alterPartition(sim, 2300, leader, controller, req(4, { leaderEpoch: p0.leaderEpoch - 1, partitionEpoch: p0.partitionEpoch + 1 }));
    alterPartition(sim, 2400, leader, controller, req(5, {}, epoch + 1)); // another registration's epoch
    const follower = `broker-${p0.replicas.find((r) => r !== p0.leader)}`;
    alterPartition(sim, 2450, follower, controller, { ...req(10), brokerEpoch: hostMemory(sim, follower)!.brokerEpoch });
    if (other !== controller) alterPartition(sim, 2500, leader, other, req(6));
    sim.runUntil(3000);

    const responses = Object.fromEntries(hostMemory(sim, leader)!.alterResponses.map((r) => [r.response.correlationId, r.response]));
    expect(responses[1].error).toBe('NONE');
    expect(responses[1].partitions[0]).toMatchObject({ error: 'NONE', isr: shrunk, leaderEpoch: p0.leaderEpoch, partitionEpoch: p0.partitionEpoch + 1 });
    expect(responses[2].partitions[0]).toMatchObject({ error: 'NONE', isr: shrunk, partitionEpoch: p0.partitionEpoch + 1 });
    expect(responses[3].partitions[0]).toMatchObject({ error: 'FENCED_LEADER_EPOCH', isr: shrunk });
    expect(responses[4].partitions[0].error).toBe('FENCED_LEADER_EPOCH');
    expect(responses[5]).toMatchObject({ error: 'STALE_BROKER_EPOCH', partitions: [] });
    if (other !== controller) expect(responses[6]).toMatchObject({ error: 'NOT_CONTROLLER' });
    const fromFollower = hostMemory(sim, follower)!.alterResponses.find((r) => r.response.correlationId === 10)!.response;
    expect(fromFollower.partitions[0].error).toBe('NOT_LEADER_OR_FOLLOWER');

    expect(partition(sim, controller, 'orders', 0)).toMatchObject({ isr: p0.isr.slice(0, 2), partitionEpoch: p0.partitionEpoch + 1 });
    expect(factsOf(sim, 'isr-changed').filter((f) => f.topic === 'orders')).toEqual([
      expect.objectContaining({ partition: 0, isr: shrunk, leaderEpoch: p0.leaderEpoch, partitionEpoch: p0.partitionEpoch + 1 }),
    ]);
    // Every live broker got the new ISR in an UpdateMetadata.
    for (const b of brokers) {
      const seen = hostMemory(sim, b)!.received.filter((r) => r.api === 'UpdateMetadata' && r.at > 2000)
        .flatMap((r) => r.request.partitions).find((p) => p.topic === 'orders' && p.partition === 0);
      expect(seen).toMatchObject({ isr: shrunk, partitionEpoch: p0.partitionEpoch + 1 });
    }
  });
});

describe('losing the coordinator connection (not the session)', () => {
  it('resyncs from ZooKeeper after reconnecting and finishes the interrupted request', () => {
    const { sim, zk, brokers } = cluster(1);
    sim.runUntil(2000);
    const controller = theController(sim, brokers);
    const p0 = partition(sim, controller, 'orders', 0);
    const leader = `broker-${p0.leader}`;
    // Cut the controller from every coordinator server for less than the session timeout.
    sim.schedule(2000, { type: 'partition', id: 'cut', sideA: [controller], sideB: zk });
    sim.schedule(3500, { type: 'heal', id: 'cut' });
    alterPartition(sim, 2100, leader, controller, {
      correlationId: 9, brokerEpoch: hostMemory(sim, leader)!.brokerEpoch,
      partitions: [{ topic: 'orders', partition: 0, leaderEpoch: p0.leaderEpoch, newIsr: [leader], partitionEpoch: p0.partitionEpoch }],
    });
    sim.runUntil(8000);

    const results = hostMemory(sim, controller)!.controllerResults.filter((r) => r.at > 2000);
    expect(results.some((r) => r.error === 'ConnectionLoss')).toBe(true);
    expect(factsOf(sim, 'controller-elected')).toHaveLength(1);
    expect(factsOf(sim, 'controller-resigned')).toEqual([]);
    const answer = hostMemory(sim, leader)!.alterResponses.find((r) => r.response.correlationId === 9)!.response;
    expect(answer.partitions[0]).toMatchObject({ error: 'NONE', isr: [leader], partitionEpoch: p0.partitionEpoch + 1 });
    expect(factsOf(sim, 'isr-changed')).toHaveLength(1);
    expect(partition(sim, controller, 'orders', 0)).toMatchObject({ isr: [p0.leader], partitionEpoch: p0.partitionEpoch + 1 });
    // The resync re-read every partition, and says so.
    const loaded = factsOf(sim, 'partition-state-loaded');
    expect(loaded).toHaveLength(6);
    expect(loaded.every((f) => f.controller === controller && f.reason === 'resync' && f.controllerEpoch === 1)).toBe(true);
  });
});

describe('fencing a deposed controller', () => {
  it('a controller paused past its session timeout wakes up unable to change anything', () => {
    const { sim, brokers } = cluster(1);
    sim.runUntil(1000);
    const zombie = theController(sim, brokers);
    expect(zombie).toBe('broker-1');
    // broker-3's answers to the controller are lost, so requests to broker-3 stay in flight (and are resent).
    sim.schedule(1000, { type: 'link-fault', id: 'mute', from: ['broker-3'], to: [zombie], drop: 1 });
    sim.schedule(1000, { type: 'crash', node: 'broker-2' });
    sim.runUntil(5000);
    sim.schedule(5000, { type: 'pause', node: zombie, durationMs: 6000 });
    sim.runUntil(9000);
    const successor = theController(sim, ['broker-3']);
    expect(factsOf(sim, 'controller-elected').map((e) => [e.controller, e.controllerEpoch])).toEqual([[zombie, 1], [successor, 2]]);
    // While it sleeps, leaders ask it to change an ISR: once with the current epochs, once with
    // the epochs the zombie still believes in (so that it tries a write when it wakes up).
    sim.schedule(9000, { type: 'clear-link-fault', id: 'mute' });
    const p = partition(sim, successor, 'orders', 0);
    const stale = partition(sim, zombie, 'orders', 0);
    expect(stale.leaderEpoch).toBeLessThan(p.leaderEpoch);
    for (const [correlationId, view] of [[7, p], [8, stale]] as const) {
      alterPartition(sim, 9000, 'broker-3', zombie, {
        correlationId, brokerEpoch: -1,
        partitions: [{ topic: 'orders', partition: 0, leaderEpoch: view.leaderEpoch, newIsr: ['broker-3'], partitionEpoch: view.partitionEpoch }],
      });
    }
    sim.runUntil(16000);

    const afterWake = (event: string) => factsOf(sim, event).filter((f) => f.node === zombie && f.time >= 11000);
    for (const event of ['leader-elected', 'isr-changed', 'partition-offline', 'controller-elected']) expect(afterWake(event)).toEqual([]);
    expect(afterWake('controller-resigned')).toEqual([expect.objectContaining({ controller: zombie, controllerEpoch: 1 })]);
    // Every write it attempted after waking failed in the coordinator.
    const writes = hostMemory(sim, zombie)!.controllerResults.filter((r) => r.at >= 11000 && r.op === 'multi');
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((r) => !r.ok)).toBe(true);
    // Its requests still carry epoch 1, so broker-3 (which follows epoch 2) refuses them.
    const rejected = factsOf(sim, 'stale-controller-rejected').filter((f) => f.node === 'broker-3');
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((f) => f.controller === zombie && f.controllerEpoch === 1 && f.currentEpoch === 2)).toBe(true);
    const answers = Object.fromEntries(hostMemory(sim, 'broker-3')!.alterResponses.map((r) => [r.response.correlationId, r.response]));
    // Newer epochs than its own tell it that it is stale (Kafka 3.x answers NOT_CONTROLLER).
    expect(answers[7].partitions[0].error).toBe('NOT_CONTROLLER');
    // The request it tried to write is answered NOT_CONTROLLER once it learns its session expired.
    expect(answers[8]).toMatchObject({ error: 'NOT_CONTROLLER', partitions: [] });
    // The successor's view of the partition did not move.
    expect(partition(sim, successor, 'orders', 0)).toMatchObject({ isr: p.isr, partitionEpoch: p.partitionEpoch });
  });

  it('writes of a controller whose epoch was overtaken fail the /controller_epoch version check', () => {
    const { sim, zk, brokers } = cluster(1);
    sim.addNode('admin', zkTestClient({ servers: zk, sessionTimeoutMs: 3000 }), 100);
    sim.runUntil(2000);
    const controller = theController(sim, brokers);
    const victim = controllerSummary(sim, controller)!.partitions.find((p) => p.topic === 'orders' && p.leader !== brokerIdOf(controller))!;
    // As if a newer controller had registered: /controller_epoch moves on.
    sim.schedule(2000, { type: 'command', node: 'admin', name: 'setData', data: { path: '/controller_epoch', data: 7, version: -1 } });
    sim.schedule(2100, { type: 'crash', node: `broker-${victim.leader}` });
    sim.runUntil(8000);

    const attempts = hostMemory(sim, controller)!.controllerResults.filter((r) => r.at > 2100 && r.op === 'multi');
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((r) => !r.ok && r.error === 'BadVersion')).toBe(true);
    expect(factsOf(sim, 'leader-elected').filter((f) => f.time > 2000)).toEqual([]);
    expect(factsOf(sim, 'isr-changed').filter((f) => f.time > 2000)).toEqual([]);
    expect(partition(sim, controller, 'orders', victim.partition)).toMatchObject({ leader: victim.leader, leaderEpoch: victim.leaderEpoch });
  });
});

describe('determinism', () => {
  it('the same seed gives the same trace', () => {
    const run = (seed: number) => {
      const { sim } = cluster(seed);
      sim.schedule(1500, { type: 'crash', node: 'broker-1' });
      sim.schedule(6000, { type: 'restart', node: 'broker-1' });
      sim.runUntil(10000);
      return sim.traceHash();
    };
    expect(run(7)).toBe(run(7));
  });
});
