/**
 * How big a scenario may be. A run is simulated event by event in one thread, so what a file
 * asks for must fit in seconds to a minute of real time and a few hundred MB: beyond these
 * limits a run would hang or exhaust memory instead of teaching anything. Each limit is stated
 * in the error that refuses it. Measured on the teaching scenarios (they take 2k-25k steps and
 * under a second): 90,000 records take ~13 s and ~240 MB; 1,000 partitions of one consumed
 * topic take ~65 s; 256 take ~3 s (with few records).
 */

/** Kafka's INT settings (timeouts, sizes, counts) are Java ints; a larger value is refused as Kafka refuses it. */
export const INT_MAX = 2147483647;

/** One hour of simulated time: an idle cluster costs little, a busy one is capped by the limits below. */
export const MAX_DURATION_MS = 3_600_000;

/** Records per second per producer. */
export const MAX_RATE_PER_SEC = 10_000;

/**
 * Records produced in all, over every producer of the run. The benchmark workload of issue #14
 * (10 simulated minutes at 1,000 records/s, `npm run bench`) sends 599,000 and must be a run
 * the CLI takes: ~2 minutes of wall time on this machine.
 */
export const MAX_RECORDS_PER_RUN = 1_000_000;

/**
 * Records in all times partitions in all: every replica fetch and produce request goes over the
 * partitions a broker hosts, so a run's cost grows with both. Measured: 8,000 records on 256
 * partitions take ~7 s, 100,000 records on 256 partitions (25.6 M) took 320 s and 1.9 GB; the
 * benchmark's 599,000 records on 15 partitions (9 M) take ~2 minutes.
 */
export const MAX_RECORD_PARTITIONS = 10_000_000;

/** Partitions of one topic, and of all topics including __consumer_offsets and __transaction_state. */
export const MAX_PARTITIONS_PER_TOPIC = 256;
export const MAX_PARTITIONS_IN_ALL = 512;

export const MAX_TOPICS = 64;
export const MAX_PRODUCERS = 100;
export const MAX_CONSUMER_GROUPS = 20;
export const MAX_CONSUMERS_PER_GROUP = 100;
export const MAX_WORKERS_PER_CONSUMER = 64;
export const MAX_FAULTS = 1000;

/**
 * Steps a scenario run may take: twice what the benchmark's 10-minute run takes (10.2 M). A run
 * within every limit above can still ask for more (a consumer polling with fetch.max.wait.ms 0
 * for an hour), and is stopped here with an error instead of running for hours.
 */
export const MAX_STEPS_PER_RUN = 20_000_000;

export const limitMessages = {
  int: `at most ${INT_MAX} (Kafka's largest INT)`,
  durationMs: `at most ${MAX_DURATION_MS} (one hour of simulated time; a longer run takes too long to simulate)`,
  ratePerSec: `at most ${MAX_RATE_PER_SEC} records per second per producer (kafkasim simulates every record)`,
  partitions: `at most ${MAX_PARTITIONS_PER_TOPIC} partitions per topic (kafkasim simulates every partition's replication)`,
  list: (n: number, what: string) => `at most ${n} ${what}`,
};
