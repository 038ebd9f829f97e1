import { cloneShared } from './clone';
import { heapPeek, heapPop, heapPush } from './heap';
import { applyNetworkAction, createNetworkState, defaultNetworkConfig, isBlocked, transmit } from './network';
import { RngStreams } from './rng';
import { traceHash } from './trace';
import type { Behavior, ControlAction, NetworkConfig, NodeContext, NodeEvent, NodeId, Rng, TraceEntry } from './types';
import type { NodeRecord, QueuedEvent, WorldState } from './world';

export interface SimulationOptions {
  seed: string | number;
  network?: Partial<NetworkConfig>;
  /** Record a trace (default true). */
  trace?: boolean;
  /** Include each delivered message's payload in the trace (default true). */
  traceMessages?: boolean;
}

type QueuedInput = QueuedEvent extends infer E ? (E extends QueuedEvent ? Omit<E, 'seq'> : never) : never;

/**
 * The deterministic discrete-event loop. One step = one event taken from the queue (earliest
 * time, then insertion order) and handed to a node or applied as a fault.
 */
export class Simulation {
  readonly seed: string;
  readonly networkConfig: NetworkConfig;
  readonly behaviors: Record<NodeId, Behavior> = {};
  readonly trace: TraceEntry[] = [];
  world: WorldState;
  private rngs: RngStreams;
  private readonly recordTrace: boolean;
  private readonly traceMessages: boolean;
  private readonly networkRng: Rng;
  private current: NodeId | null = null;
  private readonly ctx: NodeContext;
  private readonly nodeRngs = new Map<NodeId, Rng>();

  constructor(options: SimulationOptions, restored?: { world: WorldState; behaviors: Record<NodeId, Behavior> }) {
    this.seed = String(options.seed);
    this.networkConfig = { ...defaultNetworkConfig, ...options.network };
    this.recordTrace = options.trace ?? true;
    this.traceMessages = options.traceMessages ?? true;
    this.world = restored
      ? cloneShared(restored.world)
      : {
          now: 0, step: 0, seq: 0, nextMsgId: 1, nextTimerId: 1,
          nodes: {}, queue: [], network: createNetworkState(), pendingTimers: new Set(), rng: {},
        };
    if (restored) Object.assign(this.behaviors, restored.behaviors);
    this.rngs = new RngStreams(this.seed, this.world.rng);
    this.networkRng = this.rngs.stream('network');
    this.ctx = this.makeContext();
  }

  get now(): number { return this.world.now; }
  get step(): number { return this.world.step; }

  /** Adds a node; it boots at `startAt` (default: time 0). */
  addNode(id: NodeId, behavior: Behavior, startAt = 0): void {
    if (this.world.nodes[id]) throw new Error(`node ${id} already exists`);
    this.behaviors[id] = behavior;
    this.world.nodes[id] = {
      kind: behavior.kind, status: 'crashed', incarnation: 0, booted: false,
      state: { durable: behavior.createDurable(), volatile: null }, buffered: [],
    };
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
    const event = heapPop(this.world.queue);
    if (!event) return false;
    this.world.now = event.time;
    this.world.step += 1;
    this.dispatch(event);
    return true;
  }

  /** Runs every event with time <= `time`. */
  runUntil(time: number): void {
    for (;;) {
      const next = heapPeek(this.world.queue);
      if (!next || next.time > time) return;
      this.stepOnce();
    }
  }

  runSteps(count: number): void {
    for (let i = 0; i < count && this.stepOnce(); i++);
  }

  nextEventTime(): number | undefined {
    return heapPeek(this.world.queue)?.time;
  }

  traceHash(): string {
    return traceHash(this.trace);
  }

  /** A copy of the world (with RNG states) from which an identical run continues; frozen parts are shared. */
  checkpoint(): WorldState {
    this.world.rng = this.rngs.saveStates();
    return cloneShared(this.world);
  }

  /** A new simulation continuing from a checkpoint of this one (same code, same config). */
  forkFrom(world: WorldState, options: Partial<SimulationOptions> = {}): Simulation {
    return new Simulation(
      { seed: this.seed, network: this.networkConfig, trace: this.recordTrace, traceMessages: this.traceMessages, ...options },
      { world, behaviors: this.behaviors },
    );
  }

  private enqueue(input: QueuedInput): void {
    // Sets seq on the fresh object instead of spreading it: this is the engine's hottest path.
    (input as QueuedEvent).seq = this.world.seq++;
    heapPush(this.world.queue, input as QueuedEvent);
  }

  private log(entry: { type: string; node?: NodeId; [key: string]: unknown }): void {
    if (this.recordTrace) this.trace.push({ step: this.world.step, time: this.world.now, ...entry } as TraceEntry);
  }

  private dispatch(event: QueuedEvent): void {
    if (event.kind === 'control') return this.applyControl(event.action);
    const target = event.kind === 'message' ? event.to : event.node;
    const record = this.world.nodes[target];
    if (event.kind === 'timer') {
      if (!this.world.pendingTimers.has(event.timerId)) return;
      if (record.status === 'crashed' || event.incarnation !== record.incarnation) {
        this.world.pendingTimers.delete(event.timerId);
        return;
      }
      if (record.status === 'up') this.world.pendingTimers.delete(event.timerId);
    }
    if (event.kind === 'message') {
      const reason = record.status === 'crashed' || event.toIncarnation !== record.incarnation
        ? 'node-down'
        : isBlocked(this.world.network, event.from, event.to) ? 'partition' : null;
      if (reason) {
        if (this.recordTrace) this.log({ type: 'drop', node: event.to, from: event.from, msgId: event.msgId, reason, ...this.payloadOf(event.payload) });
        return;
      }
    }
    if (record.status === 'paused') {
      record.buffered.push(event);
      return;
    }
    if (this.recordTrace) {
      if (event.kind === 'message') {
        this.log({ type: 'deliver', node: event.to, from: event.from, msgId: event.msgId, sentAt: event.sentAt, ...this.payloadOf(event.payload) });
      } else {
        this.log({ type: 'timer', node: target, name: event.name });
      }
    }
    this.runHandler(target, event as NodeEvent, record);
  }

  private payloadOf(payload: unknown): { payload?: unknown } {
    return this.traceMessages ? { payload } : {};
  }

  private runHandler(id: NodeId, event: NodeEvent, record = this.world.nodes[id]): void {
    this.current = id;
    try {
      this.behaviors[id].handle(record.state, event, this.ctx);
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
        return this.runHandler(action.node, { type: 'command', name: action.name, data: action.data });
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
    this.current = id;
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
    const self = (): NodeId => {
      if (sim.current === null) throw new Error('node context used outside a handler');
      return sim.current;
    };
    return {
      get self() { return self(); },
      get now() { return sim.world.now; },
      get rng() { return sim.nodeRng(self()); },
      send(to, payload) { sim.send(self(), to, payload); },
      setTimer(delayMs, name, data) {
        const node = self();
        const timerId = sim.world.nextTimerId++;
        const delay = Math.max(0, Math.round(delayMs));
        sim.world.pendingTimers.add(timerId);
        sim.enqueue({ kind: 'timer', type: 'timer', time: sim.world.now + delay, node, name, data, timerId, incarnation: sim.world.nodes[node].incarnation });
        return timerId;
      },
      cancelTimer(timerId) {
        sim.world.pendingTimers.delete(timerId);
      },
      record(event, data) {
        sim.log({ type: 'record', node: self(), event, ...(data ? { data } : {}) });
      },
      crashSelf(restartAfterMs) {
        const node = self();
        sim.enqueue({ kind: 'control', time: sim.world.now, action: { type: 'crash', node } });
        if (restartAfterMs !== undefined) {
          sim.enqueue({ kind: 'control', time: sim.world.now + Math.max(0, Math.round(restartAfterMs)), action: { type: 'restart', node } });
        }
      },
    };
  }

  private send(from: NodeId, to: NodeId, payload: unknown): void {
    const target = this.world.nodes[to];
    if (!target) throw new Error(`${from} sent to unknown node ${to}`);
    const msgId = this.world.nextMsgId++;
    const blocked = isBlocked(this.world.network, from, to);
    const { arrivals } = blocked
      ? { arrivals: [] }
      : transmit(this.world.network, this.networkConfig, this.networkRng, from, to, this.world.now);
    if (arrivals.length === 0) {
      this.log({ type: 'drop', node: to, from, msgId, reason: blocked ? 'partition' : 'loss', ...this.payloadOf(payload) });
      return;
    }
    for (const time of arrivals) {
      this.enqueue({ kind: 'message', type: 'message', time, from, to, payload, msgId, sentAt: this.world.now, toIncarnation: target.incarnation });
    }
  }
}
