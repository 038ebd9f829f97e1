/**
 * The delivery report's numbers as a class reads them: a name, what it counts, and the value in a
 * report. One table, so that the delivery panel, the compare panes and the glossary say the same.
 */
import type { LessonMetric, MetricKey, ReportView, Summary } from '../core/view';

export interface MetricInfo {
  key: MetricKey;
  label: string;
  /** One sentence: what is counted, and where it comes from. */
  meaning: string;
  /** Bad when above zero (lost, duplicates...); neutral for a duration. */
  badAboveZero: boolean;
}

export const metricInfo: Record<MetricKey, MetricInfo> = {
  lost: { key: 'lost', label: 'lost', badAboveZero: true, meaning: 'acknowledged to the producer, then gone from the partition\'s log for good' },
  duplicated: {
    key: 'duplicated', label: 'duplicated', badAboveZero: true,
    meaning: 'log duplicates (the same record written twice into a partition: a producer retry) plus records a group processed twice (redelivered after a crash or rebalance)',
  },
  outputDuplicates: {
    key: 'outputDuplicates', label: 'output duplicates', badAboveZero: true,
    meaning: 'input records whose output appears more than once among the committed records of the output topic: what a read_committed reader downstream sees. Processing an input twice is harmless when the first output was aborted',
  },
  unprocessed: { key: 'unprocessed', label: 'unprocessed', badAboveZero: true, meaning: 'acknowledged records, still in the log, that a consuming group never finished processing (at-most-once loses work this way)' },
  reordered: { key: 'reordered', label: 'reordered', badAboveZero: true, meaning: 'records of one key stored in an order other than the order they were sent' },
  longestAckGapMs: { key: 'longestAckGapMs', label: 'longest ack gap', badAboveZero: false, meaning: 'the longest time without any acknowledgement: how long producers saw the cluster unavailable' },
};

export function metricValue(key: MetricKey, r: ReportView | Summary): number | null {
  switch (key) {
    case 'lost': return r.lost;
    case 'duplicated': return r.duplicated;
    case 'reordered': return r.reordered;
    case 'unprocessed': return r.unprocessed;
    case 'outputDuplicates': return r.outputDuplicates;
    case 'longestAckGapMs': return 'longestAckGapMs' in r ? r.longestAckGapMs : null;
  }
}

export const formatExpected = (m: LessonMetric): string =>
  Array.isArray(m.expected) ? `${m.expected[0]}–${m.expected[1]}` : String(m.expected);

export const formatMetric = (key: MetricKey, value: number): string => (key === 'longestAckGapMs' ? `${value} ms` : String(value));

/** Whether a value is within what the scenario expects. */
export const meetsExpectation = (m: LessonMetric, value: number): boolean =>
  Array.isArray(m.expected) ? value >= m.expected[0] && value <= m.expected[1] : value === m.expected;
