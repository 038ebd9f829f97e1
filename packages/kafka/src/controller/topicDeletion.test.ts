import { describe, expect, it } from 'vitest';
import { run, scenarioFile } from './testing/adminScenarios';

describe('topic deletion (TopicDeletionManager)', () => {
  const r = run(scenarioFile('topic-deletion'));
  const phases = r.facts('topic-deletion');

  it('waits for the replicas on the broker that is down, completes once it is back', () => {
    expect(phases.map((f) => f.phase)).toEqual(['started', 'waiting', 'completed']);
    expect(phases[1].reason).toMatch(/broker-3/);
    const back = r.facts('broker-registered').filter((f) => f.broker === 'broker-3').at(-1);
    expect(back.time).toBeGreaterThan(9000);
    expect(phases[2].time).toBeGreaterThan(back.time);
    // broker-3's two replicas were deleted after it returned, the others at once.
    const deletions = r.facts('replica-stopped').filter((f) => f.deleted);
    expect(deletions).toHaveLength(6);
    expect(deletions.filter((f) => f.broker === 'broker-3').every((f) => f.time > back.time)).toBe(true);
    // The returning broker is not made a follower of the topic again (onBrokerStartup skips it): it only deletes.
    expect(r.facts('become-follower').filter((f) => f.topic === 'clicks' && f.time > back.time)).toEqual([]);
  });

  it('leaves no log, no znode and no metadata of the topic; the other topic is untouched', () => {
    for (const b of ['broker-1', 'broker-2', 'broker-3']) {
      const state = r.broker(b);
      expect(Object.keys(state.durable.logs).filter((k) => k.startsWith('clicks-'))).toEqual([]);
      expect(Object.keys(state.volatile.metadata.partitions).filter((k) => k.startsWith('clicks-'))).toEqual([]);
    }
    const paths = Object.keys(r.znodes());
    expect(paths.filter((p) => p.includes('clicks') && !p.startsWith('/kafkasim/'))).toEqual([]);
    expect(paths).toContain('/brokers/topics/orders');
    expect(Object.keys(r.broker('broker-1').durable.logs)).toContain('orders-0');
    // Deleting is not losing: the checkers report no acknowledged record lost.
    expect(r.delivery.lost).toBe(0);
  });

  it('a later controller does not create the deleted topic again', () => {
    const failover = run(scenarioFile('topic-deletion', (raw) => {
      raw.durationMs = 24000;
      raw.faults.push({ atMs: 11000, action: 'crash', target: 'broker-2' });
    }));
    // The new controller creates the startup topics it misses once the grace period after its election is over.
    const newController = failover.facts('controller-elected').at(-1);
    expect(newController.controller).not.toBe('broker-2');
    expect(newController.time + 3000).toBeLessThan(24000);
    expect(Object.keys(failover.znodes())).not.toContain('/brokers/topics/clicks');
    expect(failover.facts('leader-elected').filter((f) => f.topic === 'clicks' && f.time > 11000)).toEqual([]);
  });

  it('delete.topic.enable=false: the request is refused and removed, the topic stays', () => {
    const refused = run(scenarioFile('topic-deletion', (raw) => {
      raw.cluster.brokerConfig = { 'delete.topic.enable': false };
    }));
    expect(refused.facts('topic-deletion').map((f) => [f.phase, f.reason])).toEqual([['refused', 'delete.topic.enable=false']]);
    expect(Object.keys(refused.znodes())).toContain('/brokers/topics/clicks');
    expect(Object.keys(refused.znodes())).not.toContain('/admin/delete_topics/clicks');
    expect(refused.facts('replica-stopped')).toEqual([]);
  });

  it('a producer to the deleted topic gets errors, not acknowledgements', () => {
    const producing = run(scenarioFile('topic-deletion', (raw) => {
      raw.workload.producers[0].stopAtMs = 11000;
    }));
    const completed = producing.facts('topic-deletion').find((f) => f.phase === 'completed')!;
    const ackedAfter = producing.facts('produce-acked').filter((f) => f.topic === 'clicks' && f.time > completed.time);
    expect(ackedAfter).toEqual([]);
  });
});
