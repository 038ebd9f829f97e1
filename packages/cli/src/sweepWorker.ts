// A sweep worker thread: runs the seeds the main thread hands it, one at a time, and reports
// each outcome as it finishes; a null seed means there are no more. A seed whose model throws
// is reported as an error (name and message, as plain data) so that the main thread can stop
// the sweep with one line instead of a worker's stack trace.
import { parentPort, workerData } from 'node:worker_threads';
import { sweepSeed, type Scenario, type SeedOutcome, type SweepOptions } from '@kafkasim/kafka';

export type WorkerReply = { type: 'outcome'; outcome: SeedOutcome } | { type: 'error'; seed: number; message: string };

const { scenario, options } = workerData as { scenario: Scenario; options: SweepOptions };
parentPort!.on('message', (seed: number | null) => {
  if (seed === null) return parentPort!.close();
  let reply: WorkerReply;
  try {
    reply = { type: 'outcome', outcome: sweepSeed(scenario, seed, options) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    reply = { type: 'error', seed, message: `${e.name}: ${e.message}` };
  }
  parentPort!.postMessage(reply);
});
