/**
 * The cluster: coordinator servers, brokers (with the controller's crown and epoch), clients;
 * network partitions as cut links; messages in flight as dots moving from sender to receiver.
 * Clicking a broker (or any node) opens the live-fault menu.
 */
import { memo, useMemo } from 'react';
import { categoryOf, type ApiCategory } from '../core/describeEntry';
import type { FlightView, NodeInfo, StepView } from '../core/view';
import { glossaryTitle } from './glossary';
import { layoutNodes, CLUSTER_H, CLUSTER_W, type Point } from './layout';
import { apiColours, okabeIto, statusColours } from './palette';
import { usePlayTime, type PlayClock } from './playClock';

interface Props {
  nodes: NodeInfo[];
  view: StepView;
  /** While playing, the dots move with the clock every frame (the rest of the drawing only with a new view). */
  clock: PlayClock;
  playing: boolean;
  apiFilter: Set<ApiCategory>;
  onNodeClick?(id: string, at: Point): void;
  compact?: boolean;
  testPrefix?: string;
  /** Node sizes grow with the page's text in large mode. */
  scale?: number;
}

const R = { zk: 20, broker: 27, producer: 20, consumer: 20, other: 24 };
const label = (id: string) => id.replace(/^broker-/, 'B').replace(/^zk-/, 'ZK').replace(/^producer-?/, 'P').replace(/^consumer-?/, 'C');

function blockedPairs(view: StepView, pos: Record<string, Point>): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const p of view.partitions) {
    for (const a of p.sideA) for (const b of p.sideB) if (pos[a] && pos[b]) out.push([a, b, p.id]);
  }
  return out;
}

export const ClusterView = memo(function ClusterView({ nodes, view, clock, playing, apiFilter, onNodeClick, compact, testPrefix = '', scale = 1 }: Props) {
  const pos = useMemo(() => layoutNodes(nodes), [nodes]);
  const status = new Map(view.nodes.map((n) => [n.id, n]));
  const cut = blockedPairs(view, pos);
  const cutOff = new Set(view.partitions.flatMap((p) => (p.sideA.length <= p.sideB.length ? p.sideA : p.sideB)));
  const controller = view.controller.id;
  const zkLeader = view.zk.leader;
  const brokers = nodes.filter((n) => n.role === 'broker');
  const liveSessions = view.zk.sessions.filter((x) => x.alive).length;
  const zkRole = new Map(view.zk.servers.map((x) => [x.id, x.role]));
  const dots = useMemo(() => view.inFlight.filter((f) => apiFilter.has(categoryOf(f.api)) && pos[f.from] && pos[f.to]), [view.inFlight, apiFilter, pos]);

  return (
    <svg className="cluster-svg" viewBox={`0 0 ${CLUSTER_W} ${CLUSTER_H}`} data-testid={`${testPrefix}cluster-view`} role="img" aria-label="Cluster">
      <defs>
        <marker id="cut-x" viewBox="-5 -5 10 10" markerWidth="10" markerHeight="10">
          <path d="M-4,-4 L4,4 M-4,4 L4,-4" stroke={okabeIto.vermillion} strokeWidth="2" />
        </marker>
      </defs>
      {/* The links a client or broker uses (faint), so a moving dot has a road. */}
      {brokers.map((b, i) => brokers.slice(i + 1).map((c) => (
        <line key={`${b.id}-${c.id}`} x1={pos[b.id].x} y1={pos[b.id].y} x2={pos[c.id].x} y2={pos[c.id].y} className="link" />
      )))}
      {cut.map(([a, b, id]) => {
        const mx = (pos[a].x + pos[b].x) / 2;
        const my = (pos[a].y + pos[b].y) / 2;
        return (
          <g key={`${a}|${b}|${id}`} data-testid="partition-cut">
            <line x1={pos[a].x} y1={pos[a].y} x2={pos[b].x} y2={pos[b].y} className="link-cut" />
            <text x={mx} y={my} className="cut-x" textAnchor="middle" dy="0.35em">✕</text>
          </g>
        );
      })}
      {linkFaultLabels(view, pos).map(({ a, b, ids, text }) => {
        // Labelled near the sender: the middle of a long link can sit under another node. Every
        // fault on one directed link shares one label, so two never print over each other.
        const mx = pos[a].x + (pos[b].x - pos[a].x) * 0.3;
        const my = pos[a].y + (pos[b].y - pos[a].y) * 0.3;
        return (
          <g key={`lf-${ids}-${a}-${b}`} data-testid="link-fault">
            <line x1={pos[a].x} y1={pos[a].y} x2={pos[b].x} y2={pos[b].y} className="link-slow" />
            <text x={mx} y={my - 6} className="slow-label" textAnchor="middle">{text}</text>
          </g>
        );
      })}
      {view.partitions.length > 0 && (
        <text x={8} y={CLUSTER_H - 8} className="cut-legend">
          network partition{view.partitions.length > 1 ? 's' : ''}: {view.partitions.map((p) => `${p.sideA.join(',')} ${p.oneWay ? '→' : '|'} ${p.sideB.join(',')}`).join('; ')}
        </text>
      )}
      <Flights dots={dots} pos={pos} clock={clock} playing={playing} viewTime={view.time} compact={compact ?? false} />
      {nodes.map((n) => {
        const p = pos[n.id];
        if (!p) return null;
        const s = status.get(n.id);
        const st = s?.status ?? 'not-started';
        const r = R[n.role] * scale;
        const isController = controller === n.id;
        const isZkLeader = zkLeader === n.id;
        const shape = n.role === 'zk' ? 'zk' : n.role === 'broker' ? 'broker' : 'client';
        return (
          <g
            key={n.id}
            transform={`translate(${p.x},${p.y})`}
            className={`node node-${shape} status-${st}${onNodeClick ? ' clickable' : ''}`}
            data-testid={`${testPrefix}node-${n.id}`}
            data-status={st}
            data-controller={isController ? 'true' : undefined}
            onClick={onNodeClick ? (e) => onNodeClick(n.id, { x: e.clientX, y: e.clientY }) : undefined}
          >
            <title>{`${n.id}: ${st}${isController ? `, controller (epoch ${view.controller.epoch}). ${glossaryTitle('controller')}` : ''}${isZkLeader ? ', coordinator leader' : ''}${s && s.buffered > 0 ? `, ${s.buffered} events waiting` : ''}`}</title>
            {cutOff.has(n.id) && <circle r={r + 7} className="cutoff-ring" />}
            {shape === 'broker' ? (
              <rect x={-r} y={-r * 0.8} width={2 * r} height={1.6 * r} rx={7} fill={st === 'up' ? '#fff' : statusColours[st]} stroke={statusColours[st]} strokeWidth={3} />
            ) : shape === 'zk' ? (
              <polygon points={hexagon(r)} fill={st === 'up' ? '#fff' : statusColours[st]} stroke={isZkLeader ? okabeIto.blue : statusColours[st]} strokeWidth={isZkLeader ? 4 : 2.5} />
            ) : (
              <circle r={r} fill={st === 'up' ? '#fff' : statusColours[st]} stroke={statusColours[st]} strokeWidth={2.5} />
            )}
            <text className="node-label" textAnchor="middle" dy="0.35em">{label(n.id)}</text>
            {st === 'crashed' && <text className="node-badge" y={r + 14} textAnchor="middle">✕ crashed</text>}
            {st === 'paused' && <text className="node-badge" y={r + 14} textAnchor="middle">❚❚ paused</text>}
            {st === 'not-started' && <text className="node-badge muted" y={r + 14} textAnchor="middle">not started</text>}
            {isController && (
              <g data-testid={`${testPrefix}controller-badge`}>
                <text className="crown" y={-r - 6} textAnchor="middle">♛ controller e{view.controller.epoch}</text>
              </g>
            )}
            {isZkLeader && <text className="crown" y={-r - 5} textAnchor="middle">leader · {liveSessions} session{liveSessions === 1 ? '' : 's'}</text>}
            {shape === 'zk' && st === 'up' && !isZkLeader && zkRole.get(n.id) && <text className="node-badge muted" y={r + 13} textAnchor="middle">{zkRole.get(n.id)}</text>}
          </g>
        );
      })}
    </svg>
  );
});

/** Messages in flight, each a dot on its way from sender to receiver at the clock's time: the only part redrawn every frame. */
const Flights = memo(function Flights({ dots, pos, clock, playing, viewTime, compact }: { dots: FlightView[]; pos: Record<string, Point>; clock: PlayClock; playing: boolean; viewTime: number; compact: boolean }) {
  const time = usePlayTime(clock, playing, viewTime);
  return (
    <>
      {dots.map((f) => {
        const a = pos[f.from];
        const b = pos[f.to];
        const span = Math.max(1, f.arriveAt - f.sentAt);
        const k = Math.max(0, Math.min(1, (time - f.sentAt) / span));
        const x = a.x + (b.x - a.x) * k;
        const y = a.y + (b.y - a.y) * k;
        const colour = apiColours[categoryOf(f.api)];
        return (
          <g key={`${f.msgId}-${f.arriveAt}`}>
            <line x1={a.x} y1={a.y} x2={x} y2={y} stroke={colour} strokeOpacity={0.25} strokeWidth={1.5} />
            <circle cx={x} cy={y} r={compact ? 3.5 : 4.5} fill={f.fate === 'drop' ? '#fff' : colour} stroke={f.fate === 'drop' ? okabeIto.vermillion : '#fff'} strokeWidth={f.fate === 'drop' ? 2 : 1}>
              <title>{`${f.api}: ${f.from} → ${f.to} (sent ${f.sentAt} ms, ${f.fate === 'drop' ? 'will be dropped at' : 'arrives'} ${f.arriveAt} ms)`}</title>
            </circle>
          </g>
        );
      })}
    </>
  );
});

/** One label per directed link with a fault: the faults' delays and drops joined. */
function linkFaultLabels(view: StepView, pos: Record<string, Point>): { a: string; b: string; ids: string; text: string }[] {
  const byLink = new Map<string, { a: string; b: string; ids: string[]; parts: string[] }>();
  for (const f of view.linkFaults) {
    const froms = f.from ?? Object.keys(pos);
    const tos = f.to ?? Object.keys(pos);
    for (const a of froms) {
      for (const b of tos) {
        if (b === a || !pos[a] || !pos[b]) continue;
        const key = `${a}>${b}`;
        const entry = byLink.get(key) ?? { a, b, ids: [], parts: [] };
        entry.ids.push(f.id);
        if (f.delayMs) entry.parts.push(`+${f.delayMs} ms`);
        if (f.drop) entry.parts.push(`drop ${Math.round(f.drop * 100)}%`);
        byLink.set(key, entry);
      }
    }
  }
  return [...byLink.values()].map((e) => ({ a: e.a, b: e.b, ids: e.ids.join(','), text: e.parts.join(' ') }));
}

function hexagon(r: number): string {
  return Array.from({ length: 6 }, (_, i) => {
    const a = (Math.PI / 3) * i + Math.PI / 6;
    return `${(Math.cos(a) * r).toFixed(1)},${(Math.sin(a) * r).toFixed(1)}`;
  }).join(' ');
}
