import { describe, expect, it } from 'vitest';
import { describeFailure, findChromium, installPlan, type LookupEnvironment } from './findChromium';

const machine = (files: string[], env: Record<string, string> = {}, platform: NodeJS.Platform = 'linux', cache: string | null = '/home/u/.cache/ms-playwright/chromium-1/chrome'): LookupEnvironment => ({
  env,
  platform,
  exists: (path) => files.includes(path),
  playwrightChromium: () => cache,
});

describe('findChromium', () => {
  it('takes CHROMIUM_PATH before anything installed', () => {
    expect(findChromium(machine(['/opt/c/chrome', '/usr/bin/chromium'], { CHROMIUM_PATH: '/opt/c/chrome' }))).toEqual({ kind: 'found', path: '/opt/c/chrome', source: 'CHROMIUM_PATH' });
  });

  it("takes Playwright's variable when CHROMIUM_PATH is not set", () => {
    expect(findChromium(machine(['/opt/p/chrome', '/usr/bin/chromium'], { PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH: '/opt/p/chrome' }))).toMatchObject({ path: '/opt/p/chrome', source: 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH' });
  });

  it('refuses an explicit path that does not exist instead of quietly using another browser', () => {
    const lookup = findChromium(machine(['/usr/bin/chromium'], { CHROMIUM_PATH: '/nope/chrome' }));
    expect(lookup).toEqual({ kind: 'missing-explicit', variable: 'CHROMIUM_PATH', path: '/nope/chrome' });
    expect(describeFailure(lookup)).toBe('CHROMIUM_PATH=/nope/chrome does not exist: point it at a Chromium executable or unset it');
  });

  it("uses Debian's /usr/bin/chromium before Playwright's cache", () => {
    expect(findChromium(machine(['/usr/bin/chromium', '/home/u/.cache/ms-playwright/chromium-1/chrome']))).toMatchObject({ path: '/usr/bin/chromium', source: 'system' });
  });

  it('falls back to a Chrome installed system-wide, then to the Playwright cache', () => {
    expect(findChromium(machine(['/usr/bin/google-chrome']))).toMatchObject({ path: '/usr/bin/google-chrome' });
    expect(findChromium(machine(['/home/u/.cache/ms-playwright/chromium-1/chrome']))).toMatchObject({ source: "Playwright's browser cache" });
  });

  it('looks in the Applications folder on macOS and Program Files on Windows', () => {
    expect(findChromium(machine(['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'], {}, 'darwin'))).toMatchObject({ source: 'system' });
    const windows = machine(['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'], { PROGRAMFILES: 'C:\\Program Files' }, 'win32');
    expect(findChromium(windows)).toMatchObject({ path: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe' });
    expect(findChromium(machine(['/usr/bin/chromium'], {}, 'darwin'))).toMatchObject({ kind: 'none' });
  });

  it('says where it looked when there is none', () => {
    const lookup = findChromium(machine([], {}, 'linux', null));
    expect(lookup.kind).toBe('none');
    expect(describeFailure(lookup)).toMatch(/^no Chromium for the browser tests \(looked for \/usr\/bin\/chromium, .*\) and none could be installed: install one/);
  });
});

describe('installPlan', () => {
  it("tries Playwright's download, then Debian's package only as root with apt-get on Linux", () => {
    expect(installPlan('linux', true, true).map((step) => step.command)).toEqual(['npx', 'sh']);
    expect(installPlan('linux', false, true).map((step) => step.command)).toEqual(['npx']);
    expect(installPlan('linux', true, false).map((step) => step.command)).toEqual(['npx']);
    expect(installPlan('darwin', true, true).map((step) => step.command)).toEqual(['npx']);
  });
});
