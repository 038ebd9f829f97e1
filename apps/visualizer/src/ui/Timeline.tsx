/**
 * The run on a time axis: one row per kind of mark, zoomable (wheel, or the buttons), scrubbed by
 * clicking or dragging. Marks are split by kind once; each render bins the visible ones into
 * pixel buckets, so drawing costs the width of the axis, not the length of the run.
 */
import * as d3 from 'd3';
import { useEffect, useMemo, useRef } from 'react';
import { markKinds, timelineRows, type Mark, type MarkKind } from '../core/view';

const rowOf = (kind: MarkKind) => timelineRows.findIndex((r) => r.kinds.includes(kind));
import { markColours } from './palette';

interface Props {
  marks: Mark[];
  endTime: number;
  time: number;
  onScrub(time: number): void;
  large: boolean;
}


export function Timeline({ marks, endTime, time, onScrub, large }: Props) {
  // Rows and labels grow with the page's text (styles.css --fs: 16 px, 20 px large).
  const ROW = large ? 17 : 13;
  const AXIS = large ? 26 : 22;
  const LEFT = large ? 100 : 82;
  const svgRef = useRef<SVGSVGElement | null>(null);
  const transformRef = useRef(d3.zoomIdentity);
  const zoomRef = useRef<d3.ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const renderRef = useRef<() => void>(() => undefined);
  const scaleRef = useRef<d3.ScaleLinear<number, number> | null>(null);
  /** The svg's width as of the last render (zoom, resize): reading clientWidth per frame would force a layout. */
  const widthRef = useRef(800);
  const timeRef = useRef(time);
  timeRef.current = time;
  const scrubRef = useRef(onScrub);
  scrubRef.current = onScrub;

  const byKind = useMemo(() => {
    const out = new Map<MarkKind, Mark[]>(markKinds.map((k) => [k, []]));
    for (const m of marks) out.get(m.kind)!.push(m);
    return out;
  }, [marks]);

  useEffect(() => {
    const svg = d3.select(svgRef.current!);
    const height = AXIS + ROW * timelineRows.length + 8;
    svg.attr('height', height);
    svg.selectAll('*').remove();
    const labels = svg.append('g').attr('class', 'tl-labels');
    timelineRows.forEach((row, i) => {
      labels.append('text').attr('x', LEFT - 6).attr('y', 4 + i * ROW + ROW / 2).attr('dy', '0.35em').attr('text-anchor', 'end')
        .attr('class', 'tl-label').text(row.label);
      labels.append('rect').attr('x', LEFT).attr('y', 4 + i * ROW).attr('height', ROW - 2).attr('class', 'tl-row').attr('data-row', row.kinds[0]);
    });
    const marksG = svg.append('g').attr('class', 'tl-marks');
    const axisG = svg.append('g').attr('class', 'tl-axis').attr('transform', `translate(0,${4 + ROW * timelineRows.length + 2})`);
    const cursor = svg.append('line').attr('class', 'tl-cursor').attr('y1', 0).attr('y2', height - AXIS + 4);
    const titleTip = svg.append('title');

    const render = () => {
      const width = svgRef.current!.clientWidth || 800;
      widthRef.current = width;
      const x0 = d3.scaleLinear().domain([0, Math.max(1, endTime)]).range([LEFT, width - 10]);
      const x = transformRef.current.rescaleX(x0);
      svg.selectAll<SVGRectElement, unknown>('rect.tl-row').attr('width', width - 10 - LEFT);
      axisG.call(d3.axisBottom(x).ticks(Math.max(2, Math.floor(width / 110))).tickFormat((d) => `${(Number(d) / 1000).toLocaleString(undefined, { maximumFractionDigits: 3 })} s`));
      const [t0, t1] = x.domain();
      const bins: { kind: MarkKind; px: number; count: number; label: string; time: number }[] = [];
      const bisect = d3.bisector((m: Mark) => m.time);
      markKinds.forEach((kind) => {
        const list = byKind.get(kind)!;
        let last: (typeof bins)[number] | null = null;
        for (let i = bisect.left(list, t0); i < list.length && list[i].time <= t1; i++) {
          const px = Math.round(x(list[i].time) / 3) * 3;
          if (last && last.px === px) {
            last.count += 1;
            continue;
          }
          last = { kind, px, count: 1, label: list[i].label, time: list[i].time };
          bins.push(last);
        }
      });
      marksG.selectAll<SVGRectElement, (typeof bins)[number]>('rect')
        .data(bins)
        .join('rect')
        .attr('x', (b) => b.px - 1.5)
        .attr('y', (b) => 4 + rowOf(b.kind) * ROW)
        .attr('width', 3)
        .attr('height', ROW - 2)
        .attr('fill', (b) => markColours[b.kind])
        .attr('data-kind', (b) => b.kind)
        .selectAll('title')
        .data((b) => [b])
        .join('title')
        .text((b) => (b.count > 1 ? `${b.count} ${b.kind} marks, first: ${b.label}` : b.label));
      titleTip.text('Click or drag to scrub; wheel to zoom; shift+drag to pan');
      scaleRef.current = x;
      moveCursor();
    };
    // While playing only the cursor moves: the marks are redrawn on zoom and resize alone.
    const moveCursor = () => {
      const width = widthRef.current;
      const cx = scaleRef.current ? scaleRef.current(timeRef.current) : LEFT;
      cursor.attr('x1', cx).attr('x2', cx).attr('visibility', cx >= LEFT && cx <= width ? 'visible' : 'hidden');
    };
    renderRef.current = moveCursor;

    const zoom = d3.zoom<SVGSVGElement, unknown>()
      .scaleExtent([1, 2000])
      .filter((event: Event) => event.type === 'wheel' || event.type === 'dblclick' || ((event as MouseEvent).shiftKey && event.type === 'mousedown'))
      .on('zoom', (event) => {
        transformRef.current = event.transform;
        render();
      });
    zoomRef.current = zoom;
    svg.call(zoom);
    const width = () => svgRef.current!.clientWidth || 800;
    zoom.translateExtent([[LEFT, 0], [width() - 10, height]]).extent([[LEFT, 0], [width() - 10, height]]);

    const timeAtPointer = (event: PointerEvent) => {
      const x0 = d3.scaleLinear().domain([0, Math.max(1, endTime)]).range([LEFT, width() - 10]);
      const [px] = d3.pointer(event, svgRef.current);
      return Math.max(0, Math.min(endTime, Math.round(transformRef.current.rescaleX(x0).invert(px))));
    };
    let dragging = false;
    const el = svgRef.current!;
    const down = (e: PointerEvent) => {
      if (e.shiftKey || e.button !== 0) return;
      dragging = true;
      el.setPointerCapture(e.pointerId);
      scrubRef.current(timeAtPointer(e));
    };
    const move = (e: PointerEvent) => dragging && scrubRef.current(timeAtPointer(e));
    const up = () => (dragging = false);
    el.addEventListener('pointerdown', down);
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    const observer = new ResizeObserver(() => render());
    observer.observe(el);
    render();
    return () => {
      observer.disconnect();
      el.removeEventListener('pointerdown', down);
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      svg.on('.zoom', null);
    };
  }, [byKind, endTime, large]);

  useEffect(() => renderRef.current(), [time]);

  const zoomBy = (k: number) => {
    const svg = d3.select(svgRef.current!);
    if (zoomRef.current) svg.transition().duration(150).call(zoomRef.current.scaleBy, k);
  };
  const reset = () => {
    const svg = d3.select(svgRef.current!);
    if (zoomRef.current) svg.transition().duration(150).call(zoomRef.current.transform, d3.zoomIdentity);
  };

  return (
    <div className="timeline" data-testid="timeline">
      <svg ref={svgRef} className="timeline-svg" data-testid="timeline-svg" />
      <div className="timeline-zoom">
        <button onClick={() => zoomBy(2)} title="Zoom in (wheel)" aria-label="Zoom in" data-testid="zoom-in">+</button>
        <button onClick={() => zoomBy(0.5)} title="Zoom out" aria-label="Zoom out" data-testid="zoom-out">−</button>
        <button onClick={reset} title="Whole run" aria-label="Reset zoom" data-testid="zoom-reset">⤢</button>
      </div>
    </div>
  );
}
