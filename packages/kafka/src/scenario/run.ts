/**
 * A scenario file becomes a simulation: the cluster, the producers and consumer groups of the
 * workload, and the fault schedule as engine control actions. `runScenario` runs it to the end
 * and reads the outcome from the trace alone, as every other consumer of traces does.
 */
import { Simulation, traceHash, type ControlAction, type Trace, type TraceEntry, type TracePayloads, type TraceStore } from '@kafkasim/engine';
import { checkInvariants, checkRun, deliveryReport, invariantNames, type CheckContext, type DeliveryReport, type InvariantName, type InvariantSkip, type InvariantViolation } from '../check';
import { addConsumer } from '../clients/consumer';
import { addProducer } from '../clients/producer';
import { buildCluster } from '../cluster';
import { defaultBrokerConfig } from '../config';
import { MAX_STEPS_PER_RUN } from './limits';
import { scenarioNodeIds, usesAdminTools } from './references';
import { ADMIN_NODE } from '../admin/adminTool';
import type { Fault, Scenario } from './schema';

export interface BuildOptions {
  /** Record message payloads in the trace (the visualizer animates them; sweeps skip them). */
  traceMessages?: boolean;
  /** How the in-memory trace keeps payloads (default 'summary': their top-level string fields; 'full' for tests that read them). */
  tracePayloads?: TracePayloads;
  /** Sees every trace entry whole as it is recorded: `kafkasim run --trace` streams it to the file. */
  traceSink?: (entry: TraceEntry) => void;
  /** Store the trace (default true): off for a run checked through factSink alone. */
  trace?: boolean;
  /** Sees the facts, records and faults as they happen, even with the trace off (the engine's SimulationOptions.factSink). */
  factSink?: (entry: TraceEntry) => void;
  /** Stop the run with a RunLimitError after this many steps (default MAX_STEPS_PER_RUN). */
  maxSteps?: number;
}

export interface BuiltScenario {
  sim: Simulation;
  brokers: string[];
  coordinators: string[];
  producers: string[];
  consumers: string[];
}

export function faultToAction(fault: Fault, coordinators: string[]): ControlAction {
  switch (fault.action) {
    case 'crash': return { type: 'crash', node: fault.target };
    case 'restart': return { type: 'restart', node: fault.target };
    case 'pause': return { type: 'pause', node: fault.target, durationMs: fault.durationMs };
    case 'expire-session': return { type: 'command', node: coordinators[0], name: 'expire-session', data: { owner: fault.target } };
    case 'partition': return { type: 'partition', id: fault.id, sideA: fault.sides[0], sideB: fault.sides[1], oneWay: fault.oneWay };
    case 'heal': return { type: 'heal', id: fault.id };
    case 'link-fault':
      return { type: 'link-fault', id: fault.id, from: fault.from, to: fault.to, drop: fault.drop, duplicate: fault.duplicate, extraDelayMs: fault.delayMs };
    case 'clear-link-fault': return { type: 'clear-link-fault', id: fault.id };
    case 'shutdown': return fault.clean ? { type: 'command', node: fault.target, name: 'shutdown', data: {} } : { type: 'crash', node: fault.target };
    case 'reassign': return { type: 'command', node: ADMIN_NODE, name: 'reassign', data: { partitions: fault.partitions } };
    case 'elect-preferred': return { type: 'command', node: ADMIN_NODE, name: 'elect-preferred', data: { partitions: fault.partitions } };
    case 'delete-topic': return { type: 'command', node: ADMIN_NODE, name: 'delete-topic', data: { topic: fault.topic } };
  }
}

export function buildScenario(scenario: Scenario, options: BuildOptions = {}): BuiltScenario {
  const { cluster, workload } = scenario;
  const { sim, brokers, zkServers } = buildCluster({
    seed: scenario.seed,
    brokers: cluster.brokers,
    zkServers: cluster.coordinators,
    topics: cluster.topics.map((t) => ({
      name: t.name, partitions: t.partitions, replicationFactor: t.replicationFactor, assignment: t.assignment, config: t.config,
    })),
    brokerConfig: cluster.brokerConfig,
    network: {
      latency: { minMs: cluster.network.latencyMs.min, maxMs: cluster.network.latencyMs.max },
      drop: cluster.network.drop,
      duplicate: cluster.network.duplicate,
    },
    traceMessages: options.traceMessages ?? true,
    tracePayloads: options.tracePayloads,
    traceSink: options.traceSink,
    trace: options.trace,
    factSink: options.factSink,
    ...(cluster.transactions ? { transactions: true } : {}),
    ...(usesAdminTools(scenario) ? { admin: true } : {}),
  });
  const ids = scenarioNodeIds(scenario);
  for (const p of workload.producers) {
    addProducer(sim, p.id, {
      bootstrap: brokers,
      config: p.config,
      workload: { topic: p.topic, ratePerSec: p.ratePerSec, startAtMs: p.startAtMs, stopAtMs: p.stopAtMs, count: p.count, keys: p.keys, partition: p.partition },
    });
  }
  workload.consumers.forEach((g) => {
    for (let i = 1; i <= g.count; i++) {
      addConsumer(sim, `${g.idPrefix}-${i}`, {
        bootstrap: brokers,
        // zookeeper.connect, used only with kafkasim.offsets.storage=zookeeper.
        zkServers,
        topics: g.topics,
        startAtMs: g.startAtMs,
        config: { ...g.config, 'group.id': g.group, 'enable.auto.commit': g.config['enable.auto.commit'] ?? g.processing.mode === 'auto-commit' },
        processing: {
          mode: g.processing.mode,
          ...(g.outputTopic ? { outputTopic: g.outputTopic } : {}),
          processingTimeMsPerRecord: g.processing.processingTimeMsPerRecord,
          ...(g.processing.workers ? { workers: { count: g.processing.workers.count, keyOrdered: g.processing.workers.keyOrdered } } : {}),
          ...(g.processing.crash?.member === i
            ? { crash: { afterProcessed: g.processing.crash.afterProcessed, restartAfterMs: g.processing.crash.restartAfterMs } }
            : {}),
        },
      });
    }
  });
  for (const fault of scenario.faults) sim.schedule(fault.atMs, faultToAction(fault, zkServers));
  sim.setLimits({ maxSteps: options.maxSteps ?? MAX_STEPS_PER_RUN });
  return { sim, brokers, coordinators: zkServers, producers: ids.producers, consumers: ids.consumers };
}

export function checkContextOf(scenario: Scenario): CheckContext {
  const broker = { ...defaultBrokerConfig, ...scenario.cluster.brokerConfig };
  return {
    brokers: scenarioNodeIds(scenario).brokers,
    topics: scenario.cluster.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions,
      replicationFactor: t.replicationFactor,
      minInsyncReplicas: t.config?.['min.insync.replicas'] ?? broker['min.insync.replicas'],
      uncleanLeaderElection: t.config?.['unclean.leader.election.enable'] ?? broker['unclean.leader.election.enable'],
    })),
    crashMode: broker['kafkasim.crash.mode'],
  };
}

export interface Outcome {
  traceHash: string;
  delivery: DeliveryReport;
  violations: InvariantViolation[];
  invariantNames: InvariantName[];
  /** The invariants this run did not check because their premise did not hold, with the reason. */
  skipped: InvariantSkip[];
}

/** What the checkers find in a trace: the delivery report and the broken invariants. */
export function checksOf(scenario: Scenario, trace: Trace): Omit<Outcome, 'traceHash'> {
  const delivery = deliveryReport(trace);
  const skipped: InvariantSkip[] = [];
  return { delivery, violations: checkInvariants(trace, checkContextOf(scenario), delivery, skipped), invariantNames, skipped };
}

/**
 * The invariants alone, as a sweep needs them: the violations `kafkasim run` reports, from one
 * pass that makes no delivery report unless an acks=all record was lost (checkRun says why).
 */
export function invariantChecksOf(scenario: Scenario, trace: Trace): Omit<Outcome, 'traceHash' | 'delivery'> & { delivery: DeliveryReport | null } {
  const skipped: InvariantSkip[] = [];
  const { delivery, violations } = checkRun(trace, checkContextOf(scenario), skipped);
  return { delivery, violations, invariantNames, skipped };
}

/**
 * Every invariant but no-acked-loss-when-promised, the one that reads the delivery report,
 * without making it: enough to tell whether a shrink candidate still breaks invariants that do
 * not include that one.
 */
export function invariantChecksWithoutDeliveryOf(scenario: Scenario, trace: Trace): InvariantViolation[] {
  return checkInvariants(trace, checkContextOf(scenario), { records: [] });
}

/** Everything measurable about a run, from its trace. */
export function outcomeOf(scenario: Scenario, trace: Trace): Outcome {
  return { traceHash: traceHash(trace), ...checksOf(scenario, trace) };
}

export interface RunResult extends Outcome {
  scenario: Scenario;
  steps: number;
  trace: TraceStore;
  sim: Simulation;
}

export function runScenario(scenario: Scenario, options: BuildOptions = {}): RunResult {
  const { sim } = buildScenario(scenario, options);
  sim.runUntil(scenario.durationMs);
  return { scenario, steps: sim.step, trace: sim.trace, sim, ...outcomeOf(scenario, sim.trace) };
}
