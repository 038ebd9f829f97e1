/**
 * The page: a scenario (or file, or trace), one run or two side by side, a transport shared by
 * both, and the panels. Everything the URL can say (scenario, seed, overrides, compare, forks,
 * step) is written back to it, so a link reproduces what the class sees.
 */
import type React from 'react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { apiCategories, type ApiCategory } from '../core/describeEntry';
import type { RunSpec } from '../core/model';
import type { At } from '../core/protocol';
import type { Mark, MarkKind, StepView, Summary } from '../core/view';
import { defaultScenario, scenarios } from '../scenarios';
import { ClusterView } from './ClusterView';
import { DeliveryPanel } from './DeliveryPanel';
import { Legend } from './Legend';
import { CoordinatorPanel, EventLog, GroupsPanel, ProducersLine, ThroughputChart } from './Panels';
import { GlossaryPanel } from './GlossaryPanel';
import { PartitionView, type ColourBy } from './PartitionView';
import { Timeline } from './Timeline';
import { TopBar } from './TopBar';
import { LogWindowControls } from './LogWindowControls';
import { FaultMenu, HelpOverlay, jumpKeys, speeds, Transport, type StepUnit } from './Transport';
import { Countdowns, StoryBar } from './Story';
import { diffFates } from './compareDiff';
import { metricInfo, metricValue } from './metrics';
import { nextNotable } from './stepping';
import { formatOverrides, parseOverrides, readUrl, writeUrl, type ForkSpec, type Overrides } from './urlState';
import { useRun, type Run } from './useRun';
import { createPlayClock, type PlayClock } from './playClock';
import { storyStopBetween } from './storyStops';

type Source =
  | { kind: 'scenario'; name: string }
  | { kind: 'file'; name: string; json: unknown }
  | { kind: 'trace'; name: string; ndjson: string }
  | { kind: 'demo' };

type Tab = 'partitions' | 'groups' | 'coordinator' | 'delivery' | 'glossary';

const initialUrl = readUrl(window.location.search);

function initialSource(): Source {
  const named = initialUrl.scenario ? scenarios.find((s) => s.name === initialUrl.scenario) : undefined;
  if (named) return { kind: 'scenario', name: named.name };
  if (initialUrl.scenario === 'engine-demo') return { kind: 'demo' };
  const d = defaultScenario();
  return d ? { kind: 'scenario', name: d.name } : { kind: 'demo' };
}

function specOf(source: Source, seed: string, overrides: Overrides): RunSpec | null {
  const seedValue = seed.trim() === '' ? undefined : /^\d+$/.test(seed.trim()) ? Number(seed.trim()) : seed.trim();
  switch (source.kind) {
    case 'scenario': {
      const s = scenarios.find((x) => x.name === source.name);
      return s ? { source: 'scenario', file: s.file, scenario: s.json, seed: seedValue, overrides } : null;
    }
    case 'file':
      return { source: 'scenario', file: source.name, scenario: source.json, seed: seedValue, overrides };
    case 'trace':
      return { source: 'trace', file: source.name, ndjson: source.ndjson };
    case 'demo':
      return { source: 'pingpong', seed: seedValue };
  }
}

function nextMark(marks: Mark[], kind: MarkKind | 'any', dir: 1 | -1, from: { step?: number; time?: number }): Mark | undefined {
  const list = kind === 'any' ? marks : marks.filter((m) => m.kind === kind);
  if (from.step !== undefined) {
    const s = from.step;
    return dir > 0 ? list.find((m) => m.step > s) : [...list].reverse().find((m) => m.step < s);
  }
  const t = from.time!;
  return dir > 0 ? list.find((m) => m.time > t) : [...list].reverse().find((m) => m.time < t);
}

export function App() {
  const [source, setSource] = useState<Source>(initialSource);
  const [seed, setSeed] = useState(initialUrl.seed ?? '');
  const [seedDraft, setSeedDraft] = useState(initialUrl.seed ?? '');
  const [overrides, setOverrides] = useState<Overrides>(initialUrl.overrides);
  const [overridesDraft, setOverridesDraft] = useState(formatOverrides(initialUrl.overrides));
  const [compare, setCompare] = useState<[Overrides, Overrides] | null>(initialUrl.compare);
  const [compareDraft, setCompareDraft] = useState<[string, string]>(
    initialUrl.compare ? [formatOverrides(initialUrl.compare[0]), formatOverrides(initialUrl.compare[1])] : ['acks=1', 'acks=all'],
  );
  const [target, setTarget] = useState<At>(initialUrl.compare && typeof initialUrl.time === 'number' ? { time: initialUrl.time } : { step: initialUrl.step ?? 0 });
  const [stepUnit, setStepUnit] = useState<StepUnit>(initialUrl.by === 'step' ? 'step' : 'event');
  const [narrated, setNarrated] = useState(false);
  const [captionAt, setCaptionAt] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [jumpKind, setJumpKind] = useState<MarkKind | 'any'>('fault');
  const [tab, setTab] = useState<Tab>('partitions');
  const [pageWidth, setPageWidth] = useState(window.innerWidth);
  useEffect(() => {
    const onResize = () => setPageWidth(window.innerWidth);
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const wide = pageWidth >= 1600;
  const [help, setHelp] = useState(false);
  const [gallery, setGallery] = useState(false);
  const [large, setLarge] = useState(false);
  const [colourBy, setColourBy] = useState<ColourBy>('producer');
  const [apiFilter, setApiFilter] = useState<Set<ApiCategory>>(() => new Set(apiCategories));
  const [logFrom, setLogFrom] = useState<number | undefined>(undefined);
  const [faultMenu, setFaultMenu] = useState<{ node: string; x: number; y: number } | null>(null);
  const [forks, setForks] = useState<Record<number, ForkSpec[]>>({ 0: [] });
  /** The time on screen while playing: moves every frame without rendering the page (playClock.ts). */
  const [clock] = useState(() => createPlayClock(0));
  const [loadError, setLoadError] = useState<string | null>(null);
  const clockRef = useRef(0);
  /** The step on screen when playback last paused: a story moment in that same millisecond but later still stops it. */
  const shownStepRef = useRef(0);
  const pendingForks = useRef<ForkSpec[]>(initialUrl.forks);

  const spec = useMemo(() => specOf(source, seed, overrides), [source, seed, overrides]);
  const specA = useMemo(() => (compare ? specOf(source, seed, { ...overrides, ...compare[0] }) : null), [source, seed, overrides, compare]);
  const specB = useMemo(() => (compare ? specOf(source, seed, { ...overrides, ...compare[1] }) : null), [source, seed, overrides, compare]);
  // Base text for a room: 16 px, 20 px in large mode (styles.css --fs); cells scale with it.
  const fontPx = large ? 20 : 16;
  const cellWidth = Math.round(fontPx * 1.9);
  // Narrow enough to show a lagging follower and the leader's tail together; offsets then go vertical or to the ruler.
  const minCellWidth = 6;
  const [revealLosses, setRevealLosses] = useState(!initialUrl.predict);
  const [panelWidth, setPanelWidth] = useState(620);
  const panelObserver = useRef<ResizeObserver | null>(null);
  const measurePanel = useCallback((el: HTMLElement | null) => {
    panelObserver.current?.disconnect();
    if (!el) return;
    panelObserver.current = new ResizeObserver(() => setPanelWidth(el.clientWidth));
    panelObserver.current.observe(el);
  }, []);
  // As many cells as fit beside the replica labels: the log is windowed to what is visible.
  // A window wider than `preferred` (a lagging follower, the HW far behind) squeezes the cells.
  const labelWidth = Math.round(fontPx * (compare ? 8 : 10.5));
  const cellsPx = Math.max(160, panelWidth - labelWidth - 30);
  const windowSize = Math.max(8, Math.floor((cellsPx - 70) / minCellWidth));
  const preferred = Math.max(6, Math.floor((cellsPx - 70) / cellWidth));
  const window_ = useMemo(() => ({ from: logFrom, size: windowSize, preferred }), [logFrom, windowSize, preferred]);

  const onLoaded = useCallback((s: Summary) => {
    void s;
  }, []);
  /** Bumped when playback stops: the views on screen came from playback, so the target's view is asked for again. */
  const [afterPlay, setAfterPlay] = useState(0);
  const shownTarget = playing ? null : target;
  const main = useRun(compare ? null : spec, shownTarget, window_, onLoaded, afterPlay);
  const left = useRun(specA, shownTarget, window_, undefined, afterPlay);
  const right = useRun(specB, shownTarget, window_, undefined, afterPlay);
  const runs: Run[] = compare ? [left, right] : [main];
  const runsRef = useRef(runs);
  runsRef.current = runs;
  const playingRef = useRef(playing);
  playingRef.current = playing;
  /**
   * Pauses playback. While playing, the frames ask for views directly (useRun's request) and the
   * target state stays where play began: it becomes the time playback reached.
   */
  const pause = useCallback(() => {
    if (playingRef.current) {
      setTarget({ time: Math.floor(clockRef.current) });
      setAfterPlay((n) => n + 1);
    }
    setPlaying(false);
  }, []);
  const lead = runs[0];
  const view = lead.view;
  const summary = lead.summary;
  const endTime = Math.max(...runs.map((r) => r.summary?.endTime ?? 0), 0);
  /**
   * What is on screen as of the last render, read by the transport's and the keys' callbacks, so
   * that those stay the same functions from view to view and the memoised controls are skipped.
   */
  const shownRef = useRef({ view, summary, runs, compare, endTime, stepUnit, playing });
  shownRef.current = { view, summary, runs, compare, endTime, stepUnit, playing };

  // Replay the forks a shared link names, once the run is loaded.
  useEffect(() => {
    if (compare || !main.summary || pendingForks.current.length === 0 || main.loading) return;
    const [next, ...rest] = pendingForks.current;
    pendingForks.current = rest;
    main.fork(next.step, { type: next.type, node: next.node, ...(next.type === 'pause' ? { durationMs: 2000 } : {}) } as never).then((b) => {
      if (b !== null) setForks((f) => ({ ...f, [b]: [...(f[main.branch] ?? []), next] }));
    });
  }, [compare, main.summary, main.loading, main]);

  // The clock follows the view when paused; it drives the view when playing.
  useEffect(() => {
    if (!playing && view) {
      clockRef.current = view.time;
      shownStepRef.current = view.step;
      clock.set(view.time);
    }
  }, [view, playing, clock]);

  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    let raf = 0;
    const story = narrated && !compare ? summary?.story ?? [] : [];
    const tick = (now: number) => {
      // A frame's timestamp can precede the effect's performance.now(): never run the clock backwards
      // (narrated mode would stop on the moment it has just left).
      const dt = Math.max(0, Math.min(100, now - last));
      last = now;
      const before = clockRef.current;
      clockRef.current = Math.min(endTime, clockRef.current + dt * speed);
      // Narrated: stop on the key moment the clock just reached, on its exact step, with its caption.
      const moment = storyStopBetween(story, before, clockRef.current, shownStepRef.current);
      if (moment) {
        clockRef.current = moment.time;
        clock.set(moment.time);
        setTarget({ step: moment.step });
        setAfterPlay((n) => n + 1);
        setCaptionAt(moment.step);
        setPlaying(false);
        return;
      }
      // The dots and countdowns follow the clock; the page renders when the view arrives.
      clock.set(clockRef.current);
      for (const r of runsRef.current) r.request({ time: Math.floor(clockRef.current) });
      if (clockRef.current >= endTime) {
        setTarget({ time: Math.floor(clockRef.current) });
        setAfterPlay((n) => n + 1);
        setPlaying(false);
        return;
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing, speed, endTime, narrated, compare, summary?.story, clock]);

  // The URL says what is on screen.
  useEffect(() => {
    const state = {
      scenario: source.kind === 'scenario' ? source.name : source.kind === 'demo' ? 'engine-demo' : null,
      seed: seed || null,
      overrides,
      compare,
      forks: compare ? [] : forks[main.branch] ?? [],
      step: compare ? null : view?.step ?? null,
      time: compare ? (lead.view?.time ?? null) : null,
      predict: !revealLosses,
      by: stepUnit === 'step' ? 'step' : null,
    };
    const handle = setTimeout(() => window.history.replaceState(null, '', writeUrl(state)), playing ? 500 : 50);
    return () => clearTimeout(handle);
  }, [source, seed, overrides, compare, forks, main.branch, view?.step, lead.view?.time, playing, revealLosses, stepUnit]);

  const stepBy = useCallback((n: number) => {
    pause();
    const { view, compare, runs, summary, endTime, stepUnit } = shownRef.current;
    if (!view) return;
    if (compare) {
      const views = runs.map((r) => r.view).filter(Boolean) as StepView[];
      if (Math.abs(n) === 1) {
        const times = views.map((v) => (n > 0 ? v.nextTime : v.prevTime)).filter((t): t is number => t !== null);
        if (times.length === 0) return;
        setTarget({ time: n > 0 ? Math.min(...times) : Math.max(...times) });
      } else {
        setTarget({ time: Math.max(0, Math.min(endTime, view.time + n)) });
      }
      return;
    }
    // Count from the step already asked for: quick presses arrive before the worker has answered.
    setTarget((pending) => {
      const from = 'step' in pending && pending.step !== undefined ? pending.step : view.step;
      if (Math.abs(n) === 1 && stepUnit === 'event' && summary) return { step: nextNotable(summary.notableSteps, from, n > 0 ? 1 : -1, summary.steps) };
      return { step: Math.max(0, Math.min(summary?.steps ?? 0, from + n)) };
    });
  }, [pause]);

  const jump = useCallback((kind: MarkKind | 'any', dir: 1 | -1) => {
    pause();
    const { view, summary, compare, runs } = shownRef.current;
    if (!view || !summary) return;
    if (compare) {
      const found = runs.map((r) => r.summary && nextMark(r.summary.marks, kind, dir, { time: view.time })).filter(Boolean) as Mark[];
      if (found.length === 0) return;
      setTarget({ time: dir > 0 ? Math.min(...found.map((m) => m.time)) : Math.max(...found.map((m) => m.time)) });
      return;
    }
    const m = nextMark(summary.marks, kind, dir, { step: view.step });
    if (m) setTarget({ step: m.step });
  }, [pause]);

  const gotoStep = useCallback((step: number) => {
    pause();
    setTarget({ step });
  }, []);

  const togglePlay = useCallback(() => {
    const { playing, view, endTime } = shownRef.current;
    if (playing) {
      pause();
      return;
    }
    if (view && view.time >= endTime) {
      clockRef.current = 0;
      setTarget({ time: 0 });
    }
    setPlaying(true);
  }, [pause]);

  const toggleNarrated = useCallback(() => {
    setNarrated((on) => {
      if (!on) {
        setCaptionAt(null);
        setPlaying(true);
      }
      return !on;
    });
  }, []);

  const changeSpeed = useCallback((dir: 1 | -1) => {
    setSpeed((s) => speeds[Math.max(0, Math.min(speeds.length - 1, speeds.indexOf(s) + dir))] ?? s);
  }, []);

  const toggleCompare = useCallback(() => {
    pause();
    const { compare, view } = shownRef.current;
    if (compare) {
      setCompare(null);
      setTarget({ time: view?.time ?? 0 });
    } else {
      setCompare([parseOverrides(compareDraft[0]), parseOverrides(compareDraft[1])]);
      setTarget({ time: view?.time ?? 0 });
    }
  }, [compareDraft, pause]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      const keyJumps = jumpKeys;
      const lower = e.key.toLowerCase();
      if (e.key === ' ') togglePlay();
      else if (e.key === 'ArrowRight') stepBy(e.shiftKey ? 100 : 1);
      else if (e.key === 'ArrowLeft') stepBy(e.shiftKey ? -100 : -1);
      else if (e.key === 'Home') compare ? setTarget({ time: 0 }) : gotoStep(0);
      else if (e.key === 'End') compare ? setTarget({ time: endTime }) : gotoStep(summary?.steps ?? 0);
      else if (e.key === ']') jump(jumpKind, 1);
      else if (e.key === '[') jump(jumpKind, -1);
      else if (keyJumps[lower] && !e.ctrlKey && !e.metaKey && !e.altKey) jump(keyJumps[lower], e.shiftKey ? -1 : 1);
      else if (e.key === '+' || e.key === '=') changeSpeed(1);
      else if (e.key === '-') changeSpeed(-1);
      else if (lower === 'c' && !e.ctrlKey && !e.metaKey) toggleCompare();
      else if (lower === 'g' && !e.ctrlKey && !e.metaKey) setLarge((v) => !v);
      else if (lower === 'n' && !e.ctrlKey && !e.metaKey) toggleNarrated();
      else if (lower === 'u' && !e.ctrlKey && !e.metaKey) setStepUnit((u) => (u === 'event' ? 'step' : 'event'));
      else if (e.key === '?') setHelp((h) => !h);
      else if (e.key === 'Escape') {
        setHelp(false);
        setGallery(false);
        setFaultMenu(null);
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePlay, stepBy, jump, jumpKind, gotoStep, summary, changeSpeed, toggleCompare, compare, endTime, toggleNarrated]);

  const openFaultMenu = useCallback((node: string, at: { x: number; y: number }) => setFaultMenu({ node, ...at }), []);

  const onScrub = useCallback((time: number) => {
    pause();
    setTarget({ time });
  }, []);

  const injectFault = async (type: 'crash' | 'restart' | 'pause' | 'resume') => {
    if (!faultMenu || !view) return;
    const node = faultMenu.node;
    setFaultMenu(null);
    pause();
    const step = view.step;
    const fault = type === 'pause' ? { type, node, durationMs: 2000 } : { type, node };
    const parentForks = forks[main.branch] ?? [];
    const b = await main.fork(step, fault);
    if (b !== null) {
      setForks((f) => ({ ...f, [b]: [...parentForks, { type, node, step }] }));
      setTarget({ step: step + 1 });
    }
  };

  const openFile = useCallback(async (file: File) => {
    const text = await file.text();
    setLoadError(null);
    pause();
    setTarget({ step: 0 });
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (json && typeof json === 'object' && !Array.isArray(json) && 'cluster' in (json as object)) {
      setSource({ kind: 'file', name: file.name, json });
    } else if (text.trim().startsWith('{')) {
      setSource({ kind: 'trace', name: file.name, ndjson: text });
    } else {
      setLoadError(`${file.name}: neither a scenario (JSON with "cluster") nor a trace (NDJSON)`);
    }
  }, [pause]);

  const pickScenario = useCallback((value: string) => {
    pause();
    setTarget({ step: 0 });
    setLogFrom(undefined);
    setForks({ 0: [] });
    pendingForks.current = [];
    setSource(value === 'engine-demo' ? { kind: 'demo' } : { kind: 'scenario', name: value });
  }, [pause]);
  const commitSeed = useCallback(() => setSeed(seedDraft), [seedDraft]);
  const commitOverrides = useCallback(() => setOverrides(parseOverrides(overridesDraft)), [overridesDraft]);
  const toggleLarge = useCallback(() => setLarge((v) => !v), []);
  const openGallery = useCallback(() => setGallery(true), []);
  const setMainBranch = main.setBranch;
  const switchBranch = useCallback((b: number) => {
    setMainBranch(b);
    setTarget({ step: shownRef.current.view?.step ?? 0 });
  }, [setMainBranch]);
  const openHelp = useCallback(() => setHelp(true), []);

  const currentScenario = source.kind === 'scenario' ? scenarios.find((s) => s.name === source.name) : undefined;
  const lesson = summary?.lesson ?? currentScenario?.lesson ?? '';
  const title = summary?.title ?? currentScenario?.title ?? '';
  const error = loadError ?? runs.find((r) => r.error)?.error ?? null;
  const loading = runs.some((r) => r.loading || (!r.summary && !r.error));
  const producers = useMemo(() => summary?.nodes.filter((n) => n.role === 'producer').map((n) => n.id) ?? [], [summary?.nodes]);
  // Stable, so that the legend (memoised) is not re-rendered with every view while playing.
  const toggleApi = useCallback((c: ApiCategory) => setApiFilter((f) => {
    const n = new Set(f);
    if (n.has(c)) n.delete(c);
    else n.add(c);
    return n;
  }), []);
  const maxOffset = Math.max(0, ...(view?.topics.map((t) => t.window.max) ?? [0]));
  const shownFrom = Math.min(...(view?.topics.filter((t) => !t.topic.startsWith('__')).map((t) => t.window.from) ?? [0]), maxOffset);
  /** The log window's buttons page from the window on screen: read at the click, so that they stay the same functions from view to view. */
  const logPaging = useRef({ logFrom, shownFrom, preferred, maxOffset });
  logPaging.current = { logFrom, shownFrom, preferred, maxOffset };
  const logOlder = useCallback(() => {
    const { logFrom, shownFrom, preferred } = logPaging.current;
    setLogFrom(Math.max(0, (logFrom ?? shownFrom) - preferred));
  }, []);
  const logNewer = useCallback(() => {
    const { logFrom, preferred, maxOffset } = logPaging.current;
    setLogFrom(logFrom === undefined ? undefined : logFrom + preferred >= maxOffset - preferred ? undefined : logFrom + preferred);
  }, []);
  const logAutomatic = useCallback(() => setLogFrom(undefined), []);
  const hideLosses = useCallback((hide: boolean) => setRevealLosses(!hide), []);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const fateDiff = useMemo(() => (compare ? diffFates(left.report, right.report) : null), [compare, left.report, right.report]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const presentKinds = useMemo(() => new Set(runs.flatMap((r) => r.summary?.marks.map((m) => m.kind) ?? [])), [compare, main.summary, left.summary, right.summary]);
  const down = useMemo(() => new Set(view?.nodes.filter((n) => n.status === 'crashed').map((n) => n.id) ?? []), [view?.nodes]);
  const faultStatus = faultMenu ? view?.nodes.find((n) => n.id === faultMenu.node)?.status ?? 'up' : 'up';

  const partitionsBlock = view && (
    <>
      <LogWindowControls automatic={logFrom === undefined} older={logOlder} newer={logNewer} backToAutomatic={logAutomatic} hideLosses={!revealLosses} setHideLosses={hideLosses} />
      <PartitionView topics={view.topics} colourBy={colourBy} cellWidth={cellWidth} minCellWidth={minCellWidth} cellsPx={cellsPx} down={down} step={view.step} revealLossesEarly={revealLosses} cellFontPx={fontPx * 0.78} />
    </>
  );
  // On a wide screen the partitions stay in view above the tabs: the 1920 px projector is used.
  const shownTab: Tab = wide && tab === 'partitions' ? 'groups' : tab;

  return (
    <div className={`app${large ? ' large' : ''}`} style={{ '--label-w': `${labelWidth}px` } as React.CSSProperties} data-testid="app" data-ready={!loading && view ? 'true' : 'false'} data-playing={playing ? 'true' : 'false'} data-worker-ms={lead.workerMs.toFixed(1)}>
      <TopBar
        picked={source.kind === 'scenario' ? source.name : source.kind === 'demo' ? 'engine-demo' : '__file'}
        fileName={source.kind === 'file' || source.kind === 'trace' ? source.name : null}
        onPick={pickScenario}
        seedDraft={seedDraft}
        setSeedDraft={setSeedDraft}
        commitSeed={commitSeed}
        overridesDraft={overridesDraft}
        setOverridesDraft={setOverridesDraft}
        commitOverrides={commitOverrides}
        openFile={openFile}
        compare={Boolean(compare)}
        toggleCompare={toggleCompare}
        colourBy={colourBy}
        setColourBy={setColourBy}
        large={large}
        toggleLarge={toggleLarge}
        openGallery={openGallery}
        openHelp={openHelp}
      />
      <div className="lesson" data-testid="lesson" title={lesson}>
        <b data-testid="scenario-title">{title}</b>{lesson && ' — '}{lesson}
      </div>
      {compare && (
        <div className="compare-bar">
          Compare:
          <input value={compareDraft[0]} onChange={(e) => setCompareDraft([e.target.value, compareDraft[1]])} onKeyDown={(e) => e.key === 'Enter' && setCompare([parseOverrides(compareDraft[0]), parseOverrides(compareDraft[1])])} data-testid="compare-left-input" />
          vs
          <input value={compareDraft[1]} onChange={(e) => setCompareDraft([compareDraft[0], e.target.value])} onKeyDown={(e) => e.key === 'Enter' && setCompare([parseOverrides(compareDraft[0]), parseOverrides(compareDraft[1])])} data-testid="compare-right-input" />
          <button onClick={() => setCompare([parseOverrides(compareDraft[0]), parseOverrides(compareDraft[1])])} data-testid="compare-apply">Apply</button>
          <span className="muted">same scenario and seed, stepping together by time</span>
        </div>
      )}
      <Transport
        playing={playing}
        onPlay={togglePlay}
        onStep={stepBy}
        onJump={jump}
        jumpKind={jumpKind}
        setJumpKind={setJumpKind}
        speed={speed}
        setSpeed={setSpeed}
        step={view?.step ?? 0}
        steps={summary?.steps ?? 0}
        time={view?.time ?? 0}
        endTime={endTime}
        branches={compare ? undefined : summary?.branches}
        branch={main.branch}
        setBranch={switchBranch}
        traceHash={compare ? undefined : summary?.traceHash}
        compare={Boolean(compare)}
        presentKinds={presentKinds}
        stepUnit={stepUnit}
        setStepUnit={setStepUnit}
      />
      {!compare && summary && view && (
        <StoryBar story={summary.story} narrated={narrated} playing={playing} captionAt={captionAt} step={view.step}
          onToggle={toggleNarrated} onContinue={() => setPlaying(true)} onGoto={gotoStep} />
      )}
      <Timeline marks={compare ? mergeMarks(left.summary, right.summary) : summary?.marks ?? []} endTime={endTime} time={view?.time ?? 0} onScrub={onScrub} large={large} />
      {error && <div className="error" data-testid="error">{error}</div>}
      {loading && !error && <div className="loading" data-testid="loading">Running the simulation…</div>}
      {!compare && view && summary && (
        <main className={`main${wide ? ' wide' : ''}`}>
          <div className="left">
            <ClusterView nodes={summary.nodes} view={view} clock={clock} playing={playing} apiFilter={apiFilter} scale={large ? 1.25 : 1} onNodeClick={summary.live ? openFaultMenu : undefined} />
            <ProducersLine view={view} />
            <Countdowns countdowns={view.countdowns} clock={clock} playing={playing} viewTime={view.time} />
            <div className="inflight muted" data-testid="inflight-count">{view.inFlightTotal} message{view.inFlightTotal === 1 ? '' : 's'} in flight{summary.live ? ' · click a node to inject a fault' : ' · recorded trace (no live faults)'}</div>
            <EventLog lines={view.recent} onJump={gotoStep} />
          </div>
          <div className="right">
            {wide && <div className="wide-partitions" ref={measurePanel}>{partitionsBlock}</div>}
            <nav className="tabs" role="tablist">
              {((wide ? ['groups', 'coordinator', 'delivery', 'glossary'] : ['partitions', 'groups', 'coordinator', 'delivery', 'glossary']) as Tab[]).map((t) => (
                <button key={t} role="tab" aria-selected={shownTab === t} className={shownTab === t ? 'on' : ''} onClick={() => setTab(t)} data-testid={`tab-${t}`}>
                  {t === 'delivery' ? `delivery (${deliveryHeadline(summary)})` : t === 'coordinator' ? (large ? 'coordinator' : 'coordinator & controller') : t === 'groups' ? (large ? 'groups' : 'consumer groups') : t}
                </button>
              ))}
            </nav>
            <div className="tab-body" ref={wide ? undefined : measurePanel}>
              {shownTab === 'partitions' && partitionsBlock}
              {shownTab === 'groups' && (
                <>
                  <ThroughputChart throughput={summary.throughput} clock={clock} playing={playing} viewTime={view.time} endTime={summary.durationMs} />
                  <GroupsPanel view={view} />
                </>
              )}
              {shownTab === 'coordinator' && <CoordinatorPanel view={view} />}
              {shownTab === 'delivery' && <DeliveryPanel report={main.report} onJump={gotoStep} />}
              {shownTab === 'glossary' && <GlossaryPanel />}
            </div>
          </div>
        </main>
      )}
      {compare && fateDiff && (
        <div className="compare-diff" data-testid="compare-diff">
          {fateDiff.ids.size === 0 ? <span>Every record has the same fate on both sides.</span> : (
            <>
              <b data-testid="compare-diff-count">{fateDiff.ids.size}</b> record{fateDiff.ids.size === 1 ? '' : 's'} differ in fate (outlined in the logs):{' '}
              {fateDiff.groups.map((g) => (
                <span key={`${g.left}|${g.right}`} className="diff-group" title={g.ids.join(', ')}>
                  {g.ids.length} {g.left} with {formatOverrides(compare[0]) || 'as written'}, {g.right} with {formatOverrides(compare[1]) || 'as written'}
                  <span className="muted"> ({g.ids.slice(0, 3).join(', ')}{g.ids.length > 3 ? ', …' : ''})</span>
                </span>
              ))}
            </>
          )}
        </div>
      )}
      {compare && (
        <main className="compare" data-testid="compare" ref={(el) => measurePanel(el?.firstElementChild as HTMLElement | null)}>
          {[left, right].map((r, i) => (
            <ComparePane key={i} side={i === 0 ? 'left' : 'right'} label={formatOverrides(compare[i])} run={r} apiFilter={apiFilter} colourBy={colourBy} cellWidth={cellWidth} minCellWidth={minCellWidth} cellsPx={cellsPx} cellFontPx={fontPx * 0.78} revealLosses={revealLosses} clock={clock} playing={playing} highlight={fateDiff?.ids} />
          ))}
        </main>
      )}
      <Legend producers={producers} apiFilter={apiFilter} toggleApi={toggleApi} />
      {help && <HelpOverlay onClose={() => setHelp(false)} />}
      {gallery && (
        <div className="overlay" onClick={() => setGallery(false)} data-testid="scenario-gallery">
          <div className="overlay-box gallery" onClick={(e) => e.stopPropagation()} role="dialog" aria-label="Scenarios">
            <h3>Scenarios</h3>
            <ul>
              {scenarios.map((sc) => (
                <li key={sc.name}>
                  <button className={source.kind === 'scenario' && source.name === sc.name ? 'on' : ''} onClick={() => { pickScenario(sc.name); setGallery(false); }} data-testid={`scenario-card-${sc.name}`}>
                    <span className="g-title">{sc.title}</span>
                    <span className="g-lesson">{sc.lesson}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      {faultMenu && <FaultMenu node={faultMenu.node} status={faultStatus} x={faultMenu.x} y={faultMenu.y} onPick={injectFault} onClose={() => setFaultMenu(null)} />}
    </div>
  );
}

/** The tab says the number the lesson is about (its first `expect` number), lost records otherwise. */
function deliveryHeadline(s: Summary): string {
  const m = s.lessonMetrics.find((x) => x.key !== 'longestAckGapMs');
  if (!m || m.key === 'lost') return `${s.lost} lost`;
  return `${metricValue(m.key, s) ?? 0} ${metricInfo[m.key].label}`;
}

function mergeMarks(a: Summary | null, b: Summary | null): Mark[] {
  return [...(a?.marks ?? []), ...(b?.marks ?? [])].sort((x, y) => x.time - y.time);
}

interface ComparePaneProps {
  side: string; label: string; run: Run; apiFilter: Set<ApiCategory>; colourBy: ColourBy;
  cellWidth: number; minCellWidth: number; cellsPx: number; cellFontPx: number; revealLosses: boolean; clock: PlayClock; playing: boolean;
  highlight?: ReadonlySet<string>;
}

function ComparePane({ side, label, run, apiFilter, colourBy, cellWidth, minCellWidth, cellsPx, cellFontPx, revealLosses, clock, playing, highlight }: ComparePaneProps) {
  const s = run.summary;
  const v = run.view;
  return (
    <section className="compare-pane" data-testid={`compare-${side}`}>
      <header>
        <b>{label || '(as written)'}</b>
        {s && (
          <span>
            lost <b data-testid={`compare-${side}-lost`}>{s.lost}</b> of {s.acknowledged} acknowledged · duplicated <b data-testid={`compare-${side}-duplicated`}>{s.duplicated}</b> · reordered {s.reordered} · unprocessed <b data-testid={`compare-${side}-unprocessed`}>{s.unprocessed}</b> · output duplicates <b data-testid={`compare-${side}-outputDuplicates`}>{s.outputDuplicates}</b>
          </span>
        )}
        {s && <code className="hash" data-testid={`compare-${side}-hash`}>{s.traceHash}</code>}
      </header>
      {run.error && <div className="error">{run.error}</div>}
      {s && v && (
        <>
          <ClusterView nodes={s.nodes} view={v} clock={clock} playing={playing} apiFilter={apiFilter} compact testPrefix={`${side}-`} />
          <div className="compare-step muted">step {v.step} · t = {(v.time / 1000).toFixed(3)} s</div>
          <PartitionView topics={v.topics} colourBy={colourBy} cellWidth={cellWidth} minCellWidth={minCellWidth} cellsPx={cellsPx} cellFontPx={cellFontPx}
            testPrefix={`${side}-`} down={new Set(v.nodes.filter((n) => n.status === 'crashed').map((n) => n.id))} step={v.step} revealLossesEarly={revealLosses} highlight={highlight} />
        </>
      )}
    </section>
  );
}
