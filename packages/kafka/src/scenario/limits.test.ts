import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ScenarioError } from './errors';
import { validateScenario } from './validate';

const scenariosDir = new URL('../../../../scenarios/', import.meta.url).pathname;
const failover = () => JSON.parse(readFileSync(`${scenariosDir}leader-failover.json`, 'utf8'));

function issuesOf(raw: unknown) {
  try {
    validateScenario(raw, 'f.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).issues;
  }
  return [];
}

describe('size limits', () => {
  it('a huge value gets one error, the tighter limit, not also Kafka\'s INT', () => {
    const long = failover();
    long.durationMs = 2 ** 53 - 1;
    expect(issuesOf(long)).toEqual([{ path: 'durationMs', message: 'at most 3600000 (one hour of simulated time; a longer run takes too long to simulate)' }]);
    const wide = failover();
    wide.cluster.topics[0].partitions = 1e12;
    delete wide.cluster.topics[0].assignment;
    expect(issuesOf(wide).map((i) => i.path)).toEqual(['cluster.topics[0].partitions']);
  });

  it('counts the records a producer sends from its rate, start, stop and count', () => {
    const busy = failover();
    busy.durationMs = 200_000;
    busy.workload.producers[0] = { ...busy.workload.producers[0], ratePerSec: 10000, startAtMs: 0, stopAtMs: 110_000 };
    expect(issuesOf(busy)).toEqual([{ path: 'workload.producers', message: expect.stringContaining('would send 1100000 records in all; at most 1000000 per run') }]);
    busy.workload.producers[0].count = 1_000_000;
    expect(issuesOf(busy)).toEqual([]);
  });
});
