/**
 * A sweep whose workers take every core leaves V8's parallel garbage-collector threads only the
 * workers' own time to run in: with them, 96 seeds on 2 workers on 2 cores took 13.7 s, and
 * 12.6-12.9 s with --single-threaded-gc (one worker on one core: no difference). A running
 * process cannot change it (v8.setFlagsFromString of a GC flag makes V8 abort), so
 * bin/kafkasim.mjs starts node again with the flag for such a sweep.
 */
import { defaultSweepWorkers } from './sweepWorkers';

export const SINGLE_THREADED_GC = '--single-threaded-gc';

/** The sweep's --workers as `kafkasim sweep` reads it (the last one given), or null. */
function workersFlag(argv: string[]): string | null {
  let value: string | null = null;
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--workers') value = argv[i + 1] ?? null;
    else if (argv[i].startsWith('--workers=')) value = argv[i].slice('--workers='.length);
  }
  return value;
}

/**
 * Whether `kafkasim ${argv}` is a sweep whose workers take every one of `cores`, in a node not
 * yet started with SINGLE_THREADED_GC (`execArgv`). A --workers value that is not a number is
 * left to the sweep command to report.
 */
export function needsSingleThreadedGc(argv: string[], execArgv: readonly string[], cores: number): boolean {
  if (argv[0] !== 'sweep' || argv[1] === 'merge' || execArgv.includes(SINGLE_THREADED_GC)) return false;
  const flag = workersFlag(argv);
  const workers = flag === null ? defaultSweepWorkers(cores) : Number(flag);
  return Number.isInteger(workers) && workers >= cores;
}
