/** What the colours and shapes mean. */
import { memo } from 'react';
import { apiCategories, type ApiCategory } from '../core/describeEntry';
import { markKinds } from '../core/view';
import { apiColours, colourFor, markColours, statusColours } from './palette';

/** Memoised: it changes with the producers and the filter, not with every view while playing. */
export const Legend = memo(function Legend({ producers, apiFilter, toggleApi }: { producers: string[]; apiFilter: Set<ApiCategory>; toggleApi(c: ApiCategory): void }) {
  return (
    <div className="legend" data-testid="legend">
      <span className="legend-group">
        {(['up', 'crashed', 'paused'] as const).map((s) => (
          <span key={s}><i className="sw" style={{ borderColor: statusColours[s], background: s === 'up' ? '#fff' : statusColours[s] }} />{s}</span>
        ))}
      </span>
      <span className="legend-group">
        {producers.map((p) => <span key={p}><i className="sw fill" style={{ background: colourFor(p) }} />{p}</span>)}
        <span><i className="sw fill lost-sw" />will be lost</span>
        <span><i className="sw fill uncommitted-sw" />above HW</span>
      </span>
      <span className="legend-group">
        {markKinds.map((k) => <span key={k}><i className="sw bar" style={{ background: markColours[k] }} />{k === 'isr' ? 'ISR' : k}</span>)}
      </span>
      <span className="legend-group api-filter" data-testid="api-filter" title="Messages shown in flight">
        {apiCategories.map((c) => (
          <label key={c} className={apiFilter.has(c) ? 'on' : ''}>
            <input type="checkbox" checked={apiFilter.has(c)} onChange={() => toggleApi(c)} data-testid={`api-${c}`} />
            <i className="sw dot" style={{ background: apiColours[c] }} />{c}
          </label>
        ))}
      </span>
    </div>
  );
});
