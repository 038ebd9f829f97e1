import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, repoRoot, scenario } from './testing/cli';

const root = repoRoot;


describe('kafkasim CLI: bad input', () => {
  it('answers a bad command or option with usage and exit code 2', async () => {
    expect((await cli('fly')).code).toBe(2);
    const r = await cli('run', scenario('leader-failover.json'), '--speed', '3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option --speed');
    expect((await cli('run')).stderr).toContain('run needs exactly one scenario file');
    expect((await cli('run', 'nope.json')).stderr).toContain('nope.json: no such scenario file');
    expect((await cli('compare', scenario('leader-failover.json'), '--vary', 'ackz=1,all')).stderr).toContain('ackz: not a setting that can be varied');
    expect((await cli('run', scenario('leader-failover.json'), '--set', 'acks=2')).stderr).toContain('workload.producers[0].config.acks');
  });

  const malformed = join(root, 'scenarios', 'malformed');
  const files = readdirSync(malformed).filter((f) => f.endsWith('.json') && f !== 'expected-errors.json');
  it.each(files)('malformed/%s: exit code 2, the file and field named, no stack trace', async (file) => {
    const expected = JSON.parse(readFileSync(join(malformed, 'expected-errors.json'), 'utf8'))[file];
    const r = await cli('run', join(malformed, file));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('kafkasim run', () => {
  it('prints the report as JSON with the documented fields', async () => {
    const r = await cli('run', scenario('leader-failover.json'), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    for (const field of ['acknowledged', 'lost', 'duplicated', 'reordered', 'invariantViolations', 'traceHash']) expect(report).toHaveProperty(field);
    expect(report.lost).toBeGreaterThan(0);
  });

  it('prints a readable table and writes the trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkasim-'));
    const r = await cli('run', scenario('leader-failover.json'), '--trace', join(dir, 't.ndjson'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('acknowledged');
    expect(r.stdout).toContain('lost records');
    expect(r.stdout).toMatch(/unprocessed\s+output duplicates/);
    const lines = readFileSync(join(dir, 't.ndjson'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines[0])).toHaveProperty('step');
  });

  it('shows the number each consumer lesson is about: unprocessed for at-most-once, output duplicates for exactly-once', async () => {
    const numbers = async (file: string) => {
      const r = await cli('run', scenario(file));
      expect(r.code).toBe(0);
      const lines = r.stdout.split('\n');
      const head = lines.findIndex((l) => l.startsWith('produced'));
      const names = lines[head].split(/\s{2,}/);
      const values = lines[head + 2].trim().split(/\s+/).map(Number);
      return Object.fromEntries(names.map((n, i) => [n, values[i]]));
    };
    const json = async (file: string) => JSON.parse((await cli('run', scenario(file), '--json')).stdout);
    const atMostOnce = await numbers('consumer-crash-at-most-once.json');
    expect(atMostOnce.unprocessed).toBeGreaterThan(0);
    expect(atMostOnce.unprocessed).toBe((await json('consumer-crash-at-most-once.json')).unprocessed);
    const eos = await numbers('exactly-once-pipeline.json');
    expect(eos['output duplicates']).toBe(0);
    expect(eos.duplicated).toBeGreaterThan(0);
    expect((await json('exactly-once-pipeline.json')).outputDuplicates).toBe(0);
  });
});

describe('kafkasim compare', () => {
  it('shows lost acknowledged records for acks=1 and none for acks=all with min.insync.replicas=2', async () => {
    const r = await cli('compare', scenario('leader-failover.json'), '--vary', 'acks=1,all', '--json');
    expect(r.code).toBe(0);
    const { variants } = JSON.parse(r.stdout);
    expect(variants.map((v: { variant: string }) => v.variant)).toEqual(['acks=1', 'acks=all']);
    expect(variants[0].lost).toBeGreaterThan(0);
    expect(variants[1].lost).toBe(0);
    expect(variants[1].acknowledged).toBeGreaterThan(0);
  });
});

describe('kafkasim sweep', () => {
  it('finds the legacy truncation rule breaking an invariant, and run reproduces it from the saved file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kafkasim-sweep-'));
    const r = await cli('sweep', scenario('kip101-legacy-truncation.json'), '--from', '21', '--seeds', '4', '--workers', '2', '--out', out, '--json');
    expect(r.code).toBe(1);
    const { failing } = JSON.parse(r.stdout);
    expect(failing.length).toBeGreaterThan(0);
    const first = failing[0];
    expect(first.broken).toContain('hw-within-isr');
    expect(first.shrunk.length).toBeLessThanOrEqual(first.faults.length);
    const rerun = await cli('run', first.file, '--json');
    expect(rerun.code).toBe(0);
    const report = JSON.parse(rerun.stdout);
    expect(report.invariantViolations.map((v: { invariant: string }) => v.invariant)).toContain('hw-within-isr');
    expect(report.seed).toBe(first.seed);
  });

  it('finds nothing wrong with the KIP-101 rule on the same seeds', async () => {
    const r = await cli('sweep', scenario('kip101-legacy-truncation.json'), '--set', 'kafkasim.truncation=leader-epoch', '--from', '21', '--seeds', '4', '--workers', '2', '--out', mkdtempSync(join(tmpdir(), 'kafkasim-sweep-')), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).failing).toEqual([]);
  });
});
