/** How many worker threads a sweep runs on (commands/sweep.ts; bin/kafkasim.mjs reads the default through sweepGc.ts). */

/** The most --workers a sweep takes: each is a thread with a heap of its own. */
export const MAX_SWEEP_WORKERS = 64;

/** `kafkasim sweep`'s --workers when none is given: one a core. */
export const defaultSweepWorkers = (cores: number): number => Math.min(MAX_SWEEP_WORKERS, Math.max(1, cores));
