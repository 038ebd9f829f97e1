/**
 * The Kafka model, as the CLI runs it: validate, apply the overrides (seed included), build with
 * message payloads in the trace, check with the same checkers. `enrich` adds what only the
 * nodes' state knows, through the model's own describe* functions.
 */
import type { Trace, WorldState } from '@kafkasim/engine';
import * as kafka from '@kafkasim/kafka';
import {
  applyOverrides, buildScenario, checkContextOf, checkInvariants, deliveryReport, describeLog, describeZkServer,
  validateScenario, type BrokerDurable, type BrokerVolatile, type Scenario,
} from '@kafkasim/kafka';
import type { Model, RunSpec } from './model';
import { replicaLagCountdowns, requestCountdowns, sessionCountdowns, type CountdownSettings } from './countdowns';
import type { CountdownView, GroupView, LessonMetric, MetricKey, StepView } from './view';

/** The `expect` keys that name a number of the delivery report, and that number's name in a view. */
const metricOfExpectation: Record<string, MetricKey> = {
  lostAcknowledged: 'lost', duplicated: 'duplicated', reordered: 'reordered', unprocessed: 'unprocessed',
  outputDuplicates: 'outputDuplicates', longestAckGapMs: 'longestAckGapMs',
};

/** What the scenario's `expect` says must come out: the numbers its lesson is about, in its own order. */
export function lessonMetricsOf(scenario: Scenario): LessonMetric[] {
  const expect = (scenario.expect ?? {}) as Record<string, unknown>;
  return Object.keys(expect).flatMap((k) => {
    const key = metricOfExpectation[k];
    const value = expect[k];
    if (!key || (typeof value !== 'number' && !Array.isArray(value))) return [];
    return [{ key, expected: Array.isArray(value) ? [Number(value[0]), Number(value[1])] as [number, number] : value }];
  });
}

/** The scenario a spec names, validated, with its overrides and seed applied. */
export function scenarioOf(spec: RunSpec): Scenario {
  if (spec.source !== 'scenario') throw new Error('not a scenario');
  let scenario = validateScenario(spec.scenario, spec.file);
  const overrides = { ...(spec.overrides ?? {}) };
  if (spec.seed !== undefined && spec.seed !== '') overrides.seed = spec.seed;
  if (Object.keys(overrides).length > 0) scenario = applyOverrides(scenario, overrides, spec.file);
  return scenario;
}

const short = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 48 ? `${text.slice(0, 45)}…` : text;
};

type Describe = (state: unknown) => any;
/** Describers other parts may add later: used when the package exports them. */
const optional = kafka as unknown as Record<string, Describe | undefined>;

export function createKafkaModel(): Model {
  const scenarios = new WeakMap<object, Scenario>();
  const scenarioFor = (spec: RunSpec): Scenario => {
    let s = scenarios.get(spec);
    if (!s) scenarios.set(spec, (s = scenarioOf(spec)));
    return s;
  };
  return {
    build(spec) {
      const scenario = scenarioFor(spec);
      const built = buildScenario(scenario, { traceMessages: true });
      return {
        sim: built.sim,
        durationMs: scenario.durationMs,
        title: scenario.title,
        lesson: scenario.lesson,
        lessonMetrics: lessonMetricsOf(scenario),
        story: scenario.story ?? [],
        nodes: [
          ...built.coordinators.map((id) => ({ id, role: 'zk' as const })),
          ...built.brokers.map((id) => ({ id, role: 'broker' as const })),
          ...built.producers.map((id) => ({ id, role: 'producer' as const })),
          ...built.consumers.map((id) => ({ id, role: 'consumer' as const })),
        ],
      };
    },
    report: (trace) => deliveryReport(trace),
    violations(spec, trace: Trace, report) {
      if (spec.source !== 'scenario' || !report) return [];
      return checkInvariants(trace, checkContextOf(scenarioFor(spec)), report as ReturnType<typeof deliveryReport>);
    },
    enrich(view, world, spec) {
      enrichFromState(view, world);
      if (spec?.source === 'scenario') addCountdowns(view, world, settingsOf(scenarioFor(spec)));
    },
  };
}

/** The timeouts the countdowns count, as the scenario configures them. */
function settingsOf(scenario: Scenario): CountdownSettings {
  const brokerConfig = scenario.cluster.brokerConfig as Record<string, unknown>;
  const lag = Number(brokerConfig['replica.lag.time.max.ms'] ?? kafka.defaultBrokerConfig['replica.lag.time.max.ms']);
  const timeouts = new Map<string, number>();
  for (const p of scenario.workload.producers) {
    timeouts.set(p.id, Number((p.config as Record<string, unknown>)['request.timeout.ms'] ?? kafka.defaultProducerConfig['request.timeout.ms']));
  }
  // The consumer's request.timeout.ms default (clients/consumer/config.ts) is not in ConsumerConfig's published keys.
  const consumerDefault = Number((kafka.defaultConsumerConfig as unknown as Record<string, unknown>)['request.timeout.ms'] ?? 5000);
  return { replicaLagMaxMs: lag, requestTimeoutMs: (client) => timeouts.get(client) ?? consumerDefault };
}

function addCountdowns(view: StepView, world: Readonly<WorldState>, settings: CountdownSettings): void {
  const now = view.time;
  const out: CountdownView[] = [];
  for (const s of view.zk.servers) {
    const record = world.nodes[s.id];
    if (!record?.booted || record.status !== 'up') continue;
    const d = describeZkServer(record.state as Parameters<typeof describeZkServer>[0]);
    if (d.role === 'leading') out.push(...sessionCountdowns(s.id, d.sessions, now));
  }
  for (const p of view.topics) {
    if (!p.leader || p.topic.startsWith('__')) continue;
    const record = world.nodes[p.leader];
    if (!record?.booted || record.status !== 'up') continue;
    const replica = (record.state.volatile as BrokerVolatile | null)?.partitions[p.key];
    const leo = p.logs.find((l) => l.broker === p.leader)?.logEndOffset;
    if (replica && leo !== undefined) out.push(...replicaLagCountdowns(p.leader, p.key, replica as never, leo, p.isr, now, settings.replicaLagMaxMs));
  }
  out.push(...requestCountdowns(world, now, settings.requestTimeoutMs));
  view.countdowns = out.sort((a, b) => a.deadline - b.deadline);
}

export function enrichFromState(view: StepView, world: Readonly<WorldState>): void {
  enrichBrokers(view, world);
  enrichCoordinator(view, world);
  enrichGroups(view, world);
}

/**
 * Segments, log start and high watermarks from the brokers' state. describeBroker would list
 * every record of every log; describeLog per partition costs the number of segments, so a view
 * stays the same price however long the run.
 */
function enrichBrokers(view: StepView, world: Readonly<WorldState>): void {
  const byTp = new Map(view.topics.map((p) => [p.key, p]));
  for (const n of view.nodes) {
    if (n.role !== 'broker') continue;
    const record = world.nodes[n.id];
    if (!record?.booted) continue;
    const durable = record.state.durable as BrokerDurable;
    const volatile = record.state.volatile as BrokerVolatile | null;
    for (const key of Object.keys(durable.logs)) {
      const p = byTp.get(key);
      const log = p?.logs.find((l) => l.broker === n.id);
      if (!p || !log) continue;
      const d = describeLog(durable.logs[key]);
      log.logStartOffset = d.logStartOffset;
      log.logEndOffset = d.logEndOffset;
      const replica = volatile?.partitions[key];
      // As describeBroker: a running replica's HW, or the checkpointed one on a stopped broker.
      if (replica) log.highWatermark = replica.highWatermark;
      else if (n.status === 'crashed') log.highWatermark = Math.min(d.highWatermarkCheckpoint, d.logEndOffset);
      log.segments = d.segments.map((s) => ({ baseOffset: s.baseOffset, nextOffset: s.nextOffset, active: s.active }));
      if (p.leader === n.id) p.highWatermark = log.highWatermark;
    }
  }
}

function enrichCoordinator(view: StepView, world: Readonly<WorldState>): void {
  const servers = view.zk.servers;
  let best: { zxid: number; leading: boolean; d: ReturnType<typeof describeZkServer> } | null = null;
  for (const s of servers) {
    const record = world.nodes[s.id];
    if (!record?.booted) continue;
    const d = describeZkServer(record.state as Parameters<typeof describeZkServer>[0]);
    s.role = d.role === 'down' ? 'down' : d.role;
    s.zxid = d.zxid;
    const leading = d.role === 'leading';
    if (d.role !== 'down' && (!best || (leading && !best.leading) || (leading === best.leading && d.zxid > best.zxid))) best = { zxid: d.zxid, leading, d };
  }
  // The ensemble has a leader only while a running server is leading (none during an election or without quorum).
  view.zk.leader = servers.find((s) => s.role === 'leading')?.id ?? null;
  if (!best) return;
  const d = best.d;
  view.zk.zxid = d.zxid;
  view.zk.tree = d.tree.map((z) => ({ path: z.path, ephemeral: z.ephemeral, owner: z.stat.ephemeralOwner, data: short(z.data) }));
  const expired = view.zk.sessions.filter((s) => !s.alive && !d.sessions.some((x) => x.id === s.id));
  const known = new Map(view.zk.sessions.map((s) => [s.id, s]));
  view.zk.sessions = [
    ...d.sessions.map((s) => ({ id: s.id, owner: s.owner, server: known.get(s.id)?.server ?? null, alive: true })),
    ...expired,
  ];
}

/** The group coordinators' own view, when the package exports describeGroups. */
function enrichGroups(view: StepView, world: Readonly<WorldState>): void {
  const describeGroups = optional.describeGroups;
  if (typeof describeGroups !== 'function') return;
  const byName = new Map(view.groups.map((g) => [g.group, g]));
  for (const n of view.nodes) {
    if (n.role !== 'broker' || n.status !== 'up') continue;
    const volatile = world.nodes[n.id]?.state.volatile as { group?: unknown } | null;
    if (!volatile?.group) continue;
    const described = describeGroups(volatile.group) as { groups: { groupId: string; state: string; generation: number; members: { memberId: string; node: string; assignment: { topic: string; partition: number }[] }[]; committed: { topic: string; partition: number; offset: number }[] }[] };
    for (const g of described.groups) {
      const target: GroupView = byName.get(g.groupId) ?? { group: g.groupId, generation: 0, state: 'empty', reason: null, members: [], committed: [], positions: [], processed: [], revoked: [] };
      target.generation = g.generation;
      target.state = /Rebalance|Awaiting|Preparing|Completing/i.test(g.state) ? 'rebalancing' : g.members.length > 0 ? 'stable' : 'empty';
      target.members = g.members.map((m) => ({ member: m.memberId, node: m.node, assignment: m.assignment.map((tp) => `${tp.topic}-${tp.partition}`) }));
      target.committed = g.committed.map((c) => ({ tp: `${c.topic}-${c.partition}`, offset: c.offset }));
      if (!byName.has(g.groupId)) {
        view.groups.push(target);
        byName.set(g.groupId, target);
      }
    }
  }
}
