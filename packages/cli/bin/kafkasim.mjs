#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that no build step stands between a clone and a run.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { register } from 'tsx/esm/api';

// `kafkasim run ... | head`: once the reader has gone, the rest of the output has nowhere to go;
// stop quietly instead of dying on an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
// A sweep with a worker on every core runs in a node started with --single-threaded-gc (see sweepGc.ts).
const { needsSingleThreadedGc, SINGLE_THREADED_GC } = await import('../src/sweepGc.ts');
if (needsSingleThreadedGc(process.argv.slice(2), process.execArgv, availableParallelism())) {
  const child = spawnSync(process.execPath, [...process.execArgv, SINGLE_THREADED_GC, ...process.argv.slice(1)], { stdio: 'inherit' });
  if (child.signal) process.kill(process.pid, child.signal);
  process.exit(child.status ?? 1);
}
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
