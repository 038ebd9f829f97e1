/**
 * Above the partitions: page the log window older or newer, back to automatic, and predict-then-
 * reveal. Memoised apart from the page, which renders with every view while playing; nothing here
 * changes then (React writes a checkbox's attributes on every render of it, and the browser repaints it).
 */
import { memo } from 'react';

interface Props {
  automatic: boolean;
  older(): void;
  newer(): void;
  backToAutomatic(): void;
  hideLosses: boolean;
  setHideLosses(hide: boolean): void;
}

export const LogWindowControls = memo(function LogWindowControls({ automatic, older, newer, backToAutomatic, hideLosses, setHideLosses }: Props) {
  return (
    <div className="window-controls">
      <button onClick={older} data-testid="log-older">◀ older</button>
      <button onClick={newer} data-testid="log-newer">newer ▶</button>
      <button className={automatic ? 'on' : ''} onClick={backToAutomatic} data-testid="log-tail" title="Show every replica's LEO and HW, and the newest offsets when they fit">auto</button>
      <label className="predict" title="Predict, then reveal: hide which records will be lost until they are">
        <input type="checkbox" checked={hideLosses} onChange={(e) => setHideLosses(e.target.checked)} data-testid="predict-toggle" /> hide "will be lost" until it happens
      </label>
    </div>
  );
});
