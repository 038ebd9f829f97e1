import { describe, expect, it } from 'vitest';
import { run, scenarioFile } from './testing/adminScenarios';

const withShutdown = (clean: boolean) =>
  scenarioFile('controlled-shutdown', (raw) => {
    raw.faults[0].clean = clean;
  });

describe('controlled shutdown (KafkaController.doControlledShutdown)', () => {
  it('moves every leadership off the broker and out of the ISR before it stops', () => {
    const r = run(withShutdown(true));
    const [stop] = r.facts('broker-shutdown');
    expect(stop).toMatchObject({ broker: 'broker-1', clean: true, partitionsRemaining: 0 });
    const [answer] = r.facts('controlled-shutdown');
    expect(answer.partitionsRemaining).toEqual([]);
    expect(answer.time).toBeLessThanOrEqual(stop.time);
    for (const partition of [0, 1, 2]) expect(r.leaderAt('orders', partition, stop.time)).not.toBe('broker-1');
    // Leadership moved by the controlled-shutdown election, from the ISR, not by a failure.
    const moved = r.facts('leader-elected').filter((f) => f.topic === 'orders' && f.partition === 0 && f.time > 4000 && f.time <= stop.time);
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ leader: 'broker-2', unclean: false, reason: 'broker-1 shutting down', isr: ['broker-2', 'broker-3'] });
    // The follower replicas left the ISR in the same request (OfflineReplica).
    const isrChanges = r.facts('isr-changed').filter((f) => f.topic === 'orders' && f.time > 4000 && f.time <= stop.time);
    expect(isrChanges.map((f) => f.partition).sort()).toEqual([1, 2]);
    for (const f of isrChanges) expect(f.isr).not.toContain('broker-1');
    expect(r.delivery.lost).toBe(0);
  });

  it('flushes every log before the process stops (a clean stop leaves nothing to recover)', () => {
    const r = run(scenarioFile('controlled-shutdown', (raw) => {
      raw.faults = raw.faults.filter((f: any) => f.action !== 'restart');
      raw.cluster.brokerConfig['kafkasim.crash.mode'] = 'power-loss';
    }));
    const logs = Object.values(r.broker('broker-1').durable.logs);
    expect(logs.some((log) => log.logEndOffset > 0)).toBe(true);
    for (const log of logs) expect(log.recoveryPoint).toBe(log.logEndOffset);
  });

  it('keeps producers going where a hard stop (kill -9) leaves them waiting for the session timeout', () => {
    const clean = run(withShutdown(true));
    const hard = run(withShutdown(false));
    expect(hard.facts('broker-shutdown')).toEqual([]);
    expect(clean.delivery.longestAckGapMs).toBeLessThan(500);
    expect(hard.delivery.longestAckGapMs).toBeGreaterThan(2000);
  });

  it('the broker deregisters before it stops, where a crashed broker stays registered until its session expires', () => {
    const deregistered = (r: ReturnType<typeof run>) =>
      r.facts('zk-write-committed').filter((f) => f.op === 'delete' && f.path === '/brokers/ids/1' && f.time < 6000).map((f) => f.time);
    const clean = run(withShutdown(true));
    const stop = clean.facts('broker-shutdown')[0];
    expect(deregistered(clean)).toHaveLength(1);
    expect(deregistered(clean)[0]).toBeLessThanOrEqual(stop.time);
    expect(stop.time).toBeLessThan(4100);
    const hard = run(withShutdown(false));
    expect(deregistered(hard)).toEqual([]);
    // zookeeper.session.timeout.ms (3 s) after the crash at 4 s, the expiry deletes the znode.
    expect(hard.facts('zk-session-expired').filter((f) => f.owner === 'broker-1')[0].time).toBeGreaterThan(6000);
  });

  it('retries while the broker is the last in-sync replica of a partition, then stops anyway (unclean)', () => {
    const scenario = scenarioFile('controlled-shutdown', (raw) => {
      raw.cluster.brokerConfig = { 'min.insync.replicas': 1 };
      raw.cluster.topics = [{ name: 'orders', partitions: 1, replicationFactor: 2, assignment: [[1, 2]] }];
      raw.workload.producers[0].config = { acks: '1' };
      raw.faults = [
        { atMs: 2000, action: 'crash', target: 'broker-2' },
        { atMs: 7000, action: 'shutdown', target: 'broker-1' },
      ];
      raw.expect = {};
    });
    const r = run(scenario);
    const answers = r.facts('controlled-shutdown');
    // The first attempt and controlled.shutdown.max.retries (3) more, each still leading orders-0.
    expect(answers).toHaveLength(4);
    for (const a of answers) expect(a.partitionsRemaining).toEqual([{ topic: 'orders', partition: 0 }]);
    const gaps = answers.slice(1).map((a, i) => a.time - answers[i].time);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(r.facts('broker-shutdown')).toEqual([expect.objectContaining({ broker: 'broker-1', clean: false, partitionsRemaining: 1 })]);
  });
});
