/**
 * Issue #15: a lesson a class of 30 can follow. One test (or more) per item, in real Chromium,
 * checked against what the same core computes in Node; screenshots of each lesson's key step at
 * 1280x720 and 1920x1080 in test-results/lessons/.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { Handler } from '../src/core/handler';
import { modelFor } from '../src/core/models';
import type { ReportView, StepView, Summary } from '../src/core/view';
import { nodeSession, scenarioPath } from './node';

const here = dirname(fileURLToPath(import.meta.url));
const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/${name}.png` });

async function ready(page: Page) {
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
}
const stepOf = async (page: Page) => Number(await page.getByTestId('step').textContent());

function nodeRun(name: string) {
  const handler = new Handler(modelFor);
  const scenario = JSON.parse(readFileSync(scenarioPath(name), 'utf8'));
  const summary = handler.handle({ type: 'load', spec: { source: 'scenario', file: `scenarios/${name}.json`, scenario } }) as Summary;
  return {
    handler, summary,
    report: (branch = 0) => handler.handle({ type: 'report', branch }) as ReportView,
    view: (step: number, branch = 0) => handler.handle({ type: 'view', branch, at: { step }, window: { size: 40 } }) as StepView,
  };
}

test.describe('item 1: a live crash plays on', () => {
  test('the fork from the URL plays to the end: timeline, event log, counts and End all move past the click', async ({ page }) => {
    const node = nodeRun('leader-failover');
    const fork = node.handler.handle({ type: 'fork', branch: 0, step: 1000, fault: { type: 'crash', node: 'broker-2' } }) as Summary;
    const forkReport = node.report(fork.branch);
    await page.goto('/?scenario=leader-failover&fork=crash:broker-2@1000&step=1001');
    await expect(page.getByTestId('branch-select')).toBeVisible({ timeout: 60_000 });
    await ready(page);
    await expect(page.getByTestId('step')).toHaveText('1001');
    await page.keyboard.press('End');
    await expect(page.getByTestId('step')).toHaveText(String(fork.steps));
    expect(fork.steps).toBeGreaterThan(3000);
    // The event log and the controller moved on with the fork.
    const newest = Number((await page.getByTestId('event-log').locator('.ev-time').first().textContent())!.replace(' ms', ''));
    expect(newest).toBeGreaterThan(6000);
    await page.getByTestId('tab-delivery').click();
    await expect(page.getByTestId('lost-count')).toHaveText(String(forkReport.lost));
    expect(forkReport.lost).toBeGreaterThan(0);
    // Jump keys work in the fork: back to its crash.
    await page.keyboard.press('Shift+F');
    await expect.poll(() => stepOf(page)).toBeLessThan(fork.steps);
    await shot(page, 'item1-fork-plays');
  });
});

test.describe('item 2: the number each lesson is about', () => {
  test('at-most-once shows unprocessed records as its lesson number, never "Nothing lost"', async ({ page }) => {
    const report = nodeRun('consumer-crash-at-most-once').report();
    await page.goto('/?scenario=consumer-crash-at-most-once');
    await ready(page);
    await page.getByTestId('tab-delivery').click();
    await expect(page.getByTestId('metric-unprocessed')).toHaveAttribute('data-lesson', 'true');
    await expect(page.getByTestId('unprocessed-count')).toHaveText(String(report.unprocessed));
    expect(report.unprocessed).toBeGreaterThan(0);
    await expect(page.getByTestId('delivery-report')).not.toContainText('Nothing lost');
    await expect(page.locator('.record-head .tag', { hasText: 'unprocessed by' }).first()).toBeVisible();
    await shot(page, 'item2-at-most-once-unprocessed');
  });

  test('exactly-once: processed twice yet output duplicates 0, and the difference explained', async ({ page }) => {
    const report = nodeRun('exactly-once-pipeline').report();
    await page.goto('/?scenario=exactly-once-pipeline');
    await ready(page);
    await page.getByTestId('tab-delivery').click();
    await expect(page.getByTestId('metric-outputDuplicates')).toHaveAttribute('data-lesson', 'true');
    await expect(page.getByTestId('outputDuplicates-count')).toHaveText('0');
    await expect(page.getByTestId('duplicated-count')).toHaveText(String(report.duplicated));
    await expect(page.getByTestId('metric-duplicated')).toContainText(`${report.duplicatedProcessing} processed twice`);
    await expect(page.getByTestId('duplicates-explained')).toContainText('Output duplicates');
    await shot(page, 'item2-exactly-once-output-duplicates');
  });
});

test.describe('item 3: the log at the crash', () => {
  test('leader and followers on one axis: every LEO and HW on screen, consumers drawn, cells labelled by offset', async ({ page }) => {
    const node = nodeSession('leader-failover');
    const crash = node.summary.marks.find((m) => m.label === 'broker-1 CRASHED')!;
    await page.goto(`/?scenario=leader-failover&step=${crash.step}`);
    await ready(page);
    for (const b of ['broker-2', 'broker-3']) {
      const leo = page.getByTestId(`replica-orders-0-${b}-leo`);
      await expect(leo).toBeInViewport();
      await expect(leo).not.toHaveAttribute('data-edge', /./);
      await expect(page.getByTestId(`replica-orders-0-${b}-hw`)).toBeInViewport();
    }
    await expect(page.getByTestId('consumers-orders-0')).toBeVisible();
    await expect(page.locator('[data-testid^="consumer-orders-0-position-"]').first()).toBeVisible();
    // Labels are offsets, never record numbers.
    const cells = page.getByTestId('replica-orders-0-broker-2').locator('.cell');
    const n = await cells.count();
    expect(n).toBeGreaterThan(10);
    for (const i of [0, Math.floor(n / 2), n - 1]) {
      const text = (await cells.nth(i).textContent())!.trim();
      if (text !== '') expect(text).toBe(await cells.nth(i).getAttribute('data-offset'));
    }
    // No label printed over another: each replica's HW and LEO labels, and the partition header's parts.
    const overlap = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const b of ['broker-1', 'broker-2', 'broker-3']) {
      const hw = await page.getByTestId(`replica-orders-0-${b}-hw`).locator('span').boundingBox();
      const leo = await page.getByTestId(`replica-orders-0-${b}-leo`).locator('span').boundingBox().catch(() => null);
      if (hw && leo) expect(overlap(hw, leo)).toBe(false);
    }
    const head = await page.getByTestId('partition-orders-0').locator('.partition-head > *').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }));
    for (let i = 0; i < head.length; i++) for (let j = i + 1; j < head.length; j++) expect(overlap(head[i], head[j])).toBe(false);
    await shot(page, 'item3-log-at-crash-1280');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await expect(page.getByTestId('replica-orders-0-broker-2-leo')).toBeInViewport();
    await expect(page.locator('.cell').filter({ hasText: /^\d+$/ }).first()).toBeVisible();
    await shot(page, 'item3-log-at-crash-1920');
  });
});

test.describe('item 4: readable from the back of the room', () => {
  test('16 px base text, large mode scales text and the cluster diagram, the lesson is not cut', async ({ page }) => {
    await page.goto('/?scenario=leader-failover&step=2000');
    await ready(page);
    const px = (sel: string) => page.locator(sel).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(await px('[data-testid="app"]')).toBeGreaterThanOrEqual(16);
    expect(await px('.event-log li span:last-child')).toBeGreaterThanOrEqual(14);
    const lesson = page.getByTestId('lesson');
    expect(await lesson.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    const brokerBox = async () => (await page.getByTestId('node-broker-1').locator('rect').boundingBox())!.width;
    const labelBefore = await px('.node text.node-label');
    const before = await brokerBox();
    await page.getByTestId('large-fonts').click();
    expect(await px('[data-testid="app"]')).toBeGreaterThanOrEqual(20);
    expect(await px('.node text.node-label')).toBeGreaterThan(labelBefore);
    expect(await brokerBox()).toBeGreaterThan(before);
    await expect(page.getByTestId('partition-orders-0')).toBeInViewport();
    // Nothing in the transport is cut off at 1280 px.
    expect(await page.getByTestId('transport').evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    await shot(page, 'item4-large-1280');
  });

  test('a 1920 px screen shows the partitions and a second panel together', async ({ page }) => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto('/?scenario=leader-failover&step=2600');
    await ready(page);
    await expect(page.getByTestId('partition-orders-0')).toBeInViewport();
    await expect(page.getByTestId('groups')).toBeInViewport();
    const right = (await page.locator('.right').boundingBox())!;
    expect(right.width).toBeGreaterThan(1100);
    await shot(page, 'item4-wide-1920');
  });
});

test.describe('item 5: story steps', () => {
  test('jumps to a session expiry, a truncation and a zombie controller rejected', async ({ page }) => {
    for (const [name, kind] of [['leader-failover', 'expiry'], ['kip101-legacy-truncation', 'truncation'], ['controller-failover-zombie', 'rejection']] as const) {
      const mark = nodeSession(name).summary.marks.find((m) => m.kind === kind)!;
      expect(mark).toBeDefined();
      await page.goto(`/?scenario=${name}`);
      await ready(page);
      await page.getByTestId(`next-${kind}`).click();
      await expect(page.getByTestId('step')).toHaveText(String(mark.step));
      await shot(page, `item5-jump-${kind}`);
    }
  });

  test('arrows step from one event-log line to the next', async ({ page }) => {
    const { summary } = nodeRun('leader-failover');
    const from = summary.notableSteps[20];
    await page.goto(`/?scenario=leader-failover&step=${from}`);
    await ready(page);
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('step')).toHaveText(String(summary.notableSteps[21]));
    expect(summary.notableSteps[21] - from).toBeGreaterThan(1);
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('step')).toHaveText(String(from));
  });

  test('a countdown runs for the dead leader\'s session', async ({ page }) => {
    const node = nodeRun('leader-failover');
    const crash = node.summary.marks.find((m) => m.label === 'broker-1 CRASHED')!;
    const later = node.summary.marks.find((m) => m.kind === 'expiry')!;
    const mid = Math.floor((crash.step + later.step) / 2);
    const expected = node.view(mid).countdowns.find((c) => c.kind === 'session')!;
    expect(expected.subject).toBe('broker-1');
    await page.goto(`/?scenario=leader-failover&step=${mid}`);
    await ready(page);
    const countdown = page.getByTestId('countdown-session');
    await expect(countdown).toContainText('broker-1');
    await expect(countdown).toHaveAttribute('data-deadline', String(expected.deadline));
    await shot(page, 'item5-countdown');
  });

  test('narrated mode pauses at each key moment of the scenario with its caption', async ({ page }) => {
    const { summary } = nodeRun('leader-failover');
    expect(summary.story.length).toBeGreaterThan(2);
    await page.goto('/?scenario=leader-failover');
    await ready(page);
    await page.getByTestId('speed').selectOption('5');
    await page.keyboard.press('n');
    for (const [i, moment] of summary.story.slice(0, 3).entries()) {
      await expect(page.getByTestId('step')).toHaveText(String(moment.step), { timeout: 30_000 });
      await expect(page.getByTestId('app')).toHaveAttribute('data-playing', 'false');
      await expect(page.getByTestId('story-caption')).toContainText(moment.caption.slice(0, 30));
      if (i === 1) await shot(page, 'item5-narrated');
      await page.getByTestId('story-continue').click();
    }
  });
});

test.describe('item 6: the group table and the throughput chart', () => {
  test('a processed column, assignments revoked during a rebalance, and the ack gap', async ({ page }) => {
    const node = nodeRun('rebalance-storm');
    const started = node.summary.marks.find((m) => m.kind === 'rebalance' && /rebalancing \(gen [1-9]/.test(m.label))!;
    await page.goto(`/?scenario=rebalance-storm&step=${started.step}&by=step`);
    await ready(page);
    await page.getByTestId('tab-groups').click();
    const view = node.view(started.step);
    const group = view.groups[0];
    expect(group.state).toBe('rebalancing');
    await expect(page.getByTestId(`group-${group.group}-revoked`)).toBeVisible();
    await shot(page, 'item6-rebalance-revoked');
    await page.getByTestId('next-rebalance').click();
    await page.getByTestId('next-rebalance').click();
    await expect(page.locator('[data-testid^="processed-"]').filter({ hasText: /^\d+$/ }).first()).toBeVisible();
    await expect(page.getByTestId('throughput-chart')).toBeVisible();
    const gap = node.summary.throughput.longestGap!;
    await expect(page.getByTestId('ack-gap')).toHaveText(`${gap.to - gap.from} ms`);
  });
});

test.describe('item 7: compare', () => {
  test('names and outlines the records whose fate differs, and the URL keeps the time', async ({ page }) => {
    await page.goto('/?scenario=leader-failover&compare=acks=1|acks=all');
    await ready(page);
    await expect(page.getByTestId('compare-diff-count')).not.toHaveText('0');
    await expect(page.getByTestId('compare-diff')).toContainText('lost with acks=1, ok with acks=all');
    await page.getByTestId('next-loss').click();
    await expect(page.locator('[data-testid="compare-left"] .cell[data-differs="true"]').first()).toBeVisible();
    const time = await page.getByTestId('time').textContent();
    await expect.poll(() => new URL(page.url()).searchParams.get('t')).not.toBeNull();
    await shot(page, 'item7-compare-diff');
    await page.goto(page.url());
    await ready(page);
    await expect(page.getByTestId('time')).toHaveText(time!);
  });
});

test.describe('item 8: offline leader, glossary, predict then reveal', () => {
  test('the glossary and hover help explain LEO, HW, epoch, ISR, gen, zxid and session', async ({ page }) => {
    await page.goto('/?scenario=leader-failover&step=2600');
    await ready(page);
    await expect(page.getByTestId('replica-orders-0-broker-2-leo')).toHaveAttribute('title', /Log end offset/);
    await expect(page.locator('.partition-head span[title^="epoch"]').first()).toHaveAttribute('title', /Leader epoch/);
    await page.getByTestId('tab-coordinator').click();
    await expect(page.getByTestId('help-zxid')).toHaveAttribute('title', /ZooKeeper transaction id/);
    await expect(page.getByTestId('help-session')).toHaveAttribute('title', /session/);
    await page.getByTestId('tab-glossary').click();
    for (const term of ['LEO', 'HW', 'epoch', 'ISR', 'gen', 'zxid', 'session']) await expect(page.getByTestId(`glossary-${term}`)).toBeVisible();
    await shot(page, 'item8-glossary');
  });

  test('predict mode hides "will be lost" until the loss, then reveals it', async ({ page }) => {
    const node = nodeSession('leader-failover');
    const crash = node.summary.marks.find((m) => m.label === 'broker-1 CRASHED')!;
    const loss = node.summary.marks.find((m) => m.kind === 'loss')!;
    await page.goto(`/?scenario=leader-failover&step=${crash.step}`);
    await ready(page);
    await expect(page.locator('.cell[data-lost="true"]').first()).toBeVisible();
    await page.getByTestId('predict-toggle').check();
    await expect(page.locator('.cell[data-lost="true"]')).toHaveCount(0);
    await expect.poll(() => new URL(page.url()).searchParams.get('predict')).toBe('1');
    await shot(page, 'item8-predict');
    await page.getByTestId('next-loss').click();
    await expect(page.getByTestId('step')).toHaveText(String(loss.step));
    await expect(page.locator('.cell[data-lost="true"]').first()).toBeVisible();
    await shot(page, 'item8-reveal');
  });
});

test.describe('item 9: the hash, the favicon, the port', () => {
  test('the hash says exactly what it matches; no request 404s', async ({ page }) => {
    const missing: string[] = [];
    page.on('response', (r) => { if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`); });
    await page.goto('/?scenario=leader-failover');
    await ready(page);
    await expect(page.getByTestId('trace-hash-box')).toHaveAttribute('title', /with or without --trace/);
    await expect(page.getByTestId('trace-hash')).toHaveText(JSON.parse(readFileSync(join(here, '../../../scenarios/golden-hashes.json'), 'utf8'))['leader-failover']);
    await page.waitForTimeout(500);
    expect(missing).toEqual([]);
    expect(await page.locator('link[rel="icon"]').count()).toBe(1);
  });

  const start = (port: number) => spawnSync(process.execPath, [join(here, '../scripts/start.mjs')], { env: { ...process.env, PORT: String(port) }, encoding: 'utf8', timeout: 30_000 });

  test('npm start where the visualizer already runs says where, in one line', () => {
    // The suite's preview server holds its port (4173 unless E2E_PORT says otherwise).
    const port = Number(process.env.E2E_PORT ?? 4173);
    const r = start(port);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([`kafkasim visualizer: already running at http://127.0.0.1:${port}/ (for a second one: PORT=${port + 1} npm start)`]);
  });

  test('npm start on a port another program holds says so in one line and names PORT', async () => {
    const other = createServer((_req, res) => res.end('not the visualizer'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [join(here, '../scripts/start.mjs')], { env: { ...process.env, PORT: String(port) } });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('exit', (status) => resolve({ status, stderr }));
      });
      expect(r.status).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${port}`);
      expect(lines[0]).toContain(`PORT=${port + 1} npm start`);
    } finally {
      other.close();
    }
  });
});

test.describe('each lesson\'s key step, at 1280x720 and 1920x1080', () => {
  const names = readdirSync(join(here, '../../../scenarios')).filter((f) => f.endsWith('.json') && f !== 'schema.json' && f !== 'golden-hashes.json').map((f) => f.replace(/\.json$/, '')).sort();
  for (const name of names) {
    test(name, async ({ page }) => {
      const { summary } = nodeSession(name);
      // The scenario's own key moment when it has one, else its first loss, else its first fault.
      const key = summary.story[1]?.step ?? summary.marks.find((m) => m.kind === 'loss')?.step ?? summary.marks.find((m) => m.kind === 'fault')?.step ?? Math.floor(summary.steps / 2);
      for (const [w, h] of [[1280, 720], [1920, 1080]]) {
        await page.setViewportSize({ width: w, height: h });
        await page.goto(`/?scenario=${name}&step=${key}`);
        await ready(page);
        if (summary.story[1]) {
          // Narrated, back on the key moment (narration plays on), so the shot shows its caption.
          await page.keyboard.press('n');
          await page.getByTestId('story-1').click();
          await expect(page.getByTestId('story-caption')).toContainText(summary.story[1].caption);
        }
        await expect(page.getByTestId('step')).toHaveText(String(key));
        await shot(page, `lessons/${name}-${w}x${h}`);
      }
    });
  }
});
