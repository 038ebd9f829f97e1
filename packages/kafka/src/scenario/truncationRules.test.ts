import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TraceStore } from '@kafkasim/engine';
import { applyOverrides } from './overrides';
import { runScenario } from './run';
import { parseScenario } from './validate';

const load = (name: string) => {
  const file = new URL(`../../../../scenarios/${name}.json`, import.meta.url);
  return parseScenario(readFileSync(file, 'utf8'), `${name}.json`);
};

const consumedOffsets = (trace: TraceStore) => trace.filter((e) => e.type === 'record' && e.event === 'consumed').map((e) => (e.data as { offset: number }).offset);

describe('consumer position validation (KIP-320)', () => {
  it("'kip-279' brokers: after the unclean election the consumer goes on at its old position and skips the new leader's records", () => {
    const r = runScenario(load('kip320-consumer-skips-records'), { traceMessages: false });
    const offsets = consumedOffsets(r.trace);
    // Never a step back: offsets 50-200 of the new leader are never read.
    expect(offsets.every((o, i) => i === 0 || o === offsets[i - 1] + 1)).toBe(true);
    expect(r.delivery.unprocessed).toBeGreaterThanOrEqual(150);
  });

  it("'kip-320': metadata shows the new epoch, OffsetsForLeaderEpoch answers 50, and the consumer seeks back there and reads everything kept", () => {
    const r = runScenario(applyOverrides(load('kip320-consumer-skips-records'), { 'kafkasim.truncation': 'kip-320' }, 'x.json'), { tracePayloads: 'full' });
    const offsets = consumedOffsets(r.trace);
    const back = offsets.findIndex((o, i) => i > 0 && o < offsets[i - 1]);
    expect([offsets[back - 1], offsets[back]]).toEqual([200, 50]);
    const validation = r.trace.find((e: any) => e.type === 'deliver' && e.node === 'consumer-1' && e.payload?.api === 'OffsetsForLeaderEpochResponse') as any;
    expect(validation.payload.partitions[0]).toMatchObject({ error: 'NONE', endOffset: 50 });
    expect(r.delivery.unprocessed).toBe(0);
    // Committing 51 after 201 is the seek to the divergence, not a zombie's commit.
    expect(r.violations).toEqual([]);
  });

  it('the old name leader-epoch validates as kip-320 does', () => {
    const r = runScenario(applyOverrides(load('kip320-consumer-skips-records'), { 'kafkasim.truncation': 'leader-epoch' }, 'x.json'), { traceMessages: false });
    expect(r.delivery.unprocessed).toBe(0);
  });
});
