import { expect, test, type Page } from '@playwright/test';
import { nodeSession, nodeTraceHash } from './node';

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/${name}.png` });

async function ready(page: Page) {
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
}

async function stepValue(page: Page): Promise<number> {
  return Number(await page.getByTestId('step').textContent());
}

/** Clicks a transport button and waits for the step shown to change. */
async function press(page: Page, testId: string) {
  const before = await stepValue(page);
  await page.getByTestId(testId).click();
  await expect.poll(() => stepValue(page)).not.toBe(before);
}

test.describe('the failover lesson in the browser', () => {
  const node = nodeSession('leader-failover');
  const crash = node.summary.marks.find((m) => m.kind === 'fault' && m.label === 'broker-1 CRASHED')!;
  const election = node.summary.marks.find((m) => m.kind === 'election' && m.step > crash.step && /of orders-0/.test(m.label))!;
  const atElection = node.view(election.step).topics.find((p) => p.key === 'orders-0')!;
  const beforeElection = node.view(election.step - 1).topics.find((p) => p.key === 'orders-0')!;

  test('loads, shows the same trace hash as Node, and lists every scenario with its lesson', async ({ page }) => {
    await page.goto('/');
    await ready(page);
    await expect(page.getByTestId('scenario-picker')).toHaveValue('leader-failover');
    await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('leader-failover'));
    const options = await page.getByTestId('scenario-picker').locator('option').allTextContents();
    expect(options).toContain('The leader dies while acks=1');
    expect(options.length).toBeGreaterThan(5);
    await expect(page.getByTestId('lesson')).toContainText('acks=1');
    await shot(page, '01-loaded');
  });

  test('steps to the leader crash, sees the new leader and HW, and steps back to the old state', async ({ page }) => {
    await page.goto('/?scenario=engine-demo');
    await ready(page);
    await page.getByTestId('scenario-picker').selectOption('leader-failover');
    await ready(page);
    await page.getByTestId('step-unit').selectOption('step');
    await expect(page.getByTestId('trace-hash')).toHaveText(node.summary.traceHash);
    await page.getByTestId('jump-kind').selectOption('fault');
    // The first fault is the slow link; the second is the crash.
    while ((await stepValue(page)) < crash.step) await press(page, 'next-mark');
    expect(await stepValue(page)).toBe(crash.step);
    await expect(page.getByTestId('node-broker-1')).toHaveAttribute('data-status', 'crashed');
    // The controller has not elected anyone yet, but a crashed leader is never drawn as the leader.
    await expect(page.getByTestId('partition-orders-0-leader')).toHaveText('none');
    await expect(page.getByTestId('partition-orders-0-offline')).toContainText('broker-1 crashed');
    await shot(page, '02-leader-crash');

    await page.getByTestId('next-election').click();
    await expect(page.getByTestId('step')).toHaveText(String(election.step));
    await expect(page.getByTestId('partition-orders-0-leader')).toHaveText(atElection.leader!);
    expect(atElection.leader).not.toBe('broker-1');
    await expect(page.getByTestId('partition-orders-0-hw')).toHaveText(String(atElection.highWatermark ?? '–'));
    await expect(page.getByTestId('partition-orders-0-epoch')).toHaveText(String(atElection.leaderEpoch));
    await shot(page, '03-new-leader');

    await press(page, 'step-back');
    await expect(page.getByTestId('step')).toHaveText(String(election.step - 1));
    // Until the election the metadata still names the crashed broker-1; the page says there is none.
    await expect(page.getByTestId('partition-orders-0-leader')).toHaveText(beforeElection.leader === 'broker-1' ? 'none' : beforeElection.leader!);
    await expect(page.getByTestId('partition-orders-0-hw')).toHaveText(String(beforeElection.highWatermark ?? '–'));
    await expect(page.getByTestId('partition-orders-0-epoch')).toHaveText(String(beforeElection.leaderEpoch));
    await expect.poll(() => new URL(page.url()).searchParams.get('step')).toBe(String(election.step - 1));
  });

  test('keyboard: arrows step, ? shows the shortcuts', async ({ page }) => {
    await page.goto('/?scenario=leader-failover&step=100&by=step');
    await ready(page);
    await expect(page.getByTestId('step')).toHaveText('100');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('step')).toHaveText('101');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('step')).toHaveText('99');
    await page.keyboard.press('?');
    await expect(page.getByTestId('help-overlay')).toBeVisible();
    await shot(page, '04-help');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('help-overlay')).toBeHidden();
  });

  test('plays, pauses on the step it reached, steps on from there, and plays to the end', async ({ page }) => {
    await page.goto('/?scenario=leader-failover&by=step');
    await ready(page);
    await page.getByTestId('speed').selectOption('5');
    await page.getByTestId('play').click();
    await expect(page.getByTestId('app')).toHaveAttribute('data-playing', 'true');
    await expect.poll(() => stepValue(page)).toBeGreaterThan(300);
    await page.getByTestId('play').click();
    await expect(page.getByTestId('app')).toHaveAttribute('data-playing', 'false');
    // The view the clock last asked for may still arrive; then the step stays put.
    let paused = -1;
    await expect.poll(async () => {
      const before = await stepValue(page);
      await page.waitForTimeout(250);
      paused = await stepValue(page);
      return paused === before;
    }).toBe(true);
    expect(paused).toBeLessThan(node.summary.steps);
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('step')).toHaveText(String(paused + 1));
    // What is drawn after playing is what a fresh load of that step draws (messages in flight included).
    await expect.poll(() => new URL(page.url()).searchParams.get('step')).toBe(String(paused + 1));
    const drawn = await page.getByTestId('cluster-view').innerHTML();
    const fresh = await page.context().newPage();
    await fresh.goto(`/?scenario=leader-failover&by=step&step=${paused + 1}`);
    await ready(fresh);
    expect(await fresh.getByTestId('cluster-view').innerHTML()).toBe(drawn);
    await fresh.close();
    await page.getByTestId('speed').selectOption('100');
    await page.getByTestId('play').click();
    await expect(page.getByTestId('app')).toHaveAttribute('data-playing', 'false');
    await expect(page.getByTestId('step')).toHaveText(String(node.summary.steps));
  });

  test('the delivery report explains each lost record and a cause jumps to its step', async ({ page }) => {
    await page.goto('/?scenario=leader-failover');
    await ready(page);
    await page.getByTestId('tab-delivery').click();
    await expect(page.getByTestId('lost-count')).toHaveText(String(node.summary.lost));
    const cause = page.getByTestId('cause-link').first();
    await cause.click();
    await expect.poll(() => stepValue(page)).toBeGreaterThan(0);
    await shot(page, '05-delivery-report');
  });

  test('compare mode: acks=1 loses acknowledged records, acks=all none', async ({ page }) => {
    await page.goto('/?scenario=leader-failover');
    await ready(page);
    await page.getByTestId('compare-toggle').click();
    await page.getByTestId('compare-left-input').fill('acks=1');
    await page.getByTestId('compare-right-input').fill('acks=all');
    await page.getByTestId('compare-apply').click();
    await ready(page);
    await expect(page.getByTestId('compare-left-lost')).not.toHaveText('0');
    expect(Number(await page.getByTestId('compare-left-lost').textContent())).toBeGreaterThan(0);
    await expect(page.getByTestId('compare-right-lost')).toHaveText('0');
    await expect(page.getByTestId('compare-left-hash')).toHaveText(nodeTraceHash('leader-failover', { acks: '1' }));
    await expect(page.getByTestId('compare-right-hash')).toHaveText(nodeTraceHash('leader-failover', { acks: 'all' }));
    // Both sides step together by time.
    await page.getByTestId('next-election').click();
    await page.getByTestId('next-election').click();
    await page.getByTestId('next-election').click();
    await expect(page.getByTestId('time')).not.toHaveText('0.000');
    await shot(page, '06-compare');
  });

  test('a live crash forks the run; the original stays reachable', async ({ page }) => {
    await page.goto(`/?scenario=leader-failover&step=${crash.step - 200}`);
    await ready(page);
    await expect(page.getByTestId('node-broker-2')).toHaveAttribute('data-status', 'up');
    await page.getByTestId('node-broker-2').click();
    await expect(page.getByTestId('fault-menu')).toBeVisible();
    await shot(page, '07-fault-menu');
    await page.getByTestId('fault-crash').click();
    await expect(page.getByTestId('branch-select')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('step')).toHaveText(String(crash.step - 199));
    await expect(page.getByTestId('node-broker-2')).toHaveAttribute('data-status', 'crashed');
    await expect.poll(() => new URL(page.url()).searchParams.get('fork')).toBe(`crash:broker-2@${crash.step - 200}`);
    await shot(page, '08-live-crash');
    const forkedHash = await page.getByTestId('trace-hash').textContent();
    expect(forkedHash).not.toBe(node.summary.traceHash);
    // The link reproduces the branch.
    const link = page.url();
    await page.getByTestId('branch-select').selectOption('0');
    await expect(page.getByTestId('node-broker-2')).toHaveAttribute('data-status', 'up');
    await expect(page.getByTestId('trace-hash')).toHaveText(node.summary.traceHash);
    await page.goto(link);
    await expect(page.getByTestId('branch-select')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId('trace-hash')).toHaveText(forkedHash!);
  });

  test('large fonts at 1280x720 keep the panels on screen', async ({ page }) => {
    await page.goto(`/?scenario=leader-failover&step=${election.step}`);
    await ready(page);
    await page.getByTestId('large-fonts').click();
    await expect(page.getByTestId('partition-orders-0')).toBeInViewport();
    await expect(page.getByTestId('legend')).toBeInViewport();
    await shot(page, '09-large-fonts');
  });
});
