#!/usr/bin/env node
// Runs the TypeScript CLI through tsx so that no build step stands between a clone and a run.
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
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
