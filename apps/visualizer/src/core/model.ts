/**
 * What the worker needs from a simulated system. The Kafka model (kafkaModel.ts) is the real
 * one; the engine's ping-pong toy (pingpongModel.ts) lets the shell be tested on its own.
 */
import type { ControlAction, Simulation, Trace, WorldState } from '@kafkasim/engine';
import type { DeliveryReport, InvariantViolation } from '@kafkasim/kafka';
import type { LessonMetric, NodeInfo, StepView } from './view';

/** The source of a run: a scenario (JSON as written), the engine toy, or a recorded trace. */
export type RunSpec =
  | { source: 'scenario'; file: string; scenario: unknown; seed?: string | number; overrides?: Record<string, string | number | boolean> }
  | { source: 'pingpong'; seed?: string | number }
  | { source: 'trace'; file: string; ndjson: string };

export interface BuiltRun {
  sim: Simulation;
  durationMs: number;
  title: string;
  lesson: string;
  nodes: NodeInfo[];
  /** The numbers the scenario's `expect` names (its lesson is about them). */
  lessonMetrics?: LessonMetric[];
  /** The scenario's key moments as written (resolved to steps by the session). */
  story?: StoryMoment[];
}

export interface StoryMoment {
  atMs?: number;
  fact?: string;
  node?: string;
  caption: string;
}

/** The checkers' own types (packages/kafka/src/check): one definition, so the panels cannot drift from the report. */
export type DeliveryLike = DeliveryReport;
export type ViolationLike = InvariantViolation;

export interface Model {
  build(spec: RunSpec): BuiltRun;
  /** The checkers over a whole trace. */
  report(trace: Trace): DeliveryLike | null;
  violations(spec: RunSpec, trace: Trace, report: DeliveryLike | null): ViolationLike[];
  /** Adds what only the nodes' state knows (segments, znode flags, positions) to a view built from facts. */
  enrich(view: StepView, world: Readonly<WorldState>, spec?: RunSpec): void;
}

/** A crash/restart/pause injected by clicking a node. */
export type InjectedFault = Extract<ControlAction, { type: 'crash' | 'restart' | 'pause' | 'resume' }>;

export function roleOf(id: string, kind?: string): NodeInfo['role'] {
  if (kind === 'broker' || /^broker-\d+$/.test(id)) return 'broker';
  if (kind === 'zk' || kind === 'zk-server' || /^zk-\d+$/.test(id)) return 'zk';
  if (kind === 'producer' || /^producer/.test(id)) return 'producer';
  if (kind === 'consumer' || /^consumer/.test(id)) return 'consumer';
  return 'other';
}
