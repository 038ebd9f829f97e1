/**
 * The worker's core, free of any worker API so that Node tests run it as is: builds the run,
 * runs it to the end inside a Timeline, indexes the trace once, and answers the page's
 * questions. A live fault forks a new branch from a step; every branch stays reachable.
 */
import { JoinedTrace, Timeline, traceHash, type Simulation, type Trace, type WorldState } from '@kafkasim/engine';
import { attachConsumerMarks, buildStepView } from './buildView';
import type { DeliveryLike, InjectedFault, Model, RunSpec, StoryMoment, ViolationLike } from './model';
import { roleOf } from './model';
import { parseTraceNdjson } from './traceFile';
import { TraceIndex } from './traceIndex';
import type { BranchInfo, LessonMetric, StoryStep, LogWindowRequest, NodeInfo, RecordIssueView, ReportView, StepView, Summary } from './view';

export interface SessionOptions {
  /** Steps between the timeline's checkpoints: the worst-case replay of a view request. */
  checkpointEvery?: number;
  maxCheckpoints?: number;
}

interface Branch {
  info: BranchInfo;
  story: StoryStep[];
  notableSteps: number[];
  parent: Branch | null;
  timeline: Timeline | null;
  trace: Trace;
  index: TraceIndex;
  /** stepTimes[s] = virtual time after step s. */
  stepTimes: Float64Array;
  endStep: number;
  report: DeliveryLike | null;
  violations: ViolationLike[];
  lost: Set<string>;
  hash: string;
}

export class Session {
  readonly branches: Branch[] = [];
  readonly title: string;
  readonly lesson: string;
  readonly durationMs: number;
  readonly nodes: NodeInfo[];
  readonly lessonMetrics: LessonMetric[] = [];
  private readonly storyMoments: StoryMoment[] = [];

  constructor(readonly spec: RunSpec, private readonly model: Model | null, private readonly options: SessionOptions = {}) {
    if (spec.source === 'trace') {
      const trace = parseTraceNdjson(spec.ndjson);
      this.title = spec.file;
      this.lesson = 'A recorded trace: the facts it holds, without the nodes\' state.';
      this.nodes = inferNodes(trace);
      const endTime = trace.length > 0 ? trace[trace.length - 1].time : 0;
      this.durationMs = endTime;
      this.branches.push(this.makeBranch({ id: 0, label: 'trace', parent: null, forkStep: null }, null, null, trace, stepTimesOf(trace)));
      return;
    }
    if (!model) throw new Error('a scenario needs the model');
    const built = model.build(spec);
    this.title = built.title;
    this.lesson = built.lesson;
    this.durationMs = built.durationMs;
    this.nodes = built.nodes;
    this.lessonMetrics = built.lessonMetrics ?? [];
    this.storyMoments = built.story ?? [];
    const { timeline, times } = this.runToEnd(built.sim, [0]);
    this.branches.push(this.makeBranch({ id: 0, label: 'as scheduled', parent: null, forkStep: null }, null, timeline, built.sim.trace, times));
  }

  private runToEnd(sim: Simulation, times: number[]): { timeline: Timeline; times: Float64Array } {
    const timeline = new Timeline(sim, { checkpointEvery: this.options.checkpointEvery ?? 20, maxCheckpoints: this.options.maxCheckpoints ?? 600 });
    for (;;) {
      const next = sim.nextEventTime();
      if (next === undefined || next > this.durationMs) break;
      timeline.stepOnce();
      times[sim.step] = sim.now;
    }
    return { timeline, times: Float64Array.from(times) };
  }

  private makeBranch(info: BranchInfo, parent: Branch | null, timeline: Timeline | null, trace: Trace, stepTimes: Float64Array): Branch {
    const report = this.model ? this.model.report(trace) : null;
    const lostMap = new Map<string, string>();
    for (const r of report?.records ?? []) if (r.lost) lostMap.set(r.id, `${r.topic}-${r.partition}`);
    const index = new TraceIndex(trace, { lost: lostMap });
    const violations = this.model ? this.model.violations(this.spec, trace, report) : [];
    return {
      info, parent, timeline, trace, index, stepTimes,
      story: this.resolveStory(index, stepTimes),
      notableSteps: index.notableSteps(),
      endStep: stepTimes.length - 1,
      report, violations,
      lost: new Set(lostMap.keys()),
      hash: traceHash(trace),
    };
  }

  /** Each key moment at its step: the first matching fact at or after its time, or the step at its time. A moment the run never reaches is left out. */
  private resolveStory(index: TraceIndex, stepTimes: Float64Array): StoryStep[] {
    const steps: StoryStep[] = [];
    for (const m of this.storyMoments) {
      if (m.fact !== undefined) {
        const found = index.firstFactStep(m.fact, m.atMs ?? 0, m.node);
        if (found) steps.push({ step: found.step, time: found.time, caption: m.caption });
      } else if (m.atMs !== undefined) {
        let lo = 0;
        let hi = stepTimes.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (stepTimes[mid] <= m.atMs) lo = mid;
          else hi = mid - 1;
        }
        steps.push({ step: lo, time: stepTimes[lo], caption: m.caption });
      }
    }
    return steps.sort((a, b) => a.step - b.step);
  }

  branch(id: number): Branch {
    const b = this.branches[id];
    if (!b) throw new Error(`no branch ${id}`);
    return b;
  }

  summary(id = 0): Summary {
    const b = this.branch(id);
    const report = b.report;
    return {
      branch: id,
      title: this.title,
      lesson: this.lesson,
      steps: b.endStep,
      durationMs: this.durationMs,
      endTime: b.stepTimes[b.endStep] ?? 0,
      traceHash: b.hash,
      traceLength: b.trace.length,
      marks: b.index.marks,
      nodes: this.nodes,
      live: b.timeline !== null,
      branches: this.branches.map((x) => x.info),
      lost: report?.lost ?? 0,
      lostByAcks: report?.lostByAcks ?? { '0': 0, '1': 0, all: 0 },
      acknowledged: report?.acknowledged ?? 0,
      duplicated: report?.duplicated ?? 0,
      reordered: report?.reordered ?? 0,
      unprocessed: report?.unprocessed ?? 0,
      outputDuplicates: report?.outputDuplicates ?? 0,
      lessonMetrics: this.lessonMetrics,
      story: b.story,
      notableSteps: b.notableSteps,
      throughput: b.index.throughput(this.durationMs),
      apis: b.index.apis,
    };
  }

  timeAt(id: number, step: number): number {
    const b = this.branch(id);
    return b.stepTimes[Math.max(0, Math.min(step, b.endStep))];
  }

  /** The last step whose time is <= `time` (0 before the first event). */
  stepAtTime(id: number, time: number): number {
    const times = this.branch(id).stepTimes;
    let lo = 0;
    let hi = times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (times[mid] <= time) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * The world at `step`, to read while building one view: the timeline's live replay state, not a
   * snapshot (see Timeline.peekAt), so it changes with the next request and a view keeps nothing of it.
   */
  worldAt(id: number, step: number): Readonly<WorldState> | null {
    const b = this.branch(id);
    if (b.parent && b.info.forkStep !== null && step <= b.info.forkStep) return this.worldAt(b.parent.info.id, step);
    return b.timeline ? b.timeline.peekAt(step) : null;
  }

  view(id: number, step: number, window: LogWindowRequest = { size: 32 }): StepView {
    const b = this.branch(id);
    const at = Math.max(0, Math.min(Math.round(step), b.endStep));
    const world = this.worldAt(id, at);
    const view = buildStepView({
      branch: id, step: at, time: b.stepTimes[at], nodes: this.nodes, facts: b.index.factsAt(at), index: b.index,
      world, lost: b.lost, window,
    });
    if (world && this.model) this.model.enrich(view, world, this.spec);
    attachConsumerMarks(view);
    view.nextTime = at < b.endStep ? b.stepTimes[at + 1] : null;
    const before = this.stepAtTime(id, b.stepTimes[at] - 1);
    view.prevTime = b.stepTimes[at] > 0 ? b.stepTimes[before] : null;
    return view;
  }

  report(id: number, limit = 300): ReportView {
    const b = this.branch(id);
    const r = b.report;
    const issues = (r?.records ?? []).filter((x) => x.lost || x.duplicatedInLog || x.duplicatedProcessing || x.reordered || x.unprocessedBy.length > 0);
    const records: RecordIssueView[] = issues.slice(0, limit).map((x) => ({
      id: x.id, producer: x.producer, key: x.key, tp: `${x.topic}-${x.partition ?? '?'}`, offset: x.offset, acks: x.acks,
      lost: x.lost, duplicated: x.duplicatedInLog || x.duplicatedProcessing, duplicatedInLog: x.duplicatedInLog,
      duplicatedProcessing: x.duplicatedProcessing, reordered: x.reordered, unprocessedBy: [...x.unprocessedBy], storedOn: x.storedOn,
      causes: x.causes,
    }));
    return {
      branch: id,
      produced: r?.produced ?? 0,
      acknowledged: r?.acknowledged ?? 0,
      failed: r?.failed ?? 0,
      lost: r?.lost ?? 0,
      lostByAcks: r?.lostByAcks ?? { '0': 0, '1': 0, all: 0 },
      duplicated: r?.duplicated ?? 0,
      duplicatedInLog: r?.duplicatedInLog ?? 0,
      duplicatedProcessing: r?.duplicatedProcessing ?? 0,
      reordered: r?.reordered ?? 0,
      consumedAtLeastOnce: r?.consumedAtLeastOnce ?? 0,
      unprocessed: r?.unprocessed ?? 0,
      outputDuplicates: r?.outputDuplicates ?? 0,
      outputMissing: r?.outputMissing ?? 0,
      outputAborted: r?.outputAborted ?? 0,
      longestAckGapMs: r?.longestAckGapMs ?? 0,
      lessonMetrics: this.lessonMetrics,
      records,
      truncated: Math.max(0, issues.length - limit),
      violations: b.violations,
    };
  }

  /** Replays `id` to `step`, applies the fault now, and runs the new branch to the end. */
  fork(id: number, step: number, fault: InjectedFault): number {
    const parent = this.branch(id);
    if (!parent.timeline && !parent.parent) throw new Error('a recorded trace cannot be forked');
    const owner = this.timelineOwner(parent, step);
    const sim = owner.timeline!.forkAt(step);
    sim.schedule(sim.now, fault);
    const times = Array.from(parent.stepTimes.subarray(0, step + 1));
    const { timeline, times: stepTimes } = this.runToEnd(sim, times);
    // The parent's entries through the fork step, then the fork's own: read through, not copied.
    const trace = new JoinedTrace(parent.trace, parent.index.countThrough(step), sim.trace);
    const label = `${fault.type} ${fault.node} @ step ${step}`;
    const branch = this.makeBranch({ id: this.branches.length, label, parent: id, forkStep: step }, parent, timeline, trace, stepTimes);
    this.branches.push(branch);
    return branch.info.id;
  }

  /** The branch whose timeline holds `step` (a fork's timeline starts at its fork step). */
  private timelineOwner(b: Branch, step: number): Branch {
    if (b.parent && b.info.forkStep !== null && step < b.info.forkStep) return this.timelineOwner(b.parent, step);
    return b;
  }
}

function stepTimesOf(trace: Trace): Float64Array {
  const last = trace.at(-1)?.step ?? 0;
  const times = new Float64Array(last + 1);
  let i = 0;
  let now = 0;
  for (let s = 0; s <= last; s++) {
    while (i < trace.length && trace.at(i)!.step === s) now = trace.at(i++)!.time;
    times[s] = now;
  }
  return times;
}

function inferNodes(trace: Trace): NodeInfo[] {
  const ids = new Set<string>();
  for (const e of trace) {
    if (e.node) ids.add(e.node);
    if (typeof e.from === 'string') ids.add(e.from);
  }
  return [...ids].sort().map((id) => ({ id, role: roleOf(id) }));
}
