/**
 * The sweep worker's code as one bundle, built once per process with esbuild (a dependency of
 * the CLI, the same one tsx, its way of running TypeScript, uses). Without it every worker
 * thread registers tsx and loads each of the model's ~150 TypeScript modules through tsx's
 * loader hooks, ~0.8 s per worker before its first seed (a tenth of a 24-seed sweep on 2
 * workers). The bundle is the same sources transformed by the same esbuild, so a seed's outcome
 * does not depend on which path started the worker. Where esbuild cannot be loaded the workers
 * fall back to tsx (null).
 */
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('./sweepWorker.ts', import.meta.url));

let built: Promise<string | null> | undefined;

/** CommonJS source for `new Worker(source, { eval: true })`, or null when it cannot be built here. */
export function sweepWorkerSource(): Promise<string | null> {
  built ??= bundle();
  return built;
}

async function bundle(): Promise<string | null> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  try {
    const result = await esbuild.build({
      entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent',
    });
    return result.outputFiles[0].text;
  } catch {
    // The tsx path reports whatever broke the build from inside the worker, as it always has.
    return null;
  }
}
