/**
 * End-to-end tests against the production build served by `vite preview`, in the Chromium that
 * e2e/chromium.ts resolves (see the README's set-up). Reports: list on the console, JSON for the count.
 */
import { defineConfig } from '@playwright/test';
import { launchOptions } from './e2e/chromium';

// E2E_PORT: another checkout's suite may hold 4173 on a shared machine (reuseExistingServer would test its build).
const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results/artifacts',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    viewport: { width: 1280, height: 720 },
    screenshot: 'only-on-failure',
    // e2e/frame-times.spec.ts overrides this for itself: it measures in a browser without the frame-rate cap.
    launchOptions: launchOptions(),
  },
  webServer: {
    command: `npx vite preview --port ${PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
  },
});
