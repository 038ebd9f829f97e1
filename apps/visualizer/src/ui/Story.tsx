/**
 * The lesson told as a story: the narrated mode's bar (plays, pauses at each of the scenario's
 * key moments with its caption) and the countdowns of timeouts that are running out.
 */
import { memo } from 'react';
import type { CountdownView, StoryStep } from '../core/view';
import { usePlayTime, type PlayClock } from './playClock';

interface StoryBarProps {
  story: StoryStep[];
  narrated: boolean;
  playing: boolean;
  /** The key moment playback stopped on, if any. */
  captionAt: number | null;
  step: number;
  onToggle(): void;
  onContinue(): void;
  onGoto(step: number): void;
}

export function StoryBar({ story, narrated, playing, captionAt, step, onToggle, onContinue, onGoto }: StoryBarProps) {
  if (story.length === 0) return null;
  // The caption of the moment reached last (narrated), so stepping on keeps the context on screen.
  const index = story.reduce((found, m, i) => (m.step <= step ? i : found), -1);
  const current = index >= 0 ? story[index] : null;
  const stopped = captionAt !== null && current?.step === captionAt && step === captionAt;
  return (
    <div className={`story-bar${narrated ? ' on' : ''}`} data-testid="story-bar">
      <button className={narrated ? 'on' : ''} onClick={onToggle} data-testid="narrated-toggle" title="Narrated mode (n): play, pausing at each key moment of the lesson with its caption">
        {narrated ? '■ stop narration' : '▶ narrated lesson'}
      </button>
      <span className="story-dots">
        {story.map((m, i) => (
          <button key={i} className={`story-dot${i === index ? ' current' : ''}${m.step <= step ? ' past' : ''}`} onClick={() => onGoto(m.step)} title={`${i + 1}. ${m.caption}`} data-testid={`story-${i}`}>{i + 1}</button>
        ))}
      </span>
      {narrated && (
        <span className="caption" data-testid="story-caption" data-step={current?.step}>
          {current ? <><b>{index + 1}/{story.length}</b> {current.caption}</> : <span className="muted">Playing to the first key moment…</span>}
        </span>
      )}
      {narrated && stopped && !playing && (
        <button onClick={onContinue} data-testid="story-continue" title="Play on to the next key moment (space)">continue ▶</button>
      )}
    </div>
  );
}

const kindLabel: Record<CountdownView['kind'], string> = { session: 'session', 'replica-lag': 'ISR lag', request: 'request' };

/** Counts down with the clock every frame while playing, so it is memoised apart from the page. */
export const Countdowns = memo(function Countdowns({ countdowns, clock, playing, viewTime }: { countdowns: CountdownView[]; clock: PlayClock; playing: boolean; viewTime: number }) {
  const time = usePlayTime(clock, playing, viewTime);
  if (countdowns.length === 0) return null;
  return (
    <ul className="countdowns" data-testid="countdowns" title="Timeouts that are running out">
      {countdowns.slice(0, 4).map((c) => {
        const left = Math.max(0, c.deadline - time);
        return (
          <li key={`${c.kind}-${c.node}-${c.subject}`} data-testid={`countdown-${c.kind}`} data-deadline={c.deadline}>
            <span className="cd-kind">{kindLabel[c.kind]} timeout</span>
            <b className="cd-left">{(left / 1000).toFixed(1)} s</b>
            <span className="cd-bar"><i style={{ width: `${Math.min(100, (left / c.timeoutMs) * 100)}%` }} /></span>
            <span className="cd-text" title={c.text}>{c.text}</span>
          </li>
        );
      })}
    </ul>
  );
});
