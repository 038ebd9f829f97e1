// A sweep worker thread: runs the seeds the main thread hands it, one at a time, and reports
// each outcome as it finishes; a null seed means there are no more.
import { parentPort, workerData } from 'node:worker_threads';
import { sweepSeed, type Scenario, type SweepOptions } from '@kafkasim/kafka';

const { scenario, options } = workerData as { scenario: Scenario; options: SweepOptions };
parentPort!.on('message', (seed: number | null) => {
  if (seed === null) return parentPort!.close();
  parentPort!.postMessage(sweepSeed(scenario, seed, options));
});
