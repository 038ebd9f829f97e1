// Dev helper: screenshots of the preview (SIZE=1920x1080 node scripts/shot.mjs URL OUT.png [keys...]; 1280x720 by default).
import { chromium } from '@playwright/test';

const [url, out, ...actions] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const [width, height] = (process.env.SIZE ?? '1280x720').split('x').map(Number);
const page = await browser.newPage({ viewport: { width, height } });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(url);
await page.waitForSelector('[data-ready="true"]', { timeout: 60000 }).catch(() => console.log('not ready'));
for (const a of actions) {
  if (a.startsWith('click:')) await page.click(a.slice(6));
  else if (a.startsWith('wait:')) await page.waitForTimeout(Number(a.slice(5)));
  else await page.keyboard.press(a);
  await page.waitForTimeout(150);
}
await page.waitForTimeout(400);
await page.screenshot({ path: out });
await browser.close();
