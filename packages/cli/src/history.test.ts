import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, scenario } from './testing/cli';



/** One Jepsen operation per line, in Jepsen's key order; the value is checked per :f. */
const OP_LINE = /^\{:index (\d+), :time (\d+), :type :(invoke|ok|info|fail), :process (\d+), :f :(send|poll|subscribe), :value (\[.*\]), :node "[^"]+", :step \d+(, :error :[a-z-]+)?\}$/;
const SEND_VALUE = /^\[\[:send "[^"]+" ("[^"]+"|\[(\d+|nil) "[^"]+"\])\]\]$/;
const POLL_VALUE = /^\[\[:poll( \{("[^"]+" \[(\[\d+ "[^"]+"\] ?)+\](, )?)*\})?\]\]$/;

describe('kafkasim run --history', () => {
  it('writes the client history as EDN and shows the Jepsen anomaly counts in the table and --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkasim-history-'));
    const file = join(dir, 'out.edn');
    const r = await cli('run', scenario('leader-failover.json'), '--history', file, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.jepsen.counts['inconsistent-offsets']).toBeGreaterThan(0);
    expect(report.jepsen.counts['lost-write']).toBe(report.lost);
    expect(report.jepsen.valid).toBe(false);

    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(report.jepsen.history.operations);
    let sends = 0;
    let polls = 0;
    lines.forEach((line, i) => {
      const m = OP_LINE.exec(line);
      expect(m, line).not.toBeNull();
      expect(Number(m![1])).toBe(i);
      if (m![5] === 'send') sends++, expect(m![6], line).toMatch(SEND_VALUE);
      if (m![5] === 'poll') polls++, expect(m![6], line).toMatch(POLL_VALUE);
      if (m![3] === 'ok' && m![5] === 'send') expect(m![6], line).toMatch(/\[\d+ "/);
    });
    expect(sends).toBe(2 * report.produced);
    expect(polls).toBeGreaterThan(0);

    const table = await cli('run', scenario('leader-failover.json'));
    expect(table.stdout).toContain('Jepsen anomalies');
    expect(table.stdout).toMatch(/inconsistent-offsets\s+duplicate\s+lost-write\s+unseen\s+G1a\s+poll-skip\s+nonmonotonic-poll\s+nonmonotonic-send/);
    expect(table.stdout).toContain("Jepsen's verdict: invalid (inconsistent-offsets, lost-write, unseen, nonmonotonic-send)");
  });

  it('answers --history without a file with usage and exit code 2', async () => {
    const r = await cli('run', scenario('leader-failover.json'), '--history');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--history needs a value');
  });
});
