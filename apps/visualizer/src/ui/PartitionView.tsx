/**
 * Each partition, each replica's log as cells (windowed to a range of offsets), with the leader,
 * its epoch, the ISR, the high watermark and log end offset, segment boundaries, and the records
 * the delivery report says will be lost.
 */
import { memo } from 'react';
import type { LogCell, PartitionView as PV, ReplicaLogView } from '../core/view';
import { colourFor, textOn } from './palette';

export type ColourBy = 'producer' | 'key';

interface Props {
  topics: PV[];
  colourBy: ColourBy;
  cellWidth: number;
  testPrefix?: string;
  /** Topics whose name starts with "__" (Kafka's internal ones) are folded by default. */
  showInternal?: boolean;
}

const short = (id: string) => {
  const c = id.lastIndexOf(':');
  return c >= 0 ? id.slice(c + 1) : id;
};

function Cell({ cell, left, width, committed, colourBy, segmentStart }: { cell: LogCell; left: number; width: number; committed: boolean; colourBy: ColourBy; segmentStart: boolean }) {
  const colour = colourFor(colourBy === 'key' ? cell.key : cell.producer);
  return (
    <div
      className={`cell${committed ? '' : ' uncommitted'}${cell.lost ? ' lost' : ''}${segmentStart ? ' seg-start' : ''}`}
      style={{ left, width: width - 2, background: colour, color: textOn(colour) }}
      data-offset={cell.offset}
      data-lost={cell.lost ? 'true' : undefined}
      title={`offset ${cell.offset}: ${cell.id}${cell.key !== null ? ` key ${cell.key}` : ''}, leader epoch ${cell.leaderEpoch}${committed ? '' : ', above the high watermark'}${cell.lost ? ' — LOST by the end of the run' : ''}`}
    >
      {short(cell.id)}
    </div>
  );
}

function ReplicaRow({ p, log, colourBy, cellWidth, testPrefix }: { p: PV; log: ReplicaLogView; colourBy: ColourBy; cellWidth: number; testPrefix: string }) {
  const from = p.window.from;
  const x = (offset: number) => (offset - from) * cellWidth;
  const inWindow = (offset: number) => offset >= from && offset <= p.window.to;
  const hw = log.highWatermark;
  const segStarts = new Set(log.segments.filter((s) => s.baseOffset > 0).map((s) => s.baseOffset));
  return (
    <div className={`replica${log.isLeader ? ' is-leader' : ''}${log.inIsr ? '' : ' out-of-isr'}`} data-testid={`${testPrefix}replica-${p.key}-${log.broker}`}>
      <div className="replica-label">
        <span className="replica-name">{log.broker.replace('broker-', 'B')}</span>
        {log.isLeader && <span className="tag tag-leader" title="leader">★ leader</span>}
        <span className={`tag ${log.inIsr ? 'tag-isr' : 'tag-out'}`} title={log.inIsr ? 'in the ISR' : 'out of the ISR'}>{log.inIsr ? 'ISR' : 'out of ISR'}</span>
      </div>
      <div className="cells" style={{ width: (p.window.to - from) * cellWidth + 40 }}>
        {log.cells.map((c) => (
          <Cell key={c.offset} cell={c} left={x(c.offset)} width={cellWidth} committed={hw === null || c.offset < hw} colourBy={colourBy} segmentStart={segStarts.has(c.offset)} />
        ))}
        {hw !== null && hw === log.logEndOffset && inWindow(hw) ? (
          <div className="marker hw both" style={{ left: x(hw) - 1 }} data-testid={`${testPrefix}replica-${p.key}-${log.broker}-hw`} data-value={hw} title={`high watermark = log end offset = ${hw}`}>
            <span>HW=LEO {hw}</span>
          </div>
        ) : (
          <>
            {hw !== null && inWindow(hw) && (
              <div className="marker hw" style={{ left: x(hw) - 1 }} data-testid={`${testPrefix}replica-${p.key}-${log.broker}-hw`} data-value={hw} title={`high watermark ${hw}`}>
                <span>HW {hw}</span>
              </div>
            )}
            {inWindow(log.logEndOffset) && (
              <div className="marker leo" style={{ left: x(log.logEndOffset) - 1 }} data-testid={`${testPrefix}replica-${p.key}-${log.broker}-leo`} data-value={log.logEndOffset} title={`log end offset ${log.logEndOffset}`}>
                <span>LEO {log.logEndOffset}</span>
              </div>
            )}
          </>
        )}
      </div>
      <div className="replica-nums">LEO {log.logEndOffset} · HW {hw ?? '–'}</div>
    </div>
  );
}

export const PartitionView = memo(function PartitionView({ topics, colourBy, cellWidth, testPrefix = '', showInternal = false }: Props) {
  const shown = topics.filter((p) => showInternal || !p.topic.startsWith('__'));
  if (shown.length === 0) return <div className="empty">No partition has a leader yet.</div>;
  return (
    <div className="partitions" data-testid={`${testPrefix}partitions`}>
      {shown.map((p) => (
        <section key={p.key} className={`partition${p.offline ? ' offline' : ''}`} data-testid={`${testPrefix}partition-${p.key}`}>
          <header className="partition-head">
            <strong>{p.key}</strong>
            <span>leader <b data-testid={`${testPrefix}partition-${p.key}-leader`}>{p.leader ?? 'none'}</b></span>
            <span>epoch <b data-testid={`${testPrefix}partition-${p.key}-epoch`}>{p.leaderEpoch}</b></span>
            <span>ISR <b data-testid={`${testPrefix}partition-${p.key}-isr`}>[{p.isr.map((b) => b.replace('broker-', '')).join(',')}]</b></span>
            <span>HW <b data-testid={`${testPrefix}partition-${p.key}-hw`}>{p.highWatermark ?? '–'}</b></span>
            {p.offline && <span className="tag tag-out">OFFLINE</span>}
            {p.reassigning && <span className="tag" data-testid={`${testPrefix}partition-${p.key}-reassigning`}>{p.reassigning}</span>}
            <span className="muted">offsets {p.window.from}–{Math.max(p.window.from, p.window.to - 1)} of {p.window.max}</span>
          </header>
          <div className="offset-ruler" style={{ marginLeft: 'var(--label-w)' }}>
            {Array.from({ length: Math.max(0, p.window.to - p.window.from) }, (_, i) => p.window.from + i)
              .filter((o) => o % 5 === 0)
              .map((o) => (
                <span key={o} style={{ left: (o - p.window.from) * cellWidth }}>{o}</span>
              ))}
          </div>
          {p.logs.map((log) => (
            <ReplicaRow key={log.broker} p={p} log={log} colourBy={colourBy} cellWidth={cellWidth} testPrefix={testPrefix} />
          ))}
        </section>
      ))}
    </div>
  );
});
