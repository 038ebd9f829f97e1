import { addRun, advanceRun, earliestRun, orderRuns, sortedPlaces } from './cancelledRuns';
import { CancelledTimerIds } from './cancelledTimerIds';
import { EventQueue } from './eventQueue';
import type { Queued } from './queueOrder';
import { applyNetworkAction, createNetworkState, defaultNetworkConfig, isBlocked, linkKey, transmit, type Transmission } from './network';
import { RngStreams } from './rng';
import { defaultRunLimits, describeEvent, livelockError, LIVELOCK_SAMPLE_STEPS, stepBudgetError, type RunLimits } from './runLimits';
import { snapshot, thaw } from './snapshot';
import { traceHash } from './trace';
import { dataOfFact, TraceStore, type TracePayloads } from './traceStore';
import type { Behavior, ControlAction, NetworkConfig, NodeContext, NodeEvent, NodeId, Rng, TraceEntry } from './types';
import type { NodeRecord, QueuedEvent, WorldState } from './world';

export interface SimulationOptions {
  seed: string | number;
  network?: Partial<NetworkConfig>;
  /** Record a trace (default true). */
  trace?: boolean;
  /** Include each delivered message's payload in the trace (default true). */
  traceMessages?: boolean;
  /** How the in-memory trace keeps those payloads (default 'summary': see TracePayloads). */
  tracePayloads?: TracePayloads;
  /**
   * Sees every trace entry as it is recorded, payload whole (when traceMessages): to stream a
   * trace to a file as the run goes. It must not keep or change the entry's payload.
   */
  traceSink?: (entry: TraceEntry) => void;
  /**
   * Sees, as the run goes and even with the trace off, the entries a checker reads: records and
   * facts, and what the schedule did (crash, restart, pause, partition, heal...), but no message
   * deliveries, drops or timers. A fact's entry carries the model's fact object itself as its
   * data (its event too), not a copy: the sink must not change or keep it. A sweep checks a
   * passing seed this way without storing its trace.
   */
  factSink?: (entry: TraceEntry) => void;
  /** A step budget and the livelock threshold (see runLimits.ts). */
  limits?: Partial<RunLimits>;
}

/** Cancellations collected before cancelled timers are taken out of the queue. */
const PURGE_MIN = 1024;

/** A node as the loop sees it: its record in the world and its code, found by the record's index. */
interface NodeSlot {
  id: NodeId;
  record: NodeRecord;
  behavior: Behavior;
  /** The trace's id of the node's name (TraceStore.nameIdOf), looked up at its first entry; NO_TRACE_NAME before. */
  traceName: number;
}

const NO_TRACE_NAME = -2;

type QueuedInput = QueuedEvent extends infer E ? (E extends QueuedEvent ? Omit<E, 'seq'> : never) : never;

/** The key under which a node context holds its simulation, out of the model's sight. */
const SIMULATION = Symbol('simulation');
interface ContextOf {
  [SIMULATION]: Simulation;
}

/**
 * The deterministic discrete-event loop. One step = one event taken from the queue (earliest
 * time, then insertion order) and handed to a node or applied as a fault.
 */
export class Simulation {
  readonly seed: string;
  readonly networkConfig: NetworkConfig;
  readonly behaviors: Record<NodeId, Behavior> = {};
  readonly trace: TraceStore;
  world: WorldState;
  /** world.queue, with its events' keys indexed (eventQueue.ts). */
  private readonly queue: EventQueue;
  /** What transmit last decided, one object for every message. */
  private readonly transmission: Transmission = { copies: 0, arrival: 0 };
  /** world.cancelledTimers with its index. */
  private readonly cancelledTimers: CancelledTimerIds;
  private rngs: RngStreams;
  private readonly recordTrace: boolean;
  private readonly traceMessages: boolean;
  private readonly tracePayloads: TracePayloads;
  private readonly traceSink: ((entry: TraceEntry) => void) | undefined;
  private readonly factSink: ((entry: TraceEntry) => void) | undefined;
  private readonly networkRng: Rng;
  /** The node whose handler (or boot) runs: who the context acts for. */
  private current: NodeSlot | null = null;
  private readonly ctx: NodeContext;
  private readonly nodeRngs = new Map<NodeId, Rng>();
  private checkpointsTaken = 0;
  /** The run holding the earliest cancelled timer taken out of the queue, or -1 (cached from world.cancelledRuns), and that timer's place. */
  private nextCancelledRun = -1;
  private nextCancelledTime = 0;
  private nextCancelledSeq = 0;
  /** By NodeRecord.index: queued events name their node by index, so dispatch needs no lookup by id. */
  private readonly slots: NodeSlot[] = [];
  /** By sender and receiver index: the link's key in NetworkState.lastArrival. */
  private readonly linkKeys: string[][] = [];
  private limits: RunLimits;
  /** The instant the last step happened at, and how many steps in a row happened at it. */
  private instant = -1;
  private stepsAtInstant = 0;
  /** What the steps past the livelock threshold were, to name them in the error. */
  private livelockSample: Map<string, number> | null = null;

  constructor(options: SimulationOptions, restored?: { world: WorldState; behaviors: Record<NodeId, Behavior> }) {
    this.seed = String(options.seed);
    this.networkConfig = { ...defaultNetworkConfig, ...options.network };
    this.recordTrace = options.trace ?? true;
    this.traceMessages = options.traceMessages ?? true;
    this.tracePayloads = options.tracePayloads ?? 'summary';
    this.traceSink = options.traceSink;
    this.factSink = options.factSink;
    this.trace = new TraceStore(this.tracePayloads);
    this.limits = { ...defaultRunLimits, ...options.limits };
    this.world = restored
      ? thaw(restored.world)
      : {
          now: 0, step: 0, seq: 0, nextMsgId: 1, nextTimerId: 1,
          nodes: {}, queue: [], cancelledRuns: [], network: createNetworkState(), cancelledTimers: [], purgeCancelledAbove: PURGE_MIN, rng: {},
        };
    this.queue = new EventQueue(this.world.queue);
    this.cancelledTimers = new CancelledTimerIds(this.world.cancelledTimers);
    if (restored) Object.assign(this.behaviors, restored.behaviors);
    for (const id of Object.keys(this.world.nodes)) {
      const record = this.world.nodes[id];
      this.slots[record.index] = { id, record, behavior: this.behaviors[id], traceName: NO_TRACE_NAME };
    }
    this.rngs = new RngStreams(this.seed, this.world.rng);
    // A world from a checkpoint is in order already; one built elsewhere may not be.
    if (restored) orderRuns(this.world.cancelledRuns);
    this.findNextCancelled();
    this.networkRng = this.rngs.stream('network');
    this.ctx = this.makeContext();
  }

  get now(): number { return this.world.now; }
  get step(): number { return this.world.step; }

  /** Changes the step budget or the livelock threshold; a run past a limit throws RunLimitError. */
  setLimits(limits: Partial<RunLimits>): void {
    this.limits = { ...this.limits, ...limits };
  }

  /** Adds a node; it boots at `startAt` (default: time 0). */
  addNode(id: NodeId, behavior: Behavior, startAt = 0): void {
    if (this.world.nodes[id]) throw new Error(`node ${id} already exists`);
    this.behaviors[id] = behavior;
    const record: NodeRecord = {
      kind: behavior.kind, index: this.slots.length, status: 'crashed', incarnation: 0, booted: false,
      state: { durable: behavior.createDurable(), volatile: null }, buffered: [],
    };
    this.world.nodes[id] = record;
    this.slots.push({ id, record, behavior, traceName: NO_TRACE_NAME });
    this.schedule(startAt, { type: 'restart', node: id });
  }

  nodeIds(kind?: string): NodeId[] {
    const ids = Object.keys(this.world.nodes);
    return kind ? ids.filter((id) => this.world.nodes[id].kind === kind) : ids;
  }

  node(id: NodeId): NodeRecord {
    const record = this.world.nodes[id];
    if (!record) throw new Error(`unknown node ${id}`);
    return record;
  }

  schedule(time: number, action: ControlAction): void {
    if (!Number.isInteger(time) || time < this.world.now) {
      throw new Error(`cannot schedule ${action.type} at ${time}: time must be an integer >= now (${this.world.now})`);
    }
    if ('node' in action && !this.world.nodes[action.node]) throw new Error(`${action.type}: unknown node ${action.node}`);
    this.enqueue({ kind: 'control', time, action });
  }

  /** Processes one event. Returns false when the queue is empty. */
  stepOnce(): boolean {
    return this.takeNext(Infinity);
  }

  /** Runs every event with time <= `time`. */
  runUntil(time: number): void {
    while (this.takeNext(time));
  }

  runSteps(count: number): void {
    for (let i = 0; i < count && this.takeNext(Infinity); i++);
  }

  nextEventTime(): number | undefined {
    const live = this.queue.peek();
    if (this.cancelledComesFirst(live)) return this.nextCancelledTime;
    return live?.time;
  }

  /**
   * One step, if the next event is due by `limit`. The next event is the earliest of the queue
   * and of the cancelled timers taken out of it: such a timer still takes its step, doing
   * nothing, exactly as it would have had it stayed in the queue to be skipped.
   */
  private takeNext(limit: number): boolean {
    const world = this.world;
    const live = this.queue.peek();
    if (this.cancelledComesFirst(live)) {
      const time = this.nextCancelledTime;
      if (time > limit) return false;
      this.checkLimits(time, undefined);
      advanceRun(world.cancelledRuns, this.nextCancelledRun);
      this.findNextCancelled();
      world.now = time;
      world.step += 1;
      return true;
    }
    if (live === undefined) return false;
    const time = this.queue.peekTime();
    if (time > limit) return false;
    this.checkLimits(time, live);
    this.queue.pop();
    world.now = time;
    world.step += 1;
    this.dispatch(live);
    return true;
  }

  /**
   * Throws, before the step is taken, when the step budget is spent or when the clock has not
   * moved for maxStepsPerInstant steps; in that case it first watches LIVELOCK_SAMPLE_STEPS more
   * steps to name what keeps happening at that instant.
   */
  private checkLimits(time: number, event: QueuedEvent | undefined): void {
    const limits = this.limits;
    if (this.world.step >= limits.maxSteps) throw stepBudgetError(limits.maxSteps, this.world.now);
    if (time !== this.instant) {
      this.instant = time;
      this.stepsAtInstant = 1;
      this.livelockSample = null;
      return;
    }
    if (++this.stepsAtInstant <= limits.maxStepsPerInstant) return;
    this.watchLivelock(time, event);
  }

  /**
   * checkLimits past the livelock threshold, apart from it: checkLimits runs every step and,
   * this small, is inlined into takeNext (with this in it, the call cost ~3% of the engine
   * bench's instructions an event).
   */
  private watchLivelock(time: number, event: QueuedEvent | undefined): void {
    if (this.stepsAtInstant > this.limits.maxStepsPerInstant + LIVELOCK_SAMPLE_STEPS) {
      throw livelockError(time, this.world.step, this.stepsAtInstant - 1, this.livelockSample ?? new Map());
    }
    const sample = (this.livelockSample ??= new Map());
    const what = describeEvent(event);
    sample.set(what, (sample.get(what) ?? 0) + 1);
  }

  traceHash(): string {
    return traceHash(this.trace);
  }

  /**
   * A deep-frozen snapshot of the world (with RNG states) from which an identical run continues
   * (forkFrom). It shares what the model froze and whatever did not change since the previous
   * checkpoint (see snapshot.ts), so frequent checkpoints of a long run stay cheap.
   */
  checkpoint(): WorldState {
    this.world.rng = this.rngs.saveStates();
    // Only a simulation checkpointed again and again (a live run, a viewer stepping a replay
    // forward) gains from remembering its snapshot; a replay rebuilt once does not.
    return snapshot(this.world, this.checkpointsTaken++ > 0);
  }

  /** A new simulation continuing from a checkpoint of this one (same code, same config). */
  forkFrom(world: WorldState, options: Partial<SimulationOptions> = {}): Simulation {
    return new Simulation(
      { seed: this.seed, network: this.networkConfig, trace: this.recordTrace, traceMessages: this.traceMessages, tracePayloads: this.tracePayloads, limits: this.limits, ...options },
      { world, behaviors: this.behaviors },
    );
  }

  private enqueue(input: QueuedInput): void {
    // Sets seq on the fresh object instead of spreading it: this is the engine's hottest path.
    const seq = this.world.seq++;
    (input as QueuedEvent).seq = seq;
    this.queue.push(input as QueuedEvent, input.time, seq);
  }

  private log(entry: { type: string; node?: NodeId; [key: string]: unknown }): void {
    if (!this.recordTrace && !this.factSink) return;
    const full = { step: this.world.step, time: this.world.now, ...entry } as TraceEntry;
    this.factSink?.(full);
    if (!this.recordTrace) return;
    this.traceSink?.(full);
    this.trace.pushGeneric(full);
  }

  private dispatch(event: QueuedEvent): void {
    if (event.kind === 'control') return this.applyControl(event.action);
    const world = this.world;
    if (event.kind === 'timer') {
      // A cancelled timer is skipped here, where it leaves the queue; its id stays in the
      // cancelled set (it never comes up again) until the next purge forgets it.
      const cancelled = this.cancelledTimers;
      if (cancelled.size !== 0 && cancelled.has(event.timerId)) return;
      const slot = this.slots[event.nodeIndex];
      const record = slot.record;
      if (record.status !== 'up' || event.incarnation !== record.incarnation) {
        // A timer of an older incarnation is void; a paused node's timer fires when it resumes.
        if (record.status === 'paused' && event.incarnation === record.incarnation) record.buffered.push(event);
        return;
      }
      if (this.recordTrace) {
        this.traceSink?.({ step: world.step, time: world.now, type: 'timer', node: event.node, name: event.name });
        this.trace.pushTimer(world.step, world.now, event.node, event.name, this.traceNameOf(slot));
      }
      return this.runHandler(slot, event);
    }
    const slot = this.slots[event.toIndex];
    const record = slot.record;
    const reason = record.status === 'crashed' || event.toIncarnation !== record.incarnation
      ? 'node-down'
      : isBlocked(world.network, event.from, event.to) ? 'partition' : null;
    if (reason) {
      if (this.recordTrace) this.logMessage('drop', slot, event.from, event.msgId, reason, event.payload);
      return;
    }
    if (record.status === 'paused') {
      record.buffered.push(event);
      return;
    }
    if (this.recordTrace) this.logMessage('deliver', slot, event.from, event.msgId, event.sentAt, event.payload);
    this.runHandler(slot, event);
  }

  /** A trace entry about a message to `to` (`third`: when it was sent, or why it was dropped), with its payload when payloads are recorded. */
  private logMessage(type: 'deliver' | 'drop', to: NodeSlot, from: NodeId, msgId: number, third: number | string, payload: unknown): void {
    const { step, now: time } = this.world;
    const node = to.id;
    if (this.traceSink) {
      const entry: TraceEntry = type === 'deliver'
        ? { step, time, type, node, from, msgId, sentAt: third }
        : { step, time, type, node, from, msgId, reason: third };
      if (this.traceMessages) entry.payload = payload;
      this.traceSink(entry);
    }
    this.trace.pushMessage(type, step, time, node, from, msgId, third, this.traceMessages, payload, this.traceNameOf(to));
  }

  /** The node's name id in the trace, looked up once: every entry names its node. */
  private traceNameOf(slot: NodeSlot): number {
    const id = slot.traceName;
    return id !== NO_TRACE_NAME ? id : (slot.traceName = this.trace.nameIdOf(slot.id));
  }

  private runHandler(slot: NodeSlot, event: NodeEvent): void {
    this.current = slot;
    try {
      slot.behavior.handle(slot.record.state, event, this.ctx);
    } finally {
      this.current = null;
    }
  }

  private applyControl(action: ControlAction): void {
    switch (action.type) {
      case 'crash': return this.crash(action.node);
      case 'restart': return this.restart(action.node);
      case 'pause': return this.pause(action.node, action.durationMs);
      case 'resume': return this.resume(action.node);
      case 'command': {
        const record = this.world.nodes[action.node];
        this.log({ type: 'command', node: action.node, name: action.name, data: action.data });
        if (record.status === 'crashed') return;
        if (record.status === 'paused') {
          record.buffered.push({ kind: 'control', action, time: this.world.now, seq: -1 });
          return;
        }
        return this.runHandler(this.slots[record.index], { type: 'command', name: action.name, data: action.data });
      }
      default:
        applyNetworkAction(this.world.network, action);
        this.log({ ...action, type: action.type });
    }
  }

  private crash(id: NodeId): void {
    const record = this.world.nodes[id];
    if (record.status === 'crashed') return;
    const behavior = this.behaviors[id];
    record.status = 'crashed';
    record.incarnation += 1;
    record.buffered = [];
    record.state = {
      durable: behavior.afterCrash ? behavior.afterCrash(record.state.durable) : record.state.durable,
      volatile: null,
    };
    this.log({ type: 'crash', node: id });
  }

  private restart(id: NodeId): void {
    const record = this.world.nodes[id];
    if (record.status !== 'crashed') return;
    record.status = 'up';
    this.log({ type: record.booted ? 'restart' : 'boot', node: id });
    record.booted = true;
    this.current = this.slots[record.index];
    try {
      record.state.volatile = this.behaviors[id].boot(record.state.durable, this.ctx);
    } finally {
      this.current = null;
    }
  }

  private pause(id: NodeId, durationMs?: number): void {
    const record = this.world.nodes[id];
    if (record.status !== 'up') return;
    record.status = 'paused';
    this.log({ type: 'pause', node: id, durationMs });
    if (durationMs !== undefined) this.enqueue({ kind: 'control', time: this.world.now + durationMs, action: { type: 'resume', node: id } });
  }

  private resume(id: NodeId): void {
    const record = this.world.nodes[id];
    if (record.status !== 'paused') return;
    record.status = 'up';
    this.log({ type: 'resume', node: id });
    const buffered = record.buffered;
    record.buffered = [];
    // What piled up during the stall is handled now, in arrival order.
    for (const event of buffered) this.enqueue({ ...event, time: this.world.now } as QueuedInput);
  }

  private nodeRng(id: NodeId): Rng {
    let rng = this.nodeRngs.get(id);
    if (!rng) this.nodeRngs.set(id, (rng = this.rngs.stream(`node:${id}`)));
    return rng;
  }

  private makeContext(): NodeContext {
    const sim = this;
    const self = (): NodeId => sim.currentSlot().id;
    const methods: Omit<NodeContext, 'self' | 'now' | 'rng'> = {
      send(to, payload) { sim.send(sim.currentSlot(), to, payload); },
      setTimer(delayMs, name, data) {
        const slot = sim.currentSlot();
        const record = slot.record;
        const world = sim.world;
        const timerId = world.nextTimerId++;
        const time = world.now + Math.max(0, Math.round(delayMs));
        const seq = world.seq++;
        const event = {
          kind: 'timer', type: 'timer', time, seq, node: slot.id, name, data, timerId,
          incarnation: record.incarnation, nodeIndex: record.index,
        } as const;
        sim.queue.push(event, time, seq);
        return timerId;
      },
      cancelTimer(timerId) {
        // An id no timer ever had (or not a number at all) cancels nothing.
        if (!(Number.isInteger(timerId) && timerId >= 0 && timerId < sim.world.nextTimerId)) return;
        const cancelled = sim.cancelledTimers;
        if (cancelled.add(timerId) && cancelled.size > sim.world.purgeCancelledAbove) sim.takeOutCancelledTimers();
      },
      record(event, data) {
        const node = self();
        const { step, now: time } = sim.world;
        if ((sim.recordTrace && sim.traceSink) || sim.factSink) {
          const entry: TraceEntry = data ? { step, time, type: 'record', node, event, data } : { step, time, type: 'record', node, event };
          sim.factSink?.(entry);
          if (sim.recordTrace) sim.traceSink?.(entry);
        }
        if (sim.recordTrace) sim.trace.pushRecord(step, time, node, event, data);
      },
      recordFact(fact) {
        const slot = sim.currentSlot();
        const node = slot.id;
        const { step, now: time } = sim.world;
        const fields = fact as Record<string, unknown>;
        sim.factSink?.({ step, time, type: 'record', node, event: fact.event, data: fields });
        if (!sim.recordTrace) return;
        // The trace sink sees the entry whole, so the data is copied out for it, as record() does.
        if (sim.traceSink) {
          const data = dataOfFact(fields);
          sim.traceSink({ step, time, type: 'record', node, event: fact.event, data });
          return sim.trace.pushRecord(step, time, node, fact.event, data);
        }
        sim.trace.pushFact(step, time, node, fields, sim.traceNameOf(slot));
      },
      crashSelf(restartAfterMs) {
        const node = self();
        sim.enqueue({ kind: 'control', time: sim.world.now, action: { type: 'crash', node } });
        if (restartAfterMs !== undefined) {
          sim.enqueue({ kind: 'control', time: sim.world.now + Math.max(0, Math.round(restartAfterMs)), action: { type: 'restart', node } });
        }
      },
    };
    // A context's own properties are plain data (these closures); its getters are on a
    // prototype shared by every simulation, so contexts of all simulations have one hidden
    // class. (An object literal with getters is in dictionary mode: every ctx.now a hash
    // lookup; getters defined on each context gave each simulation's context a class of its
    // own, and a sweep worker running seed after seed made every ctx.now in the model a
    // megamorphic load calling its getter.)
    const ctx = Object.create(Simulation.contextGetters) as NodeContext & ContextOf;
    ctx[SIMULATION] = sim;
    return Object.assign(ctx, methods);
  }

  /** The getters of every node context (see makeContext), reading the simulation it is of. */
  private static readonly contextGetters: object = Object.defineProperties({}, {
    self: { get(this: ContextOf): NodeId { return this[SIMULATION].currentSlot().id; } },
    now: { get(this: ContextOf): number { return this[SIMULATION].world.now; } },
    rng: { get(this: ContextOf): Rng { const sim = this[SIMULATION]; return sim.nodeRng(sim.currentSlot().id); } },
  });

  /** The node the context acts for: the one whose handler (or boot) runs. */
  private currentSlot(): NodeSlot {
    const slot = this.current;
    if (slot === null) throw new Error('node context used outside a handler');
    return slot;
  }

  private findNextCancelled(): void {
    const runs = this.world.cancelledRuns;
    const r = earliestRun(runs);
    this.nextCancelledRun = r;
    if (r === -1) return;
    const { places, next } = runs[r];
    this.nextCancelledTime = places.times[next];
    this.nextCancelledSeq = places.seqs[next];
  }

  /** Whether the earliest cancelled timer taken out of the queue comes before `live`, the queue's first event. */
  private cancelledComesFirst(live: QueuedEvent | undefined): boolean {
    if (this.nextCancelledRun === -1) return false;
    if (live === undefined) return true;
    const time = this.nextCancelledTime;
    const liveTime = this.queue.peekTime();
    return time < liveTime || (time === liveTime && this.nextCancelledSeq < this.queue.peekSeq());
  }

  /**
   * Takes cancelled timers out of the queue, leaving only their place in the order (a time
   * and a seq in world.cancelledRuns' typed arrays, which checkpoints share), and
   * forgets stale cancellations (of timers that already fired, were void, or were skipped when
   * they came up). Models cancel most of their timeouts, so without this the queue, and every
   * checkpoint, fills up with dead timers. Cancellations of timers waiting in a paused node's
   * buffer are kept. The threshold grows with what is kept and with the queue, so this costs
   * O(1) per cancellation.
   */
  private takeOutCancelledTimers(): void {
    const world = this.world;
    const queue = world.queue;
    const cancelled = this.cancelledTimers;
    const taken: Queued[] = [];
    let kept = 0;
    for (let i = 0; i < queue.length; i++) {
      const event = queue[i];
      if (event.kind === 'timer' && cancelled.has(event.timerId)) {
        taken.push(event);
      } else {
        queue[kept++] = event;
      }
    }
    // In place: world.queue is the event queue's array.
    queue.length = kept;
    this.queue.rebuild();
    addRun(world.cancelledRuns, sortedPlaces(taken));
    this.findNextCancelled();
    let buffered: Set<number> | null = null;
    for (const slot of this.slots) {
      for (const event of slot.record.buffered) if (event.kind === 'timer') (buffered ??= new Set()).add(event.timerId);
    }
    cancelled.retain(buffered === null ? () => false : (id) => buffered.has(id));
    world.purgeCancelledAbove = Math.max(PURGE_MIN, 2 * cancelled.size, queue.length >> 1);
  }

  /** linkKey(from.id, to), kept per pair of node indexes (`toIndex` is to's): every message needs it. */
  private linkKeyOf(from: NodeSlot, to: NodeId, toIndex: number): string {
    const byTo = (this.linkKeys[from.record.index] ??= []);
    return (byTo[toIndex] ??= linkKey(from.id, to));
  }

  /** A message from the node of `sender` (the one whose handler runs) to `to`. */
  private send(sender: NodeSlot, to: NodeId, payload: unknown): void {
    const world = this.world;
    const from = sender.id;
    const target = world.nodes[to];
    if (!target) throw new Error(`${from} sent to unknown node ${to}`);
    const msgId = world.nextMsgId++;
    const net = world.network;
    const now = world.now;
    const blocked = isBlocked(net, from, to);
    const copies = blocked
      ? 0
      : transmit(net, this.networkConfig, this.networkRng, from, to, now, this.transmission, this.linkKeyOf(sender, to, target.index)).copies;
    if (copies === 0) {
      if (this.recordTrace) {
        this.logMessage('drop', this.slots[target.index], from, msgId, blocked ? 'partition' : 'loss', payload);
      }
      return;
    }
    const time = this.transmission.arrival;
    const toIncarnation = target.incarnation;
    const toIndex = target.index;
    for (let copy = 0; copy < copies; copy++) {
      // Built whole, seq last as enqueue would add it: adding seq to a finished literal costs
      // a map transition and an out-of-object property array per message.
      const seq = world.seq++;
      const event = { kind: 'message', type: 'message', time, from, to, payload, msgId, sentAt: now, toIncarnation, toIndex, seq } as const;
      this.queue.push(event, time, seq);
    }
  }
}
