import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NodeContext } from '@kafkasim/engine';
import { defaultBrokerConfig } from '../config';
import type { FetchRequest } from '../protocol';
import { buildScenario, validateScenario } from '../scenario';
import type { Broker } from './context';
import { fetchFindsNothing, readForFetch } from './fetchRead';
import type { BrokerDurable, BrokerEnv, BrokerVolatile } from './types';

const scenariosDir = path.resolve(__dirname, '../../../../scenarios');

/** A broker of the run as the handlers see it; its reads only need the config's defaults (no quotas). */
function brokerOf(state: { durable: BrokerDurable; volatile: BrokerVolatile }, self: string, now: number): Broker {
  const env = { config: defaultBrokerConfig, topics: [] } as unknown as BrokerEnv;
  return { d: state.durable, v: state.volatile, env, ctx: { now } as NodeContext, self };
}

/** Fetches around every interesting offset and epoch of every partition this broker has a log of. */
function probes(b: Broker): FetchRequest[] {
  const out: FetchRequest[] = [];
  const whole: FetchRequest['partitions'] = [];
  for (const key of Object.keys(b.d.logs).sort()) {
    const log = b.d.logs[key];
    const p = b.v.partitions[key];
    const [topic, partition] = [key.slice(0, key.lastIndexOf('-')), Number(key.slice(key.lastIndexOf('-') + 1))];
    const hw = p?.highWatermark ?? 0;
    const epoch = p?.leaderEpoch ?? 0;
    for (const fetchOffset of [log.logStartOffset - 1, log.logStartOffset, hw - 1, hw, log.logEndOffset - 1, log.logEndOffset, log.logEndOffset + 1]) {
      for (const currentLeaderEpoch of [-1, epoch, epoch - 1, epoch + 1]) {
        for (const replicaId of [null, 'broker-9']) {
          for (const isolationLevel of ['read_uncommitted', 'read_committed'] as const) {
            out.push({ api: 'Fetch', correlationId: 1, replicaId, maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20, isolationLevel, partitions: [{ topic, partition, fetchOffset, currentLeaderEpoch }] });
          }
        }
      }
    }
    whole.push({ topic, partition, fetchOffset: log.logEndOffset, currentLeaderEpoch: -1 });
  }
  for (const replicaId of [null, 'broker-9']) out.push({ api: 'Fetch', correlationId: 1, replicaId, maxWaitMs: 500, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 'read_uncommitted', partitions: whole });
  for (const op of b.v.delayedFetches) out.push(op.request);
  return out;
}

describe('fetchFindsNothing', () => {
  it('says a fetch finds nothing exactly when readForFetch answers no error and fewer than minBytes', () => {
    let checked = 0;
    let nothing = 0;
    for (const file of ['leader-failover.json', 'exactly-once-pipeline.json', 'kip320-consumer-skips-records.json', 'unclean-election-data-loss.json']) {
      const scenario = validateScenario(JSON.parse(fs.readFileSync(path.join(scenariosDir, file), 'utf8')), file);
      const { sim } = buildScenario(scenario);
      for (let t = 500; t <= scenario.durationMs; t += 500) {
        sim.runUntil(t);
        for (const id of Object.keys(sim.world.nodes).filter((n) => n.startsWith('broker-'))) {
          const node = sim.node(id);
          if (node.status !== 'up') continue;
          const b = brokerOf(structuredClone(node.state), id, sim.world.now);
          for (const req of probes(b)) {
            const read = readForFetch(b, req);
            const expected = !read.hasError && read.bytes < Math.max(req.minBytes, 1);
            expect(fetchFindsNothing(b, req), `${file} at ${t} ms, ${id}: ${JSON.stringify(req.partitions)} ${req.replicaId} ${req.isolationLevel}`).toBe(expected);
            checked += 1;
            if (expected) nothing += 1;
          }
        }
      }
    }
    // Both answers were seen plenty (the comparison covered both sides).
    expect(nothing).toBeGreaterThan(1000);
    expect(checked - nothing).toBeGreaterThan(1000);
  });
});
