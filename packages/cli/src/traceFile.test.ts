import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceHash, type TraceEntry } from '@kafkasim/engine';
import { parseScenario, runScenario, traceToNdjson } from '@kafkasim/kafka';
import { cli, repoRoot, scenario } from './testing/cli';

const goldenHashes = JSON.parse(readFileSync(join(repoRoot, 'scenarios', 'golden-hashes.json'), 'utf8')) as Record<string, string>;

describe('run --trace FILE', () => {
  it('streams every entry with its whole payload: the file the in-memory trace with whole payloads gave', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kafkasim-')), 't.ndjson');
    const r = await cli('run', scenario('leader-failover.json'), '--trace', file);
    expect(r.code).toBe(0);
    const written = readFileSync(file, 'utf8');
    const s = parseScenario(readFileSync(scenario('leader-failover.json'), 'utf8'), 'leader-failover.json');
    expect(written).toBe(traceToNdjson(runScenario(s, { traceMessages: true, tracePayloads: 'full' }).trace));
    const entries = written.trim().split('\n').map((l) => JSON.parse(l) as TraceEntry);
    // Whole payloads: a Produce request carries its records.
    const produce = entries.find((e) => e.type === 'deliver' && (e.payload as { api?: string })?.api === 'Produce');
    expect(JSON.stringify(produce?.payload)).toContain('"records"');
    expect(traceHash(entries)).toBe(goldenHashes['leader-failover']);
  });
});
