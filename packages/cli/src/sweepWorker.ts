// A sweep worker thread: runs the seeds it is given and reports each outcome as it finishes.
import { parentPort, workerData } from 'node:worker_threads';
import { sweepSeed, type Scenario, type SweepOptions } from '@kafkasim/kafka';

const { scenario, seeds, options } = workerData as { scenario: Scenario; seeds: number[]; options: SweepOptions };
for (const seed of seeds) parentPort!.postMessage(sweepSeed(scenario, seed, options));
