/** Runs the CLI in-process for tests and collects what it printed. */
import { join } from 'node:path';
import { main, type Out } from '../main';

export const repoRoot = new URL('../../../../', import.meta.url).pathname;
export const scenario = (name: string) => join(repoRoot, 'scenarios', name);

export async function cli(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out: Out = { log: (t) => stdout.push(t), error: (t) => stderr.push(t) };
  const code = await main(argv, out);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}
