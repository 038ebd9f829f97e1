import { describe, expect, it } from 'vitest';
import { run, scenarioFile } from './testing/adminScenarios';

/** The preferred-replica-election scenario without its on-demand election, with auto rebalance on or off. */
const autoRebalance = (enabled: boolean, extra: Record<string, unknown> = {}) =>
  scenarioFile('preferred-replica-election', (raw) => {
    raw.faults = raw.faults.filter((f: any) => f.action !== 'elect-preferred');
    raw.cluster.brokerConfig = { ...raw.cluster.brokerConfig, 'auto.leader.rebalance.enable': enabled, ...extra };
  });

describe('preferred-replica election', () => {
  it('on demand: /admin/preferred_replica_election gives orders-0 back to broker-1, then the request znode is deleted', () => {
    const r = run(scenarioFile('preferred-replica-election'));
    expect(r.leaderAt('orders', 0, 7999)).toBe('broker-2');
    const [request] = r.facts('admin-request');
    expect(request).toMatchObject({ tool: 'elect-preferred', ok: true });
    const elected = r.facts('leader-elected').filter((f) => f.topic === 'orders' && f.partition === 0 && f.time >= request.time);
    expect(elected).toHaveLength(1);
    expect(elected[0]).toMatchObject({ leader: 'broker-1', unclean: false });
    // The ISR is not changed by a preferred election.
    expect(elected[0].isr).toEqual(r.facts('isr-changed').filter((f) => f.topic === 'orders' && f.partition === 0 && f.time < request.time).at(-1).isr);
    expect(r.znodes()).not.toHaveProperty('/admin/preferred_replica_election');
    // Only the listed partition moved.
    expect(r.facts('leader-elected').filter((f) => f.time >= request.time && f.topic !== 'orders')).toEqual([]);
  });

  it('a second request is refused while one is in progress, and accepted after', () => {
    const r = run(scenarioFile('preferred-replica-election', (raw) => {
      raw.faults.push({ atMs: 8001, action: 'elect-preferred', partitions: [{ topic: 'orders', partition: 0 }] });
      raw.faults.push({ atMs: 9000, action: 'elect-preferred', partitions: [{ topic: 'orders', partition: 0 }] });
    }));
    const requests = r.facts('admin-request');
    expect(requests.map((f) => f.ok)).toEqual([true, false, true]);
    expect(requests[1].error).toMatch(/already in progress/);
  });

  it('auto.leader.rebalance.enable: the imbalance check moves the leaderships back to broker-1', () => {
    const r = run(autoRebalance(true));
    const [imbalance] = r.facts('leader-imbalance');
    expect(imbalance).toMatchObject({ broker: 'broker-1', ratio: 1 });
    expect(imbalance.partitions).toContainEqual({ topic: 'orders', partition: 0 });
    expect(r.leaderAt('orders', 0)).toBe('broker-1');
    // The check runs every leader.imbalance.check.interval.seconds (5 s) from 5 s after the controller's failover.
    const controllerSince = r.facts('controller-elected').at(-1).time;
    expect((imbalance.time - controllerSince) % 5000).toBeLessThan(20);
  });

  it('without it (or under the threshold) the leadership stays moved', () => {
    expect(run(autoRebalance(false)).leaderAt('orders', 0)).toBe('broker-2');
    // broker-1 lost 2 of its 2 preferred leaderships: a ratio of 1 is not above 100%.
    const lenient = run(autoRebalance(true, { 'leader.imbalance.per.broker.percentage': 100 }));
    expect(lenient.facts('leader-imbalance')).toEqual([]);
    expect(lenient.leaderAt('orders', 0)).toBe('broker-2');
  });
});
