import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseScenario } from '@kafkasim/kafka';
import { runSweep, SweepModelError } from './commands/sweep';
import { cli, scenario } from './testing/cli';



/** A printed report without what differs between machines: timing, and the directories the reproductions lie in. */
function comparable(json: string) {
  const { workers: _w, elapsedMs: _e, seedsPerMinute: _s, mergedFrom: _m, ...report } = JSON.parse(json);
  return { ...report, failing: report.failing.map((f: { file: string }) => ({ ...f, file: basename(f.file) })) };
}

describe('kafkasim sweep --shard and sweep merge', () => {
  const legacy = scenario('kip101-legacy-truncation.json');
  const sweep = ['--from', '21', '--seeds', '6', '--max-faults', '3'];
  const dir = mkdtempSync(join(tmpdir(), 'kafkasim-shards-'));

  it('merges n shards into the report one unsharded sweep gives, and each shard ran only its slice', async () => {
    const [whole, ...shards] = await Promise.all([
      cli('sweep', legacy, ...sweep, '--workers', '2', '--out', join(dir, 'whole'), '--json'),
      ...[1, 2, 3].map((i) => cli('sweep', legacy, ...sweep, '--workers', '1', '--shard', `${i}/3`, '--out', join(dir, `shard-${i}`), '--json')),
    ]);
    expect(whole.code).toBe(1);
    expect(shards.map((s) => JSON.parse(s.stdout).seeds)).toEqual([2, 2, 2]);
    expect(shards.map((s) => JSON.parse(s.stdout).shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));
    const merged = await cli('sweep', 'merge', join(dir, 'shard-3'), join(dir, 'shard-1'), join(dir, 'shard-2'), '--json');
    expect(merged.code).toBe(1);
    expect(comparable(merged.stdout)).toEqual(comparable(whole.stdout));
    const report = comparable(whole.stdout);
    expect(report.seeds).toBe(6);
    expect(report.failing.length).toBeGreaterThan(0);
    expect(report.invariants['hw-within-isr'].broken).toBe(report.failing.filter((f: { broken: string[] }) => f.broken.includes('hw-within-isr')).length);
    // `run` of a saved reproduction gives the reported trace hash and breaks the reported invariant at the reported step.
    const [first] = JSON.parse(whole.stdout).failing;
    const rerun = JSON.parse((await cli('run', first.file, '--json')).stdout);
    expect(rerun.traceHash).toBe(first.traceHash);
    const [broke] = first.violations;
    expect(rerun.invariantViolations.find((v: { invariant: string }) => v.invariant === broke.invariant).step).toBe(broke.step);
    // The merged report points at the reproductions where the shards saved them.
    for (const f of JSON.parse(merged.stdout).failing) expect(readdirSync(join(f.file, '..'))).toContain(basename(f.file));
    const text = await cli('sweep', 'merge', join(dir, 'shard-1'), join(dir, 'shard-2'), join(dir, 'shard-3'));
    expect(text.stdout).toContain('6 seeds merged from 3 shard report(s)');
    expect(text.stdout).toMatch(/no-acked-loss-when-promised\s+\d+\s+\d+\s+\d+/);
  });

  it('refuses to merge an incomplete set of shards or shards of different sweeps (exit 2, files named)', async () => {
    const missing = await cli('sweep', 'merge', join(dir, 'shard-1'), join(dir, 'shard-3'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing shard 2/3 of kip101-legacy-truncation (seeds 21..26)');
    const other = join(dir, 'other');
    mkdirSync(other);
    const report = JSON.parse(readFileSync(join(dir, 'shard-2', 'sweep-report.shard-2-of-3.json'), 'utf8'));
    writeFileSync(join(other, 'sweep-report.shard-2-of-3.json'), JSON.stringify({ ...report, sweep: { ...report.sweep, kinds: ['crash'] } }));
    const mixed = await cli('sweep', 'merge', join(dir, 'shard-1'), other, join(dir, 'shard-3'));
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(`${join(other, 'sweep-report.shard-2-of-3.json')} swept kinds ["crash"]`);
    const empty = mkdtempSync(join(tmpdir(), 'kafkasim-empty-'));
    expect((await cli('sweep', 'merge', empty)).stderr).toContain(`${empty}: no sweep report in it`);
    copyFileSync(legacy, join(empty, 'sweep-report.json'));
    expect((await cli('sweep', 'merge', empty)).stderr).toContain('not a kafkasim sweep report');
  });

  it('checks --shard and --faults, naming the flag', async () => {
    expect((await cli('sweep', legacy, '--shard', '4/3')).stderr).toContain('--shard 4/3: i must be between 1 and 3');
    const typo = await cli('sweep', legacy, '--faults', 'crash,partitoin');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('--faults expects scenario, random (the default mix) or a mix of fault kinds: unknown fault kind "partitoin" (did you mean "partition"?)');
  });
});

describe('kafkasim sweep --faults', () => {
  it('draws only the chosen kinds (crashes alone break the legacy truncation rule on seeds 4 and 5)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kafkasim-mix-'));
    const r = await cli('sweep', scenario('kip101-legacy-truncation.json'), '--faults', 'crash', '--from', '4', '--seeds', '2', '--workers', '2', '--no-shrink', '--out', out, '--json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.sweep.kinds).toEqual(['crash']);
    expect(report.failing.map((f: { seed: number }) => f.seed)).toEqual([4, 5]);
    for (const f of report.failing) for (const fault of f.faults) expect(['crash', 'restart']).toContain(fault.action);
  });
});

describe('a sweep whose model throws', () => {
  it('stops with the seed and the error, not a worker stack trace', async () => {
    const s = parseScenario(readFileSync(scenario('leader-failover.json'), 'utf8'), 'leader-failover.json');
    const bogus = { ...s, faults: [{ atMs: 100, action: 'crash' as const, target: 'broker-99' }] };
    const failure = await runSweep(bogus, [1, 2, 3], { faults: 'scenario' }, 2, () => {}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SweepModelError);
    expect((failure as SweepModelError).message).toBe('seed 1: Error: crash: unknown node broker-99');
  });

  // A configuration the producer's constructor refuses no longer reaches the model: the --set
  // overrides are validated before any seed runs (issue #16), exit 2 naming the field.
  it('refuses a configuration Kafka refuses before any seed runs, not as a model error', async () => {
    const r = await cli('sweep', scenario('leader-failover.json'), '--seeds', '4', '--workers', '2', '--set', 'delivery.timeout.ms=100', '--out', mkdtempSync(join(tmpdir(), 'kafkasim-throw-')));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('workload.producers[0].config.delivery.timeout.ms: must be at least linger.ms + request.timeout.ms');
  });
});
