/** The side panels: consumer groups, the coordinator and controller, producers, the event log. */
import { memo } from 'react';
import type { EventLine, StepView } from '../core/view';
import { glossaryTitle } from './glossary';
import { markColours } from './palette';
import { usePlayTime, type PlayClock } from './playClock';

export function GroupsPanel({ view }: { view: StepView }) {
  if (view.groups.length === 0) return <div className="empty">No consumer group has formed yet.</div>;
  return (
    <div className="groups" data-testid="groups">
      {view.groups.map((g) => {
        const committed = new Map(g.committed.map((c) => [c.tp, c.offset]));
        return (
          <section key={g.group} className="group" data-testid={`group-${g.group}`}>
            <header>
              <strong>group {g.group}</strong> · <span className="help-term" title={glossaryTitle('gen')}>generation</span> <b data-testid={`group-${g.group}-generation`}>{g.generation}</b> ·{' '}
              <span className={`tag ${g.state === 'rebalancing' ? 'tag-out' : 'tag-isr'}`} data-testid={`group-${g.group}-state`}>{g.state}</span>
              {g.reason && <span className="muted"> ({g.reason})</span>}
            </header>
            <table>
              <thead>
                <tr><th>member</th><th>node</th><th>partition</th><th title={glossaryTitle('position')}>position</th><th title="One past the last offset this member finished processing">processed</th><th title={glossaryTitle('committed')}>committed</th><th title="position − committed: what a crash now would make the group read again">lag to commit</th></tr>
              </thead>
              <tbody>
                {g.members.flatMap((m) => {
                  const rows = m.assignment.length > 0 ? m.assignment : ['—'];
                  return rows.map((tp, i) => {
                    const position = g.positions.find((p) => p.node === m.node && p.tp === tp)?.position;
                    const processed = g.processed.find((p) => p.node === m.node && p.tp === tp)?.offset;
                    const c = committed.get(tp);
                    return (
                      <tr key={`${m.member}-${tp}`} data-testid={`group-row-${m.member}-${tp}`}>
                        <td>{i === 0 ? m.member : ''}</td>
                        <td>{i === 0 ? m.node : ''}</td>
                        <td>{tp === '—' && g.state === 'rebalancing' ? <span className="muted">— (revoked: waiting for generation {g.generation})</span> : tp}</td>
                        <td>{position ?? '–'}</td>
                        <td data-testid={`processed-${m.node}-${tp}`}>{processed ?? '–'}</td>
                        <td>{c ?? '–'}</td>
                        <td>{position !== undefined && c !== undefined ? position - c : '–'}</td>
                      </tr>
                    );
                  });
                })}
              </tbody>
            </table>
            {g.state === 'rebalancing' && g.revoked.length > 0 && (
              <div className="revoked" data-testid={`group-${g.group}-revoked`}>
                Rebalancing: the last generation's partitions are revoked until generation {g.generation} is assigned —{' '}
                {g.revoked.map((r) => <span key={r.member} className="revoked-item"><s>{r.member}: {r.tps.join(', ') || 'nothing'}</s></span>)}
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}

export function CoordinatorPanel({ view }: { view: StepView }) {
  const zk = view.zk;
  return (
    <div className="coordinator" data-testid="coordinator">
      <div className="kv">
        <span>coordinator leader <b data-testid="zk-leader">{zk.leader ?? 'none'}</b> (epoch {zk.epoch}, <span className="help-term" title={glossaryTitle('zxid')} data-testid="help-zxid">zxid</span> 0x{zk.zxid.toString(16)})</span>
        <span><span className="help-term" title={glossaryTitle('controller')}>controller</span> <b data-testid="controller-id">{view.controller.id ?? 'none'}</b> · controller epoch <b data-testid="controller-epoch">{view.controller.epoch}</b></span>
      </div>
      <h4><span className="help-term" title={glossaryTitle('session')} data-testid="help-session">Sessions</span></h4>
      <ul className="sessions">
        {zk.sessions.length === 0 && <li className="muted">none</li>}
        {zk.sessions.map((s) => (
          <li key={s.id} className={s.alive ? '' : 'dead'}>
            {s.id} · {s.owner}{s.server ? ` via ${s.server}` : ''} {s.alive ? '' : '(expired)'}
          </li>
        ))}
      </ul>
      <h4>Znodes <span className="muted">(◆ ephemeral: removed when its session ends)</span></h4>
      <ul className="znodes" data-testid="znode-tree">
        {zk.tree.length === 0 && <li className="muted">empty</li>}
        {zk.tree.map((z) => {
          const depth = z.path.split('/').length - 2;
          const name = z.path === '/' ? '' : z.path.slice(z.path.lastIndexOf('/') + 1);
          return (
            <li key={z.path} style={{ paddingLeft: depth * 14 }} className={z.ephemeral ? 'ephemeral' : ''} title={`${z.path}${z.data ? ` = ${z.data}` : ''}`}>
              {z.ephemeral ? '◆ ' : '/'}{name}
              {z.ephemeral && z.owner && <span className="muted"> session {z.owner}</span>}
              {z.data && <span className="muted"> = {z.data}</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function ProducersLine({ view }: { view: StepView }) {
  if (view.producers.length === 0) return null;
  return (
    <div className="producers" data-testid="producers">
      {view.producers.map((p) => (
        <span key={p.id}>{p.id}: {p.requested} sent · {p.acked} acked{p.failed ? ` · ${p.failed} failed` : ''}</span>
      ))}
    </div>
  );
}

const sameLines = (a: EventLine[], b: EventLine[]) =>
  a.length === b.length && a.every((l, i) => l.step === b[i].step && l.text === b[i].text);

/**
 * A line's key: its step and its place among that step's lines. Stable while the log scrolls (the
 * position in the list is not: keyed by it, every line was rebuilt whenever a new one arrived).
 */
function lineKeys(lines: EventLine[]): string[] {
  const seen = new Map<number, number>();
  return lines.map((l) => {
    const n = seen.get(l.step) ?? 0;
    seen.set(l.step, n + 1);
    return `${l.step}-${n}`;
  });
}

/** Re-rendered only when its lines change (a view arrives every frame while playing). */
export const EventLog = memo(function EventLog({ lines, onJump }: { lines: EventLine[]; onJump(step: number): void }) {
  const keys = lineKeys(lines);
  return (
    <ol className="event-log" data-testid="event-log" title="Newest first; click a line to go to its step">
      {lines.map((l, i) => ({ l, key: keys[i] })).reverse().map(({ l, key }) => (
        <li key={key} onClick={() => onJump(l.step)} title={`step ${l.step}`}>
          <span className="ev-time">{l.time} ms</span>
          <span className="ev-dot" style={{ background: l.kind in markColours ? markColours[l.kind as keyof typeof markColours] : '#bbb' }} />
          <span>{l.text}</span>
        </li>
      ))}
    </ol>
  );
}, (a, b) => a.onJump === b.onJump && sameLines(a.lines, b.lines));

/** Acknowledgements over the run, the longest gap between two shaded, and the current time (only the cursor moves while playing). */
export const ThroughputChart = memo(function ThroughputChart({ throughput, clock, playing, viewTime, endTime }: { throughput: { binMs: number; acked: number[]; longestGap: { from: number; to: number } | null }; clock: PlayClock; playing: boolean; viewTime: number; endTime: number }) {
  const W = 600;
  const H = 70;
  const max = Math.max(1, ...throughput.acked);
  const x = (t: number) => (t / Math.max(1, endTime)) * W;
  const bw = W / Math.max(1, throughput.acked.length);
  const gap = throughput.longestGap;
  return (
    <figure className="throughput" data-testid="throughput-chart">
      <figcaption>
        acknowledgements per {throughput.binMs} ms
        {gap && <> · longest gap without any: <b data-testid="ack-gap">{gap.to - gap.from} ms</b> ({(gap.from / 1000).toFixed(2)}–{(gap.to / 1000).toFixed(2)} s)</>}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" className="throughput-svg">
        {gap && <rect x={x(gap.from)} y={0} width={Math.max(1, x(gap.to) - x(gap.from))} height={H} className="ack-gap" />}
        {throughput.acked.map((n, i) => n > 0 && <rect key={i} x={i * bw} y={H - (n / max) * (H - 4)} width={Math.max(1, bw - 0.5)} height={(n / max) * (H - 4)} className="ack-bar" />)}
        <ThroughputCursor clock={clock} playing={playing} viewTime={viewTime} x={x} height={H} />
      </svg>
    </figure>
  );
});

function ThroughputCursor({ clock, playing, viewTime, x, height }: { clock: PlayClock; playing: boolean; viewTime: number; x(t: number): number; height: number }) {
  const time = usePlayTime(clock, playing, viewTime);
  return <line x1={x(time)} x2={x(time)} y1={0} y2={height} className="tl-cursor" />;
}
