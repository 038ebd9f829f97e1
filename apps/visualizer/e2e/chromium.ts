/**
 * How the e2e suite launches Chromium. `npm test` finds or installs one (scripts/browser) and
 * passes it as CHROMIUM_PATH; run on its own, the suite looks the same places, installing nothing.
 */
import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';
import { chromium } from '@playwright/test';
import { describeFailure, findChromium } from '../../../scripts/browser/findChromium';

function resolveChromium(): string {
  const lookup = findChromium({ env: process.env, platform: process.platform, exists: existsSync, playwrightChromium: () => chromium.executablePath() });
  if (lookup.kind !== 'found') throw new Error(describeFailure(lookup));
  return lookup.path;
}

export const chromiumPath = resolveChromium();

export const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Without the frame-rate cap: begin frames come back to back instead of at a 60 Hz vsync, so the
 * interval between animation frames is how long the page takes to produce one. (Chromium only
 * ticks faster than 60 Hz while something on the page changes; an unchanging page still gets
 * frames at about 60 Hz.)
 */
export const uncappedArgs = ['--disable-frame-rate-limit', '--disable-gpu-vsync'];

export const launchOptions = (uncapped = false): LaunchOptions => ({
  executablePath: chromiumPath,
  args: uncapped ? [...chromiumArgs, ...uncappedArgs] : chromiumArgs,
});
