/** How the e2e suite launches Debian's Chromium (never a downloaded browser). */
import type { LaunchOptions } from '@playwright/test';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
