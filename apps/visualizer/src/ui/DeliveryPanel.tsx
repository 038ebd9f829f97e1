/**
 * What became of the records: the numbers the lesson is about first (from the scenario's
 * `expect`), every other number of the delivery report after them, each with what it counts;
 * then lost, duplicated, reordered and unprocessed records, each with its cause chain (a cause
 * jumps to its step).
 */
import { useState } from 'react';
import type { MetricKey, RecordIssueView, ReportView } from '../core/view';
import { formatExpected, formatMetric, meetsExpectation, metricInfo, metricValue } from './metrics';

type Filter = 'lost' | 'duplicated' | 'reordered' | 'unprocessed' | 'all';

const allMetrics: MetricKey[] = ['lost', 'duplicated', 'outputDuplicates', 'unprocessed', 'reordered', 'longestAckGapMs'];
const filterOf: Partial<Record<MetricKey, Filter>> = { lost: 'lost', duplicated: 'duplicated', reordered: 'reordered', unprocessed: 'unprocessed' };

const matches = (r: RecordIssueView, f: Filter) =>
  f === 'all' || (f === 'lost' ? r.lost : f === 'duplicated' ? r.duplicated : f === 'reordered' ? r.reordered : r.unprocessedBy.length > 0);

export function DeliveryPanel({ report, onJump }: { report: ReportView | null; onJump(step: number): void }) {
  const [filter, setFilter] = useState<Filter>('all');
  if (!report) return <div className="empty">Computing the delivery report…</div>;
  const records = report.records.filter((r) => matches(r, filter));
  const lessonKeys = report.lessonMetrics.map((m) => m.key);
  const order = [...lessonKeys, ...allMetrics.filter((k) => !lessonKeys.includes(k))];
  const nothing = report.lost + report.duplicated + report.reordered + report.unprocessed + report.outputDuplicates === 0;
  return (
    <div className="delivery" data-testid="delivery-report">
      <div className="counts">
        <span>produced <b>{report.produced}</b></span>
        <span>acknowledged <b>{report.acknowledged}</b></span>
        {report.failed > 0 && <span>failed <b>{report.failed}</b></span>}
      </div>
      <div className="metrics" data-testid="metrics">
        {order.map((key) => {
          const info = metricInfo[key];
          const value = metricValue(key, report) ?? 0;
          const lesson = report.lessonMetrics.find((m) => m.key === key);
          const f = filterOf[key];
          const bad = info.badAboveZero && value > 0;
          return (
            <button
              key={key}
              className={`metric${lesson ? ' lesson-metric' : ''}${bad ? ' bad' : ''}${f && filter === f ? ' on' : ''}`}
              onClick={f ? () => setFilter(filter === f ? 'all' : f) : undefined}
              title={`${info.label}: ${info.meaning}${f ? '. Click to list these records.' : ''}`}
              data-testid={`metric-${key}`}
              data-lesson={lesson ? 'true' : undefined}
            >
              <span className="metric-label">{info.label}</span>
              <b className="metric-value" data-testid={key === 'lost' ? 'lost-count' : key === 'duplicated' ? 'duplicated-count' : key === 'reordered' ? 'reordered-count' : `${key}-count`}>{formatMetric(key, value)}</b>
              {key === 'duplicated' && value > 0 && <span className="metric-split">{report.duplicatedInLog} in a log · {report.duplicatedProcessing} processed twice</span>}
              {key === 'outputDuplicates' && (report.outputAborted > 0 || report.outputMissing > 0) && (
                <span className="metric-split">{report.outputAborted} aborted{report.outputMissing > 0 ? ` · ${report.outputMissing} missing` : ''}</span>
              )}
              {lesson && (
                <span className={`metric-expect${meetsExpectation(lesson, value) ? '' : ' off'}`}>this lesson: expected {formatExpected(lesson)}</span>
              )}
            </button>
          );
        })}
      </div>
      {(report.duplicated > 0 || report.outputDuplicates > 0 || lessonKeys.includes('outputDuplicates')) && (
        <p className="explain" data-testid="duplicates-explained">
          <b>Log duplicates vs output duplicates.</b> A <i>log duplicate</i> is one record stored twice in a partition (a producer
          retry without idempotence). <i>Processed twice</i> means a group handled one input twice (it was redelivered after a crash or
          rebalance). <i>Output duplicates</i> count what a downstream read_committed reader sees: an input whose output record is
          committed more than once. With exactly-once, an input may be processed twice while its first output is aborted, so the
          output has no duplicate.
        </p>
      )}
      {report.violations.length > 0 && (
        <ul className="violations" data-testid="violations">
          {report.violations.map((v, i) => (
            // Every invariant the checker knows (leader-in-isr, weak-isr, strong-isr...), each at the step it broke.
            <li key={i}><button className="linklike" onClick={() => onJump(v.step)} title={`jump to step ${v.step}`}>{v.invariant}</button> <span className="muted">step {v.step}</span> {v.message}</li>
          ))}
        </ul>
      )}
      {nothing && <div className="empty">Nothing lost, duplicated, reordered or left unprocessed.</div>}
      {!nothing && records.length === 0 && <div className="empty">No record of this kind.</div>}
      <ul className="records">
        {records.map((r) => (
          <li key={r.id} data-testid={`record-${r.id}`}>
            <div className="record-head">
              <b>{r.id}</b> {r.key !== null && <span className="muted">key {r.key}</span>} <span className="muted">{r.tp}{r.offset !== null ? `@${r.offset}` : ''} acks={r.acks ?? '?'}</span>
              {r.lost && <span className="tag tag-out">lost</span>}
              {r.duplicatedInLog && <span className="tag">duplicated in the log</span>}
              {r.duplicatedProcessing && <span className="tag">processed twice</span>}
              {r.reordered && <span className="tag">reordered</span>}
              {r.unprocessedBy.length > 0 && <span className="tag tag-out">unprocessed by {r.unprocessedBy.join(', ')}</span>}
            </div>
            <ol className="causes">
              {r.causes.map((c, i) => (
                <li key={i}>
                  {c.step >= 0 ? (
                    <button className="linklike" onClick={() => onJump(c.step)} data-testid="cause-link" title={`jump to step ${c.step}`}>
                      {c.time} ms
                    </button>
                  ) : <span className="muted">—</span>}{' '}
                  {c.text}
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ul>
      {report.truncated > 0 && <div className="muted">…and {report.truncated} more</div>}
    </div>
  );
}
