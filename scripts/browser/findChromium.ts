/**
 * Which Chromium the browser tests use. Pure: the environment, the platform and the file system
 * come in as arguments, so a test can say which path is chosen in which situation.
 *
 * Order: an explicit variable (CHROMIUM_PATH, then PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH), then a
 * browser installed system-wide, then Playwright's own browser cache. An explicit variable that
 * names a missing file is an error, not a reason to look elsewhere: the user asked for that one.
 */
import { win32 } from 'node:path';

export const explicitVariables = ['CHROMIUM_PATH', 'PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH'] as const;

export interface LookupEnvironment {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  exists: (path: string) => boolean;
  /** Where Playwright's own Chromium is (or would be) for the installed Playwright; null if unknown. */
  playwrightChromium: () => string | null;
}

export type ChromiumLookup =
  | { kind: 'found'; path: string; source: string }
  | { kind: 'missing-explicit'; variable: string; path: string }
  | { kind: 'none'; tried: string[] };

export function systemChromiumCandidates(platform: NodeJS.Platform, env: Record<string, string | undefined>): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    ];
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((root): root is string => Boolean(root));
    return roots.flatMap((root) => [win32.join(root, 'Chromium', 'Application', 'chrome.exe'), win32.join(root, 'Google', 'Chrome', 'Application', 'chrome.exe')]);
  }
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
}

export function findChromium(lookup: LookupEnvironment): ChromiumLookup {
  for (const variable of explicitVariables) {
    const path = lookup.env[variable];
    if (!path) continue;
    return lookup.exists(path) ? { kind: 'found', path, source: variable } : { kind: 'missing-explicit', variable, path };
  }
  const tried: string[] = [];
  for (const path of systemChromiumCandidates(lookup.platform, lookup.env)) {
    tried.push(path);
    if (lookup.exists(path)) return { kind: 'found', path, source: 'system' };
  }
  const cached = lookup.playwrightChromium();
  if (cached) {
    tried.push(cached);
    if (lookup.exists(cached)) return { kind: 'found', path: cached, source: "Playwright's browser cache" };
  }
  return { kind: 'none', tried };
}

export type InstallStep = { label: string; command: string; args: string[] };

/**
 * What to try when no Chromium is found: Playwright's own download first (works on macOS, Windows
 * and most Linux machines with internet access), then Debian's package where we are root and apt
 * exists (machines that reach only the distribution's mirrors).
 */
export function installPlan(platform: NodeJS.Platform, isRoot: boolean, hasAptGet: boolean): InstallStep[] {
  const steps: InstallStep[] = [
    { label: "Playwright's Chromium (npx playwright install chromium)", command: 'npx', args: ['playwright', 'install', 'chromium'] },
  ];
  if (platform === 'linux' && isRoot && hasAptGet) {
    steps.push({
      label: "Debian's chromium package (apt-get install chromium)",
      command: 'sh',
      args: ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'],
    });
  }
  return steps;
}

export const howToInstall =
  'install one (Debian/Ubuntu: apt-get install chromium; macOS, Windows, other Linux: npx playwright install chromium) ' +
  'or set CHROMIUM_PATH to a Chromium or Chrome executable; `npm run test:unit` runs the other tests without a browser';

export function describeFailure(lookup: ChromiumLookup): string {
  if (lookup.kind === 'missing-explicit') return `${lookup.variable}=${lookup.path} does not exist: point it at a Chromium executable or unset it`;
  return `no Chromium for the browser tests (looked for ${lookup.kind === 'none' ? lookup.tried.join(', ') : lookup.path}) and none could be installed: ${howToInstall}`;
}
