/**
 * Finds a Chromium for the browser tests, installing one where none is found and installing is
 * possible. Prints one line for each thing it does; returns the path, or one line saying why not.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { describeFailure, findChromium, installPlan, type ChromiumLookup } from './findChromium';

const playwrightChromium = (): string | null => {
  try {
    return chromium.executablePath();
  } catch {
    return null;
  }
};

const lookHere = (): ChromiumLookup =>
  findChromium({ env: process.env, platform: process.platform, exists: existsSync, playwrightChromium });

const hasAptGet = (): boolean => spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;

export type EnsuredChromium = { ok: true; path: string } | { ok: false; reason: string };

export function ensureChromium(say: (line: string) => void = console.log): EnsuredChromium {
  let lookup = lookHere();
  if (lookup.kind === 'found') return { ok: true, path: lookup.path };
  if (lookup.kind === 'missing-explicit') return { ok: false, reason: describeFailure(lookup) };
  const isRoot = process.getuid?.() === 0;
  for (const step of installPlan(process.platform, isRoot, process.platform === 'linux' && hasAptGet())) {
    say(`browser tests: no Chromium found; installing ${step.label}`);
    const installed = spawnSync(step.command, step.args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    lookup = lookHere();
    if (lookup.kind === 'found') {
      say(`browser tests: using ${lookup.path}`);
      return { ok: true, path: lookup.path };
    }
    const firstError = (installed.stderr ?? '').split('\n').find((line) => line.trim())?.trim();
    say(installed.status === 0
      ? 'browser tests: that finished, but no Chromium is in the places looked'
      : `browser tests: that did not work (${firstError ?? `exit ${installed.status}`})`);
  }
  return { ok: false, reason: describeFailure(lookup) };
}
