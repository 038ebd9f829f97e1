/**
 * Limits over the whole scenario that no single field shows: how many records the producers
 * write in all, how many partitions the cluster hosts, and the two together (see limits.ts).
 */
import { defaultBrokerConfig } from '../config';
import type { ScenarioIssue } from './errors';
import { MAX_PARTITIONS_IN_ALL, MAX_RECORD_PARTITIONS, MAX_RECORDS_PER_RUN } from './limits';
import type { Scenario } from './schema';

/** Records a producer sends: one every 1000/ratePerSec ms from startAtMs, until count, stopAtMs or the end of the run. */
export function recordsOf(p: Scenario['workload']['producers'][number], durationMs: number): number {
  const endMs = Math.min(p.stopAtMs ?? durationMs, durationMs);
  const byRate = Math.max(0, Math.ceil(((endMs - p.startAtMs) * p.ratePerSec) / 1000));
  return p.count === undefined ? byRate : Math.min(p.count, byRate);
}

export function checkRunSize(s: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const records = s.workload.producers.reduce((sum, p) => sum + recordsOf(p, s.durationMs), 0);
  if (records > MAX_RECORDS_PER_RUN) {
    issues.push({
      path: 'workload.producers',
      message: `would send ${records} records in all; at most ${MAX_RECORDS_PER_RUN} per run (kafkasim simulates every record): lower ratePerSec or count, or stop sooner`,
    });
  }
  const broker = { ...defaultBrokerConfig, ...s.cluster.brokerConfig };
  const internal = broker['offsets.topic.num.partitions'] + (s.cluster.transactions ? broker['transaction.state.log.num.partitions'] : 0);
  const partitions = s.cluster.topics.reduce((sum, t) => sum + t.partitions, internal);
  if (records <= MAX_RECORDS_PER_RUN && partitions <= MAX_PARTITIONS_IN_ALL && records * partitions > MAX_RECORD_PARTITIONS) {
    issues.push({
      path: 'workload.producers',
      message: `would send ${records} records into a cluster of ${partitions} partitions (with the internal topics): ${records} x ${partitions} = ${records * partitions}, at most ${MAX_RECORD_PARTITIONS} (every fetch goes over each partition a broker hosts, so the cost grows with both): fewer records or partitions`,
    });
  }
  if (partitions > MAX_PARTITIONS_IN_ALL) {
    issues.push({
      path: 'cluster.topics',
      message: `${partitions} partitions in all (with ${internal} of __consumer_offsets${s.cluster.transactions ? ' and __transaction_state' : ''}); at most ${MAX_PARTITIONS_IN_ALL} per cluster (kafkasim simulates every partition's replication)`,
    });
  }
  return issues;
}
