import { describe, expect, it } from 'vitest';
import { facts, groupRun } from './testing/groupRun';

function reorderedWithinKey(run: ReturnType<typeof groupRun>): number {
  const consumed = new Map(facts(run.sim, 'consumed').map((f) => [f.data.id, f.data.key]));
  const highest = new Map<string, number>();
  let reordered = 0;
  for (const p of facts(run.sim, 'processed')) {
    const lane = `${p.node}/${p.data.partition}/${consumed.get(p.data.id)}`;
    if ((highest.get(lane) ?? -1) > p.data.offset) reordered += 1;
    highest.set(lane, Math.max(highest.get(lane) ?? -1, p.data.offset));
  }
  return reordered;
}

describe('poller-with-workers', () => {
  const base = { topic: { name: 't', partitions: 2, replicationFactor: 3 }, records: 300, ratePerSec: 300, consumers: 1, keys: 3, consumersStartAtMs: 2000 };

  it('keyOrdered keeps each key in order; commits never pass a record still in a worker', () => {
    const run = groupRun({ seed: 21, ...base, processing: { mode: 'commit-after-process', processingTimeMsPerRecord: 10, workers: { count: 4, keyOrdered: true } } });
    run.sim.runUntil(10000);
    expect(facts(run.sim, 'processed')).toHaveLength(300);
    expect(reorderedWithinKey(run)).toBe(0);
    const processedAt = new Map(facts(run.sim, 'processed').map((f) => [`${f.data.partition}/${f.data.offset}`, f.time]));
    const commits = facts(run.sim, 'offset-committed');
    expect(commits.length).toBeGreaterThan(0);
    for (const c of commits) {
      for (let offset = 0; offset < c.data.offset; offset++) {
        expect(processedAt.get(`${c.data.partition}/${offset}`), `offset ${offset} of partition ${c.data.partition} before commit ${c.data.offset}`).toBeLessThanOrEqual(c.time);
      }
    }
  });

  it('without keyOrdered, records of one key complete out of order', () => {
    const run = groupRun({ seed: 21, ...base, processing: { mode: 'commit-after-process', processingTimeMsPerRecord: 10, workers: { count: 4, keyOrdered: false } } });
    run.sim.runUntil(10000);
    expect(facts(run.sim, 'processed')).toHaveLength(300);
    expect(reorderedWithinKey(run)).toBeGreaterThan(0);
  });

  it('auto-commit with workers commits positions ahead of processing (the documented pitfall)', () => {
    const run = groupRun({ seed: 22, ...base, config: { 'auto.commit.interval.ms': 200 }, processing: { mode: 'auto-commit', processingTimeMsPerRecord: 30, workers: { count: 2, keyOrdered: true } } });
    run.sim.runUntil(10000);
    const processedAt = new Map(facts(run.sim, 'processed').map((f) => [`${f.data.partition}/${f.data.offset}`, f.time]));
    const ahead = facts(run.sim, 'offset-committed').some((c) => (processedAt.get(`${c.data.partition}/${c.data.offset - 1}`) ?? Infinity) > c.time);
    expect(ahead).toBe(true);
  });
});
