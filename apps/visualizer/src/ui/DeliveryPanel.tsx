/** Lost, duplicated and reordered records, each with its cause chain; a cause jumps to its step. */
import { useState } from 'react';
import type { ReportView } from '../core/view';

export function DeliveryPanel({ report, onJump }: { report: ReportView | null; onJump(step: number): void }) {
  const [filter, setFilter] = useState<'lost' | 'duplicated' | 'reordered' | 'all'>('all');
  if (!report) return <div className="empty">Computing the delivery report…</div>;
  const records = report.records.filter((r) => filter === 'all' || (filter === 'lost' ? r.lost : filter === 'duplicated' ? r.duplicated : r.reordered));
  return (
    <div className="delivery" data-testid="delivery-report">
      <div className="counts">
        <span>produced <b>{report.produced}</b></span>
        <span>acknowledged <b>{report.acknowledged}</b></span>
        <button className={`count lost${filter === 'lost' ? ' on' : ''}`} onClick={() => setFilter(filter === 'lost' ? 'all' : 'lost')}>
          lost <b data-testid="lost-count">{report.lost}</b>
        </button>
        <button className={`count${filter === 'duplicated' ? ' on' : ''}`} onClick={() => setFilter(filter === 'duplicated' ? 'all' : 'duplicated')}>
          duplicated <b data-testid="duplicated-count">{report.duplicated}</b>
        </button>
        <button className={`count${filter === 'reordered' ? ' on' : ''}`} onClick={() => setFilter(filter === 'reordered' ? 'all' : 'reordered')}>
          reordered <b data-testid="reordered-count">{report.reordered}</b>
        </button>
        {report.failed > 0 && <span>failed <b>{report.failed}</b></span>}
      </div>
      {report.violations.length > 0 && (
        <ul className="violations" data-testid="violations">
          {report.violations.map((v, i) => (
            // Every invariant the checker knows (leader-in-isr, weak-isr, strong-isr...), each at the step it broke.
            <li key={i}><button className="linklike" onClick={() => onJump(v.step)} title={`jump to step ${v.step}`}>{v.invariant}</button> <span className="muted">step {v.step}</span> {v.message}</li>
          ))}
        </ul>
      )}
      {records.length === 0 && <div className="empty">Nothing lost, duplicated or reordered.</div>}
      <ul className="records">
        {records.map((r) => (
          <li key={r.id} data-testid={`record-${r.id}`}>
            <div className="record-head">
              <b>{r.id}</b> {r.key !== null && <span className="muted">key {r.key}</span>} <span className="muted">{r.tp}{r.offset !== null ? `@${r.offset}` : ''} acks={r.acks ?? '?'}</span>
              {r.lost && <span className="tag tag-out">lost</span>}
              {r.duplicated && <span className="tag">duplicated</span>}
              {r.reordered && <span className="tag">reordered</span>}
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
