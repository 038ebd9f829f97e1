/**
 * Benchmark record (no threshold asserted): frame times while the failover scenario plays at
 * 1280x720, measured in the page with requestAnimationFrame timestamps and, where Chromium has
 * it, the Long Animation Frames API. Written to test-results/frame-times.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';

interface Sample { frames: number[]; longFrames: number[]; workerMs: number[]; plays: number; wallMs: number }

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(2));
};

test('frame times while playing the failover scenario', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/?scenario=leader-failover');
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true', { timeout: 60_000 });
  const results: Record<string, unknown> = {};
  for (const speed of [1, 100]) {
    await page.getByTestId('speed').selectOption(String(speed));
    await page.getByTestId('timeline-svg').click({ position: { x: 80, y: 10 } });
    const sample: Sample = await page.evaluate(async (minWallMs) => {
      const app = document.querySelector('[data-testid="app"]') as HTMLElement;
      const press = (key: string) => window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      const frames: number[] = [];
      const longFrames: number[] = [];
      const workerMs: number[] = [];
      let observer: PerformanceObserver | null = null;
      try {
        observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longFrames.push(e.duration)));
        observer.observe({ type: 'long-animation-frame', buffered: false } as PerformanceObserverInit);
      } catch {
        observer = null;
      }
      const started = performance.now();
      let plays = 0;
      let last = 0;
      await new Promise<void>((resolve) => {
        const tick = (t: number) => {
          if (last) frames.push(t - last);
          last = t;
          workerMs.push(Number(app.dataset.workerMs ?? 0));
          const playing = app.dataset.playing === 'true';
          const elapsed = t - started;
          if (!playing) {
            // Play through once at least, and again from the start until enough wall time has passed.
            if (plays > 0 && elapsed >= minWallMs) return resolve();
            if (plays > 0) press('Home');
            press(' ');
            plays += 1;
          }
          if (elapsed > 60_000) return resolve();
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
      observer?.disconnect();
      return { frames, longFrames, workerMs, plays, wallMs: performance.now() - started };
    }, 5000);
    results[`${speed}x`] = {
      speed,
      plays: sample.plays,
      wallMs: Math.round(sample.wallMs),
      frames: sample.frames.length,
      frameMs: { p50: percentile(sample.frames, 50), p95: percentile(sample.frames, 95), p99: percentile(sample.frames, 99), max: percentile(sample.frames, 100) },
      longAnimationFrames: sample.longFrames.length,
      longAnimationFrameMsP95: percentile(sample.longFrames, 95),
      workerViewMs: { p50: percentile(sample.workerMs, 50), p95: percentile(sample.workerMs, 95) },
    };
    expect(sample.frames.length).toBeGreaterThan(10);
  }
  // Scrubbing: jump to 20 places on the timeline; how long until the page shows the new step.
  const box = (await page.getByTestId('timeline-svg').boundingBox())!;
  const scrub: { wallMs: number; workerMs: number }[] = [];
  for (let i = 0; i < 20; i++) {
    const before = await page.getByTestId('step').textContent();
    const x = box.x + 80 + ((i * 7919) % 20) / 20 * (box.width - 180);
    const started = Date.now();
    await page.mouse.click(x, box.y + 20);
    await expect.poll(() => page.getByTestId('step').textContent(), { intervals: [5] }).not.toBe(before);
    scrub.push({ wallMs: Date.now() - started, workerMs: Number(await page.getByTestId('app').getAttribute('data-worker-ms')) });
  }
  results.scrub = {
    jumps: scrub.length,
    wallMs: { p50: percentile(scrub.map((x) => x.wallMs), 50), p95: percentile(scrub.map((x) => x.wallMs), 95) },
    workerViewMs: { p50: percentile(scrub.map((x) => x.workerMs), 50), p95: percentile(scrub.map((x) => x.workerMs), 95) },
    note: 'wall time includes Playwright\'s own click and polling overhead',
  };
  const record = {
    scenario: 'leader-failover',
    viewport: '1280x720',
    browser: `Debian Chromium ${page.context().browser()?.version() ?? ''}`,
    note: 'frame time = interval between requestAnimationFrame callbacks while playing; "full speed" is the top speed setting (100x), replayed from the start until 5 s have passed',
    fullSpeedP95Ms: (results['100x'] as { frameMs: { p95: number } }).frameMs.p95,
    realTimeP95Ms: (results['1x'] as { frameMs: { p95: number } }).frameMs.p95,
    runs: results,
  };
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/frame-times.json', `${JSON.stringify(record, null, 2)}\n`);
  console.log(`frame time p95: ${record.fullSpeedP95Ms} ms at full speed, ${record.realTimeP95Ms} ms at 1x`);
});
