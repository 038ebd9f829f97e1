/** Play/pause, step, jump to the next or previous mark of a kind, speed, branch. */
import { memo } from 'react';
import type { BranchInfo, MarkKind } from '../core/view';
import { markColours } from './palette';

export const speeds = [0.01, 0.05, 0.2, 1, 5, 20, 100];

interface Props {
  playing: boolean;
  onPlay(): void;
  onStep(n: number): void;
  onJump(kind: MarkKind | 'any', dir: 1 | -1): void;
  jumpKind: MarkKind | 'any';
  setJumpKind(kind: MarkKind | 'any'): void;
  speed: number;
  setSpeed(speed: number): void;
  step: number;
  steps: number;
  time: number;
  endTime: number;
  branches?: BranchInfo[];
  branch?: number;
  setBranch?(b: number): void;
  traceHash?: string;
  compare: boolean;
  /** Only the kinds this run has get a chip (a lesson without truncation shows no truncation chip). */
  presentKinds?: Set<MarkKind>;
  stepUnit: StepUnit;
  setStepUnit(unit: StepUnit): void;
}

/** What an arrow press moves by: to the next line of the event log, or one raw engine step. */
export type StepUnit = 'event' | 'step';

const kinds: (MarkKind | 'any')[] = ['fault', 'election', 'isr', 'rebalance', 'loss', 'expiry', 'truncation', 'rejection', 'any'];
const kindLabel: Record<MarkKind | 'any', string> = {
  fault: 'fault', election: 'election', isr: 'ISR change', rebalance: 'rebalance', loss: 'lost record',
  expiry: 'session expiry', truncation: 'log truncation', rejection: 'zombie controller rejected', any: 'any event',
};
const chipLabel: Record<MarkKind, string> = {
  fault: 'fault', election: 'election', isr: 'ISR', rebalance: 'rebalance', loss: 'loss', expiry: 'expiry', truncation: 'truncation', rejection: 'rejected',
};
/** The jump keys: shift goes back. */
export const jumpKeys: Record<string, MarkKind> = { f: 'fault', e: 'election', i: 'isr', r: 'rebalance', l: 'loss', s: 'expiry', t: 'truncation', z: 'rejection' };

/**
 * The transport bar. Only the position (step and time) changes with every view while playing: the
 * buttons and the selects around it are memoised apart, so a view does not re-render them (React
 * writes a select's options on every render of it, and the browser repaints it).
 */
export function Transport(p: Props) {
  return (
    <div className="transport" data-testid="transport">
      <TransportButtons playing={p.playing} onPlay={p.onPlay} onStep={p.onStep} onJump={p.onJump} jumpKind={p.jumpKind} setJumpKind={p.setJumpKind} presentKinds={p.presentKinds} />
      <span className="position" data-testid="position">
        {!p.compare && <>step <b data-testid="step">{p.step}</b>/{p.steps} · </>}t = <b data-testid="time">{(p.time / 1000).toFixed(3)}</b> s / {(p.endTime / 1000).toFixed(1)} s
      </span>
      <TransportSettings stepUnit={p.stepUnit} setStepUnit={p.setStepUnit} speed={p.speed} setSpeed={p.setSpeed} branches={p.branches} branch={p.branch} setBranch={p.setBranch} traceHash={p.traceHash} />
    </div>
  );
}

type ButtonsProps = Pick<Props, 'playing' | 'onPlay' | 'onStep' | 'onJump' | 'jumpKind' | 'setJumpKind' | 'presentKinds'>;

const TransportButtons = memo(function TransportButtons(p: ButtonsProps) {
  return (
    <>
      <button onClick={() => p.onJump(p.jumpKind, -1)} title={`Previous ${kindLabel[p.jumpKind]} ([ or shift+key)`} data-testid="prev-mark">|◀◀</button>
      <button onClick={() => p.onStep(-1)} title="Step back (←)" data-testid="step-back">|◀</button>
      <button className="play" onClick={p.onPlay} title="Play / pause (space)" data-testid="play">{p.playing ? '❚❚' : '▶'}</button>
      <button onClick={() => p.onStep(1)} title="Step forward (→)" data-testid="step-forward">▶|</button>
      <button onClick={() => p.onJump(p.jumpKind, 1)} title={`Next ${kindLabel[p.jumpKind]} (] or key)`} data-testid="next-mark">▶▶|</button>
      <select value={p.jumpKind} onChange={(e) => p.setJumpKind(e.target.value as MarkKind | 'any')} data-testid="jump-kind" title="Kind of event the |◀◀ ▶▶| buttons jump to">
        {kinds.map((k) => <option key={k} value={k}>{kindLabel[k]}</option>)}
      </select>
      <span className="jump-chips">
        {kinds.filter((k) => k !== 'any' && (!p.presentKinds || p.presentKinds.has(k))).map((k) => (
          <button key={k} className="chip" style={{ borderColor: markColours[k as MarkKind] }} onClick={() => p.onJump(k, 1)} title={`Next ${kindLabel[k]}`} data-testid={`next-${k}`}>
            <i style={{ background: markColours[k as MarkKind] }} />{chipLabel[k as MarkKind]} ▸
          </button>
        ))}
      </span>
    </>
  );
});

type SettingsProps = Pick<Props, 'stepUnit' | 'setStepUnit' | 'speed' | 'setSpeed' | 'branches' | 'branch' | 'setBranch' | 'traceHash'>;

const TransportSettings = memo(function TransportSettings(p: SettingsProps) {
  return (
    <>
      <label className="step-unit" title="What → and ← move by: the next line of the event log, or one raw engine step (u)">
        <select value={p.stepUnit} onChange={(e) => p.setStepUnit(e.target.value as StepUnit)} data-testid="step-unit">
          <option value="event">→ event</option>
          <option value="step">→ step</option>
        </select>
      </label>
      <label className="speed" title="Speed of play (+ / -)">
        <select value={p.speed} onChange={(e) => p.setSpeed(Number(e.target.value))} data-testid="speed">
          {speeds.map((s) => <option key={s} value={s}>{s}×</option>)}
        </select>
      </label>
      {p.branches && p.branches.length > 1 && p.setBranch && (
        <label className="branch">branch
          <select value={p.branch} onChange={(e) => p.setBranch!(Number(e.target.value))} data-testid="branch-select">
            {p.branches.map((b) => <option key={b.id} value={b.id}>{b.id}: {b.label}</option>)}
          </select>
        </label>
      )}
      {p.traceHash && <span className="hash" title={hashTitle(p)} data-testid="trace-hash-box"># <code data-testid="trace-hash">{p.traceHash}</code></span>}
    </>
  );
});

/** What the hash can be checked against, exactly. */
export function hashTitle(p: { branch?: number; branches?: BranchInfo[] }): string {
  const forked = p.branch !== undefined && p.branch > 0;
  return forked
    ? 'Trace hash of this branch. A live fault forks the run at a step, which no scenario file says: no kafkasim run gives this hash; the page\'s link (?fork=...) reproduces it.'
    : 'Trace hash: the hash `kafkasim run <scenario file>` prints (with the same --seed and --set), with or without --trace; also scenarios/golden-hashes.json for the scenario as written. Message payloads are not hashed, so every way of running it agrees.';
}

export function HelpOverlay({ onClose }: { onClose(): void }) {
  const rows: [string, string][] = [
    ['space', 'play / pause'],
    ['→ / ←', 'next / previous event (or raw step, see "by")'],
    ['shift + → / ←', '100 steps forward / back'],
    ['Home / End', 'first / last step'],
    ['] / [', 'next / previous event of the chosen kind'],
    ['f / F', 'next / previous fault'],
    ['e / E', 'next / previous election'],
    ['i / I', 'next / previous ISR change'],
    ['r / R', 'next / previous rebalance'],
    ['l / L', 'next / previous lost record'],
    ['s / S', 'next / previous ZooKeeper session expiry'],
    ['t / T', 'next / previous log truncation'],
    ['z / Z', 'next / previous stale (zombie) controller rejected'],
    ['n', 'narrated mode on / off: plays and pauses at each key moment with its caption'],
    ['u', 'arrows step by event / by raw step'],
    ['+ / -', 'faster / slower'],
    ['c', 'compare mode on / off'],
    ['g', 'large fonts on / off'],
    ['?', 'this help'],
    ['Esc', 'close'],
  ];
  return (
    <div className="overlay" onClick={onClose} data-testid="help-overlay">
      <div className="overlay-box" onClick={(e) => e.stopPropagation()} role="dialog" aria-label="Keyboard shortcuts">
        <h3>Keyboard shortcuts</h3>
        <table>
          <tbody>
            {rows.map(([k, v]) => <tr key={k}><td><kbd>{k}</kbd></td><td>{v}</td></tr>)}
          </tbody>
        </table>
        <p className="muted">Click a broker to crash, restart or pause it from the current step: the run forks, and the branch selector keeps the original.</p>
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  );
}

export function FaultMenu({ node, status, x, y, onPick, onClose }: { node: string; status: string; x: number; y: number; onPick(type: 'crash' | 'restart' | 'pause' | 'resume'): void; onClose(): void }) {
  const actions: { type: 'crash' | 'restart' | 'pause' | 'resume'; label: string; enabled: boolean }[] = [
    { type: 'crash', label: 'Crash', enabled: status === 'up' || status === 'paused' },
    { type: 'restart', label: 'Restart', enabled: status === 'crashed' },
    { type: 'pause', label: 'Pause 2 s (GC stall)', enabled: status === 'up' },
    { type: 'resume', label: 'Resume', enabled: status === 'paused' },
  ];
  return (
    <div className="overlay transparent" onClick={onClose}>
      <div className="fault-menu" style={{ left: Math.min(x, window.innerWidth - 230), top: Math.min(y, window.innerHeight - 190) }} onClick={(e) => e.stopPropagation()} data-testid="fault-menu">
        <div className="fault-title">{node} <span className="muted">({status})</span></div>
        <div className="muted small">Inject now: forks the run from this step</div>
        {actions.map((a) => (
          <button key={a.type} disabled={!a.enabled} onClick={() => onPick(a.type)} data-testid={`fault-${a.type}`}>{a.label}</button>
        ))}
      </div>
    </div>
  );
}
