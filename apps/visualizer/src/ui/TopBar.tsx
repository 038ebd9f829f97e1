/**
 * The page's top bar: scenario, seed, overrides, file, compare, colours, fonts, link, help.
 * Memoised apart from the page: nothing in it changes while playing, and the page renders with
 * every view; React writes an input's and a select's attributes on every render of them, and the
 * browser then repaints them.
 */
import { memo } from 'react';
import { scenarios } from '../scenarios';
import type { ColourBy } from './PartitionView';

interface Props {
  /** The picker's value: a scenario's name, 'engine-demo', or '__file' for an opened file. */
  picked: string;
  /** The opened file's name, when a file or a trace is what runs. */
  fileName: string | null;
  onPick(value: string): void;
  seedDraft: string;
  setSeedDraft(value: string): void;
  commitSeed(): void;
  overridesDraft: string;
  setOverridesDraft(value: string): void;
  commitOverrides(): void;
  openFile(file: File): void;
  compare: boolean;
  toggleCompare(): void;
  colourBy: ColourBy;
  setColourBy(value: ColourBy): void;
  large: boolean;
  toggleLarge(): void;
  openGallery(): void;
  openHelp(): void;
}

export const TopBar = memo(function TopBar(p: Props) {
  return (
    <header className="topbar">
      <span className="brand">kafkasim</span>
      <select value={p.picked} onChange={(e) => p.onPick(e.target.value)} data-testid="scenario-picker" title="Teaching scenarios">
        {scenarios.map((s) => <option key={s.name} value={s.name} title={s.lesson}>{s.title}</option>)}
        <option value="engine-demo">Engine demo: ping-pong</option>
        {p.fileName !== null && <option value="__file">{p.fileName}</option>}
      </select>
      <button onClick={p.openGallery} data-testid="scenario-gallery-button" title="Every scenario with its lesson">Scenarios…</button>
      <DraftField label="seed" title="Seed: the same seed gives the same run, here and in the CLI" placeholder="as written" size={8}
        value={p.seedDraft} setValue={p.setSeedDraft} commit={p.commitSeed} testId="seed-input" />
      <DraftField label="set" title="Kafka settings to override, e.g. acks=1,min.insync.replicas=2" placeholder="acks=all,…" size={16}
        value={p.overridesDraft} setValue={p.setOverridesDraft} commit={p.commitOverrides} testId="overrides-input" />
      <label className="file-button" title="Open a scenario file (.json) or a trace (.ndjson from kafkasim run --trace)">
        Open…
        <input type="file" accept=".json,.ndjson,.jsonl,application/json" onChange={(e) => e.target.files?.[0] && p.openFile(e.target.files[0])} data-testid="file-input" />
      </label>
      <button className={p.compare ? 'on' : ''} onClick={p.toggleCompare} data-testid="compare-toggle" title="Compare two configurations (c)">Compare</button>
      <span className="spacer" />
      <label title="Colour records by producer or by key">
        <select value={p.colourBy} onChange={(e) => p.setColourBy(e.target.value as ColourBy)} data-testid="colour-by">
          <option value="producer">by producer</option>
          <option value="key">by key</option>
        </select>
      </label>
      <button className={p.large ? 'on' : ''} onClick={p.toggleLarge} data-testid="large-fonts" title="Large fonts for projecting (g)">Aa</button>
      <button onClick={() => navigator.clipboard?.writeText(window.location.href)} data-testid="share-link" title="Copy a link to this exact view">Link</button>
      <button onClick={p.openHelp} data-testid="help-button" title="Keyboard shortcuts (?)">?</button>
    </header>
  );
});

/** A text field edited as a draft and taken on Enter or when it loses focus. */
function DraftField(p: { label: string; title: string; placeholder: string; size: number; value: string; setValue: (value: string) => void; commit: () => void; testId: string }) {
  return (
    <label title={p.title}><span className="label-text">{p.label}</span>
      <input
        value={p.value}
        placeholder={p.placeholder}
        size={p.size}
        onChange={(e) => p.setValue(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && p.commit()}
        onBlur={p.commit}
        data-testid={p.testId}
      />
    </label>
  );
}
