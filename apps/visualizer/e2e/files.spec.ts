import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { nodeTrace, nodeTraceHash, scenarioPath } from './node';

async function ready(page: Page) {
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
}

test('a seed typed in the page gives the hash Node gives for that seed', async ({ page }) => {
  await page.goto('/?scenario=leader-failover');
  await ready(page);
  await page.getByTestId('seed-input').fill('7');
  await page.getByTestId('seed-input').press('Enter');
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('leader-failover', { seed: 7 }), { timeout: 60_000 });
  await expect.poll(() => new URL(page.url()).searchParams.get('seed')).toBe('7');
});

test('opens a local scenario file', async ({ page }) => {
  await page.goto('/?scenario=leader-failover');
  await ready(page);
  const file = scenarioPath('leader-failover-acks-all');
  await page.getByTestId('file-input').setInputFiles({ name: 'my-copy.json', mimeType: 'application/json', buffer: readFileSync(file) });
  await expect(page.getByTestId('scenario-title')).toHaveText(JSON.parse(readFileSync(file, 'utf8')).title, { timeout: 60_000 });
  await ready(page);
  await expect(page.getByTestId('trace-hash')).toHaveText(nodeTraceHash('leader-failover-acks-all'));
});

test('opens a recorded trace (kafkasim run --trace) and steps through its facts', async ({ page }) => {
  const { ndjson, hash } = nodeTrace('leader-failover');
  await page.goto('/?scenario=leader-failover');
  await ready(page);
  await page.getByTestId('file-input').setInputFiles({ name: 'failover.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(ndjson) });
  await expect(page.getByTestId('scenario-title')).toHaveText('failover.ndjson', { timeout: 60_000 });
  await ready(page);
  await expect(page.getByTestId('trace-hash')).toHaveText(hash);
  await page.getByTestId('next-loss').click();
  await expect(page.getByTestId('node-broker-1')).toHaveAttribute('data-status', 'crashed');
  await expect(page.getByTestId('partition-orders-0-leader')).not.toHaveText('broker-1');
  await page.screenshot({ path: 'test-results/10-trace-file.png' });
});

test('a scenario file with a typo says where, as the CLI does', async ({ page }) => {
  await page.goto('/?scenario=leader-failover');
  await ready(page);
  const file = scenarioPath('malformed/typo-in-producer-config');
  await page.getByTestId('file-input').setInputFiles({ name: 'typo.json', mimeType: 'application/json', buffer: readFileSync(file) });
  await expect(page.getByTestId('error')).toContainText('did you mean "acks"?', { timeout: 60_000 });
});

test('the timeline zooms and scrubs', async ({ page }) => {
  await page.goto('/?scenario=leader-failover');
  await ready(page);
  const ticks = () => page.getByTestId('timeline-svg').locator('.tl-axis .tick text').allTextContents();
  const before = await ticks();
  await page.getByTestId('zoom-in').click();
  await page.getByTestId('zoom-in').click();
  await expect.poll(ticks).not.toEqual(before);
  await page.getByTestId('zoom-reset').click();
  await expect.poll(ticks).toEqual(before);
  const box = (await page.getByTestId('timeline-svg').boundingBox())!;
  await page.mouse.click(box.x + box.width / 2, box.y + 20);
  await expect.poll(async () => Number(await page.getByTestId('time').textContent())).toBeGreaterThan(3);
});
