import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, repoRoot, scenario } from './testing/cli';

const root = repoRoot;


/** Exit 2 and exactly one line, naming the file and the field. */
async function refused(expected: string, ...argv: string[]) {
  const r = await cli(...argv);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.split('\n')).toHaveLength(1);
  expect(r.stderr).toContain(expected);
  expect(r.stdout).toBe('');
}

describe('issue 16: configurations Kafka refuses get exit 2 and the field, through --set, --vary and sweep --set', () => {
  const failover = scenario('leader-failover.json');
  const consumers = scenario('consumer-crash-at-least-once.json');
  it('run --set', async () => {
    await refused(`${failover}: workload.producers[0].config.delivery.timeout.ms: must be at least linger.ms + request.timeout.ms`, 'run', failover, '--set', 'delivery.timeout.ms=100');
    await refused(`${scenario('leader-failover-acks-all.json')}: workload.producers[0].config.retries: must be at least 1 with enable.idempotence=true`,
      'run', scenario('leader-failover-acks-all.json'), '--set', 'enable.idempotence=true', '--set', 'retries=0');
    await refused(`${consumers}: workload.consumers[0].config.heartbeat.interval.ms: must be lower than session.timeout.ms`, 'run', consumers, '--set', 'heartbeat.interval.ms=5000');
    await refused(`${consumers}: workload.consumers[0].config.session.timeout.ms: must be within the brokers' group.min.session.timeout.ms`, 'run', consumers, '--set', 'session.timeout.ms=1');
    await refused(`${failover}: workload.producers[0].config.linger.ms: at most 2147483647`, 'run', failover, '--set', 'linger.ms=1000000000000');
  });

  it('compare --vary: every variant is checked before any runs', async () => {
    await refused(`${failover}: workload.producers[0].config.delivery.timeout.ms: must be at least`, 'compare', failover, '--vary', 'delivery.timeout.ms=6000,100');
    await refused(`${consumers}: workload.consumers[0].config.heartbeat.interval.ms`, 'compare', consumers, '--vary', 'heartbeat.interval.ms=500,5000');
  });

  it('sweep --set, before any worker starts', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'kafkasim-bad-')), 'sweep');
    await refused(`${failover}: workload.producers[0].config.delivery.timeout.ms`, 'sweep', failover, '--set', 'delivery.timeout.ms=100', '--seeds', '2', '--out', out);
    expect(existsSync(out)).toBe(false);
  });
});

describe('issue 16: the command line', () => {
  it('refuses --seed -1 and 1.5 as the file format does', async () => {
    await refused('seed: Too small: expected number to be >=0', 'run', scenario('leader-failover.json'), '--seed', '-1');
    await refused('seed: expected a whole number >= 0 or a non-empty string', 'run', scenario('leader-failover.json'), '--seed', '1.5');
    await refused('seed: Too small', 'compare', scenario('leader-failover.json'), '--vary', 'acks=1,all', '--seed', '-1');
  });

  it('bounds sweep --workers, --seeds and --max-faults', async () => {
    // A flag error is followed by the usage text, as every other flag error is.
    const failover = scenario('leader-failover.json');
    for (const [flag, value, expected] of [
      ['--workers', '1000', 'kafkasim: --workers expects a whole number from 1 to 64, got "1000"'],
      ['--seeds', '99999999999', 'kafkasim: --seeds expects a whole number from 1 to 10000000, got "99999999999"'],
      ['--max-faults', '0', 'kafkasim: --max-faults expects a whole number from 1 to 100, got "0"'],
    ]) {
      const r = await cli('sweep', failover, flag, value);
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(expected);
    }
  });

  it('refuses more --vary combinations than it would run', async () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => 1000 + i).join(',');
    const r = await cli('compare', scenario('leader-failover.json'), '--vary', `linger.ms=${values(10)}`, '--vary', `retries=${values(10)}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kafkasim: --vary: 100 combinations (10 x 10); at most 64, each is one run');
  });

  it('checks --trace before the run, in one line', async () => {
    const r = await cli('run', scenario('leader-failover.json'), '--trace', '/nonexistent-dir/x.ndjson');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kafkasim: --trace /nonexistent-dir/x.ndjson: cannot write the trace there (its directory does not exist)');
    expect(r.stdout).toBe('');
  });

  it('checks --history before the run too', async () => {
    const r = await cli('run', scenario('leader-failover.json'), '--history', '/nonexistent-dir/h.edn');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('kafkasim: --history /nonexistent-dir/h.edn: cannot write the history there (its directory does not exist)');
  });

  it.each(['run', 'compare', 'sweep'])('%s --help prints the usage and exits 0', async (command) => {
    for (const flag of ['--help', '-h']) {
      const r = await cli(command, flag);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`kafkasim ${command} <scenario.json>`);
    }
  });

  it('stops quietly when the reader of its output has gone (EPIPE)', () => {
    const bin = join(root, 'packages/cli/bin/kafkasim.mjs');
    // `true` exits without reading: the report, written after the run, meets a closed pipe.
    const r = spawnSync('bash', ['-c', `node ${bin} run ${scenario('unclean-election-data-loss.json')} | true; echo "exit=\${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('exit=0');
    expect(r.stderr).toBe('');
  });
});
