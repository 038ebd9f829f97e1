/** Node ids are strings so that traces stay readable ("broker-1", "zk-2"). */
export type NodeId = string;

/** What a node's handler receives. Boot is not an event: see Behavior.boot. */
export type NodeEvent =
  | { type: 'message'; from: NodeId; payload: any; msgId: number; sentAt: number }
  | { type: 'timer'; name: string; data: any; timerId: number }
  | { type: 'command'; name: string; data: any };

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export interface NodeContext {
  readonly self: NodeId;
  /** Virtual time in integer milliseconds: the only clock a model may read. */
  readonly now: number;
  /** This node's own random stream, forked from the scenario seed by the node's id. */
  readonly rng: Rng;
  send(to: NodeId, payload: unknown): void;
  setTimer(delayMs: number, name: string, data?: unknown): number;
  cancelTimer(timerId: number): void;
  /** A model-level fact for the trace (what checkers and the visualizer read). */
  record(event: string, data?: Record<string, unknown>): void;
  /**
   * The same as record(fact.event, the fact's other fields), without copying them out first
   * (facts are written several times a step). Optional: a context without it gets the copy.
   */
  recordFact?(fact: { event: string }): void;
  /**
   * A scripted fault of this node's own, e.g. "crash right after the 15th processed record":
   * the crash happens as soon as this step ends, the restart `restartAfterMs` later if given.
   * It is part of the run (replayed by time travel), unlike a fault injected from outside.
   */
  crashSelf(restartAfterMs?: number): void;
}

/** The two halves of a node's state: a crash keeps `durable` (its disk) and drops `volatile` (its memory). */
export interface NodeState<D = any, V = any> {
  durable: D;
  volatile: V;
}

/**
 * A node's code. Behaviors hold code and immutable configuration only, never state:
 * all state lives in NodeState so that checkpoints (structuredClone) capture everything.
 */
export interface Behavior<D = any, V = any> {
  readonly kind: string;
  /** The disk of a node that has never run. */
  createDurable(): D;
  /** Start or restart: build memory from disk. May send messages and set timers. */
  boot(durable: D, ctx: NodeContext): V;
  handle(state: NodeState<D, V>, event: NodeEvent, ctx: NodeContext): void;
  /** What survives a crash. Default: the whole durable state (a process crash keeps the disk). */
  afterCrash?(durable: D): D;
}

export type NodeStatus = 'up' | 'crashed' | 'paused';

/** Faults and external inputs, scheduled from outside the nodes (a scenario, a sweep, the visualizer). */
export type ControlAction =
  | { type: 'crash'; node: NodeId }
  | { type: 'restart'; node: NodeId }
  | { type: 'pause'; node: NodeId; durationMs?: number }
  | { type: 'resume'; node: NodeId }
  | { type: 'partition'; id: string; sideA: NodeId[]; sideB: NodeId[]; oneWay?: boolean }
  | { type: 'heal'; id?: string }
  | { type: 'link-fault'; id: string; from?: NodeId[]; to?: NodeId[]; drop?: number; duplicate?: number; extraDelayMs?: number }
  | { type: 'clear-link-fault'; id?: string }
  | { type: 'command'; node: NodeId; name: string; data?: unknown };

export interface LatencyModel {
  minMs: number;
  maxMs: number;
}

export interface NetworkConfig {
  latency: LatencyModel;
  /** Background loss and duplication on every link (faults add to these per link). */
  drop: number;
  duplicate: number;
  /** TCP-like: messages on one link arrive in the order they were sent. */
  fifo: boolean;
}

export interface TraceEntry {
  step: number;
  time: number;
  type: string;
  node?: NodeId;
  [key: string]: unknown;
}
