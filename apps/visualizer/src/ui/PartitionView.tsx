/**
 * Each partition, each replica's log as cells labelled with their offsets, leader and followers
 * on one offset axis: the high watermark and log end offset of every replica, segment boundaries,
 * each consumer's position and its group's committed offset, and the records the delivery report
 * says will be lost (hidden until their loss in "predict" mode). A mark outside the window is
 * shown at the edge with its value, so a lagging follower is never silently off screen.
 */
import type React from 'react';
import { memo } from 'react';
import type { ConsumerMarkView, LogCell, PartitionView as PV, ReplicaLogView } from '../core/view';
import { glossaryTitle } from './glossary';
import { colourFor, fadedOnWhite, textOn } from './palette';

/** How opaque a record above the high watermark is drawn (not yet committed). */
const uncommittedAlpha = 0.45;

export type ColourBy = 'producer' | 'key';

interface Props {
  topics: PV[];
  colourBy: ColourBy;
  /** The widest a cell gets, and the narrowest (a wide window squeezes cells down to it). */
  cellWidth: number;
  minCellWidth?: number;
  /** Pixels for the cells of a row (beside the replica labels). */
  cellsPx?: number;
  testPrefix?: string;
  /** Topics whose name starts with "__" (Kafka's internal ones) are folded by default. */
  showInternal?: boolean;
  /** Brokers that are crashed at this step: never drawn as a partition's leader. */
  down?: ReadonlySet<string>;
  /** The step shown, and whether "will be lost" waits for the loss itself (predict, then reveal). */
  step?: number;
  revealLossesEarly?: boolean;
  /** The cells' font size in px (to tell whether an offset fits in a cell). */
  cellFontPx?: number;
  /** Records to outline: in compare mode, those whose fate differs between the two sides. */
  highlight?: ReadonlySet<string>;
}

/** Pixels a cell needs to print its offset. */
const fits = (offset: number, width: number, fontPx: number) => String(offset).length * fontPx * 0.62 + 4 <= width;

/** How a cell prints its offset: across, up the cell (too narrow across), or not at all (too narrow). */
type CellLabel = 'across' | 'up' | 'none';
const labelOf = (offset: number, width: number, fontPx: number): CellLabel =>
  fits(offset, width - 2, fontPx) ? 'across' : width >= 13 ? 'up' : 'none';

interface CellProps {
  offset: number;
  id: string;
  recordKey: string | null;
  leaderEpoch: number;
  colour: string;
  committed: boolean;
  segmentStart: boolean;
  showLost: boolean;
  label: CellLabel;
  differs: boolean;
  /** Offsets missing just before this cell (a hole in the replica's log), in cells. */
  gap: number;
}

/**
 * One record. Laid out in the row's flex strip (not absolutely positioned: no paint layer per cell)
 * with its width from the row's --cw, and memoised on plain values: when the window moves, a cell
 * still on screen is neither re-rendered nor restyled, only the cells that enter or leave are.
 */
const Cell = memo(function Cell({ offset, id, recordKey, leaderEpoch, colour, committed, segmentStart, showLost, label, differs, gap }: CellProps) {
  // Above the HW a cell is faded: with opaque colours that look faded (cheap to paint) unless it also
  // carries the lost stripes or the compare outline, which CSS opacity fades with it (.uncommitted.faded).
  const premixed = !committed && !showLost && !differs;
  const text = textOn(colour);
  return (
    <div
      className={`cell${committed ? '' : premixed ? ' uncommitted' : ' uncommitted faded'}${showLost ? ' lost' : ''}${segmentStart ? ' seg-start' : ''}${differs ? ' differs' : ''}${label === 'up' ? ' up' : ''}`}
      data-differs={differs ? 'true' : undefined}
      style={{
        background: premixed ? fadedOnWhite(colour, uncommittedAlpha) : colour,
        color: premixed ? fadedOnWhite(text, uncommittedAlpha) : text,
        marginLeft: gap > 0 ? `calc(var(--cw) * ${gap})` : undefined,
      }}
      data-offset={offset}
      data-lost={showLost ? 'true' : undefined}
      title={`offset ${offset}: ${id}${recordKey !== null ? ` key ${recordKey}` : ''}, leader epoch ${leaderEpoch}${committed ? '' : ', above the high watermark (not yet committed)'}${showLost ? ' — LOST by the end of the run' : ''}`}
    >
      {label === 'across' ? offset : label === 'up' ? <span className="vertical">{offset}</span> : ''}
    </div>
  );
});

interface Geometry { from: number; to: number; cw: number }

/** A vertical marker at an offset, or a chip at the row's edge when the offset is outside the window. */
function Marker({ g, offset, className, label, title, testId, place }: { g: Geometry; offset: number; className: string; label: string; title: string; testId?: string; place: 'above' | 'below' | 'middle' }) {
  if (offset < g.from) {
    return <span className={`edge-mark left ${className} ${place}`} title={title} data-testid={testId} data-value={offset} data-edge="left">◂ {label}</span>;
  }
  if (offset > g.to) {
    return <span className={`edge-mark right ${className} ${place}`} style={{ left: (g.to - g.from) * g.cw + 4 }} title={title} data-testid={testId} data-value={offset} data-edge="right">{label} ▸</span>;
  }
  return (
    <div className={`marker ${className} ${place}`} style={{ left: (offset - g.from) * g.cw - 1 }} data-testid={testId} data-value={offset} title={title}>
      <span>{label}</span>
    </div>
  );
}

function ReplicaRow({ p, log, g, colourBy, testPrefix, down, step, revealLossesEarly, fontPx, highlight }: { p: PV; log: ReplicaLogView; g: Geometry; colourBy: ColourBy; testPrefix: string; down: ReadonlySet<string>; step: number; revealLossesEarly: boolean; fontPx: number; highlight?: ReadonlySet<string> }) {
  const hw = log.highWatermark;
  const crashed = down.has(log.broker);
  const leads = log.isLeader && !crashed;
  const segStarts = new Set(log.segments.filter((s) => s.baseOffset > 0).map((s) => s.baseOffset));
  const id = `${testPrefix}replica-${p.key}-${log.broker}`;
  const both = hw !== null && hw === log.logEndOffset;
  return (
    <div className={`replica${leads ? ' is-leader' : ''}${log.inIsr ? '' : ' out-of-isr'}${crashed ? ' crashed' : ''}`} data-testid={id}>
      <div className="replica-label">
        <span className="replica-name">{log.broker.replace('broker-', 'B')}</span>
        {leads && <span className="tag tag-leader" title="The leader: producers write here, followers copy from here">★ leader</span>}
        {crashed && <span className="tag tag-out" title={log.isLeader ? 'Crashed while leading: the partition has no leader until the controller elects one' : 'Crashed'}>✕ crashed</span>}
        <span className={`tag ${log.inIsr ? 'tag-isr' : 'tag-out'}`} title={glossaryTitle('ISR')}>{log.inIsr ? 'ISR' : 'out of ISR'}</span>
      </div>
      <div className="cells" style={{ width: (g.to - g.from) * g.cw + 4, '--cw': `${g.cw}px` } as React.CSSProperties}>
        <div className="cell-strip" style={{ paddingLeft: log.cells.length > 0 ? (log.cells[0].offset - g.from) * g.cw : 0 }}>
          {log.cells.map((c, i) => (
            <Cell key={c.offset} offset={c.offset} id={c.id} recordKey={c.key} leaderEpoch={c.leaderEpoch} colour={colourFor(colourBy === 'key' ? c.key : c.producer)}
              committed={hw === null || c.offset < hw} segmentStart={segStarts.has(c.offset)} label={labelOf(c.offset, g.cw, fontPx)}
              showLost={c.lost && (revealLossesEarly || (c.lostAtStep !== null && step >= c.lostAtStep))} differs={highlight?.has(c.id) ?? false}
              gap={i === 0 ? 0 : c.offset - log.cells[i - 1].offset - 1} />
          ))}
        </div>
        {both ? (
          <Marker g={g} offset={hw} className="hw both" label={`HW=LEO ${hw}`} place="middle" title={`high watermark = log end offset = ${hw}. ${glossaryTitle('HW')}`} testId={`${id}-hw`} />
        ) : (
          <>
            {hw !== null && <Marker g={g} offset={hw} className="hw" label={`HW ${hw}`} place="above" title={`high watermark ${hw}. ${glossaryTitle('HW')}`} testId={`${id}-hw`} />}
            <Marker g={g} offset={log.logEndOffset} className="leo" label={`LEO ${log.logEndOffset}`} place="below" title={`log end offset ${log.logEndOffset}. ${glossaryTitle('LEO')}`} testId={`${id}-leo`} />
          </>
        )}
      </div>
    </div>
  );
}

const shortNode = (id: string) => id.replace(/^consumer-?/, 'C');

/** The consumers' row: positions below the line, committed offsets above it. */
function ConsumerRow({ p, g, testPrefix }: { p: PV; g: Geometry; testPrefix: string }) {
  if (p.consumers.length === 0) return null;
  // Several marks at one offset share one label.
  const byPlace = new Map<string, ConsumerMarkView[]>();
  for (const c of p.consumers) {
    const k = `${c.kind}@${c.offset}`;
    byPlace.set(k, [...(byPlace.get(k) ?? []), c]);
  }
  return (
    <div className="replica consumers-row" data-testid={`${testPrefix}consumers-${p.key}`}>
      <div className="replica-label"><span className="replica-name" title="Where each consumer reads (position) and what its group committed">consumers</span></div>
      <div className="cells consumer-line" style={{ width: (g.to - g.from) * g.cw + 4 }}>
        {[...byPlace.values()].map((marks) => {
          const c = marks[0];
          const names = marks.map((m) => (m.kind === 'committed' ? m.group : shortNode(m.node ?? ''))).join(',');
          const label = c.kind === 'committed' ? `committed ${c.offset}` : `${names} ▲${c.offset}`;
          const title = c.kind === 'committed'
            ? `group ${names} committed offset ${c.offset}: after a crash or rebalance, reading resumes here`
            : `${marks.map((m) => m.node).join(', ')} (group ${c.group}) reads next at offset ${c.offset} (its position)`;
          return (
            <Marker key={`${c.kind}@${c.offset}`} g={g} offset={c.offset} className={c.kind === 'committed' ? 'committed' : 'position'} label={label} title={title}
              place={c.kind === 'committed' ? 'above' : 'below'} testId={`${testPrefix}consumer-${p.key}-${c.kind}-${c.kind === 'committed' ? c.group : c.node}`} />
          );
        })}
      </div>
    </div>
  );
}

export const PartitionView = memo(function PartitionView({ topics, colourBy, cellWidth, minCellWidth = 14, cellsPx, testPrefix = '', showInternal = false, down = new Set(), step = 0, revealLossesEarly = true, cellFontPx = 10, highlight }: Props) {
  const shown = topics.filter((p) => showInternal || !p.topic.startsWith('__'));
  if (shown.length === 0) return <div className="empty">No partition has a leader yet.</div>;
  const fontPx = cellFontPx;
  return (
    <div className="partitions" data-testid={`${testPrefix}partitions`}>
      {shown.map((p) => {
        const span = Math.max(1, p.window.to - p.window.from);
        // Room for the edge chips and the LEO marker after the last cell.
        const cw = cellsPx ? Math.max(minCellWidth, Math.min(cellWidth, Math.floor((cellsPx - 70) / span))) : cellWidth;
        const g: Geometry = { from: p.window.from, to: p.window.to, cw };
        const leaderDown = p.leader !== null && down.has(p.leader);
        const offline = p.offline || leaderDown;
        const every = cw >= 30 ? 5 : cw >= 18 ? 10 : 20;
        return (
          <section key={p.key} className={`partition${offline ? ' offline' : ''}`} data-testid={`${testPrefix}partition-${p.key}`} data-offline={offline ? 'true' : 'false'}>
            <header className="partition-head">
              <strong>{p.key}</strong>
              <span title="The broker producers and consumers talk to for this partition">leader <b data-testid={`${testPrefix}partition-${p.key}-leader`}>{offline ? 'none' : p.leader ?? 'none'}</b></span>
              {offline && (
                <span className="tag tag-out" data-testid={`${testPrefix}partition-${p.key}-offline`} title="No live leader: nobody can write or read this partition">
                  OFFLINE{leaderDown ? ` (${p.leader} crashed; not yet replaced)` : ''}
                </span>
              )}
              <span title={glossaryTitle('epoch')}>epoch <b data-testid={`${testPrefix}partition-${p.key}-epoch`}>{p.leaderEpoch}</b></span>
              <span title={glossaryTitle('ISR')}>ISR <b data-testid={`${testPrefix}partition-${p.key}-isr`}>[{p.isr.map((b) => b.replace('broker-', '')).join(',')}]</b></span>
              <span title={glossaryTitle('HW')}>HW <b data-testid={`${testPrefix}partition-${p.key}-hw`}>{p.highWatermark ?? '–'}</b></span>
              {p.reassigning && <span className="tag" data-testid={`${testPrefix}partition-${p.key}-reassigning`}>{p.reassigning}</span>}
              <span className="muted">offsets {p.window.from}–{Math.max(p.window.from, p.window.to - 1)} of {p.window.max}</span>
            </header>
            <div className="offset-ruler" style={{ marginLeft: 'var(--label-w)' }}>
              {Array.from({ length: span }, (_, i) => p.window.from + i)
                .filter((o) => o % every === 0)
                .map((o) => (
                  <span key={o} style={{ left: (o - p.window.from) * cw }}>{o}</span>
                ))}
            </div>
            {p.logs.map((log) => (
              <ReplicaRow key={log.broker} p={p} log={log} g={g} colourBy={colourBy} testPrefix={testPrefix} down={down} step={step} revealLossesEarly={revealLossesEarly} fontPx={fontPx} highlight={highlight} />
            ))}
            <ConsumerRow p={p} g={g} testPrefix={testPrefix} />
          </section>
        );
      })}
    </div>
  );
});
