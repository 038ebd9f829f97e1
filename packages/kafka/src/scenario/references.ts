/**
 * Checks zod cannot express: that every broker id, node id, topic and time a scenario names
 * exists and fits together.
 */
import type { ScenarioIssue } from './errors';
import type { Scenario } from './schema';

export function scenarioNodeIds(s: Scenario): { brokers: string[]; coordinators: string[]; producers: string[]; consumers: string[] } {
  return {
    brokers: Array.from({ length: s.cluster.brokers }, (_, i) => `broker-${i + 1}`),
    coordinators: Array.from({ length: s.cluster.coordinators }, (_, i) => `zk-${i + 1}`),
    producers: s.workload.producers.map((p) => p.id),
    consumers: s.workload.consumers.flatMap((g) => Array.from({ length: g.count }, (_, i) => `${g.idPrefix}-${i + 1}`)),
  };
}

const ADMIN_ACTIONS: readonly string[] = ['reassign', 'elect-preferred', 'delete-topic'];

/** Scenarios with admin actions get the 'admin' node and a controller that watches /admin. */
export const usesAdminTools = (s: Scenario): boolean => s.faults.some((f) => ADMIN_ACTIONS.includes(f.action));

export function checkReferences(s: Scenario): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });
  const ids = scenarioNodeIds(s);
  const allNodes = [...ids.brokers, ...ids.coordinators, ...ids.producers, ...ids.consumers];
  const nodeList = (kinds: string[]) => (kinds.length > 6 ? `${kinds.slice(0, 6).join(', ')}, ...` : kinds.join(', '));
  const topics = new Map(s.cluster.topics.map((t) => [t.name, t]));

  const seen = new Set<string>();
  allNodes.forEach((id) => {
    if (seen.has(id)) issue('workload', `node id "${id}" is used twice (broker-N and zk-N are taken by the cluster)`);
    seen.add(id);
  });
  if (usesAdminTools(s) && seen.has('admin')) issue('workload', 'node id "admin" is taken by the admin tool (the scenario has reassign, elect-preferred or delete-topic actions)');

  s.cluster.topics.forEach((t, i) => {
    const at = `cluster.topics[${i}]`;
    if (s.cluster.topics.findIndex((o) => o.name === t.name) !== i) issue(`${at}.name`, `topic "${t.name}" is defined twice`);
    if (t.replicationFactor > s.cluster.brokers) {
      issue(`${at}.replicationFactor`, `expected at most ${s.cluster.brokers} (the number of brokers), got ${t.replicationFactor}`);
    }
    if (t.assignment) {
      if (t.assignment.length !== t.partitions) issue(`${at}.assignment`, `expected ${t.partitions} entries (one per partition), got ${t.assignment.length}`);
      t.assignment.forEach((replicas, p) => {
        if (replicas.length !== t.replicationFactor) issue(`${at}.assignment[${p}]`, `expected ${t.replicationFactor} broker ids (the replication factor), got ${replicas.length}`);
        replicas.forEach((b, r) => {
          if (b > s.cluster.brokers) issue(`${at}.assignment[${p}][${r}]`, `unknown broker id ${b}: the cluster has brokers 1..${s.cluster.brokers}`);
        });
        if (new Set(replicas).size !== replicas.length) issue(`${at}.assignment[${p}]`, `a broker appears twice in one partition's replicas`);
      });
    }
  });

  const { latencyMs } = s.cluster.network;
  if (latencyMs.min > latencyMs.max) issue('cluster.network.latencyMs', `min (${latencyMs.min}) must be <= max (${latencyMs.max})`);

  s.workload.producers.forEach((p, i) => {
    const at = `workload.producers[${i}]`;
    const topic = topics.get(p.topic);
    if (!topic) issue(`${at}.topic`, `unknown topic "${p.topic}"; defined: ${[...topics.keys()].join(', ')}`);
    if (topic && p.partition !== undefined && p.partition >= topic.partitions) {
      issue(`${at}.partition`, `topic "${p.topic}" has partitions 0..${topic.partitions - 1}, got ${p.partition}`);
    }
    if (p.stopAtMs !== undefined && p.stopAtMs <= p.startAtMs) issue(`${at}.stopAtMs`, `must be after startAtMs (${p.startAtMs})`);
    if (p.startAtMs >= s.durationMs) issue(`${at}.startAtMs`, `must be before durationMs (${s.durationMs})`);
    const c = p.config;
    if (c['enable.idempotence'] && (c['max.in.flight.requests.per.connection'] ?? 5) > 5) {
      issue(`${at}.config.max.in.flight.requests.per.connection`, 'must be at most 5 with enable.idempotence=true (as Kafka requires)');
    }
    if (c['enable.idempotence'] && c.acks !== undefined && c.acks !== 'all') issue(`${at}.config.acks`, 'must be "all" with enable.idempotence=true (as Kafka requires)');
  });

  s.workload.consumers.forEach((g, i) => {
    const at = `workload.consumers[${i}]`;
    g.topics.forEach((t, j) => {
      if (!topics.has(t)) issue(`${at}.topics[${j}]`, `unknown topic "${t}"; defined: ${[...topics.keys()].join(', ')}`);
    });
    if (g.startAtMs >= s.durationMs) issue(`${at}.startAtMs`, `must be before durationMs (${s.durationMs})`);
    if (g.processing.crash && g.processing.crash.member > g.count) {
      issue(`${at}.processing.crash.member`, `the group has members 1..${g.count}, got ${g.processing.crash.member}`);
    }
    if (g.outputTopic !== undefined && !topics.has(g.outputTopic)) {
      issue(`${at}.outputTopic`, `unknown topic "${g.outputTopic}"; defined: ${[...topics.keys()].join(', ')}`);
    }
    if (g.outputTopic !== undefined && g.topics.includes(g.outputTopic)) issue(`${at}.outputTopic`, `must differ from the group's input topics`);
    if (g.outputTopic !== undefined && g.processing.workers) issue(`${at}.processing.workers`, 'not supported with outputTopic (thread-per-consumer only)');
    if (g.processing.mode === 'exactly-once') {
      if (g.outputTopic === undefined) issue(`${at}.outputTopic`, 'required with processing.mode "exactly-once" (consume-process-produce into this topic)');
      if (!s.cluster.transactions) issue('cluster.transactions', `must be true: workload.consumers[${i}] uses processing.mode "exactly-once"`);
      if (g.config['isolation.level'] !== 'read_committed') {
        issue(`${at}.config.isolation.level`, 'must be "read_committed" with processing.mode "exactly-once" (an exactly-once pipeline reads only committed records)');
      }
      if (g.config['kafkasim.offsets.storage'] === 'zookeeper') {
        issue(`${at}.config.kafkasim.offsets.storage`, 'must be "kafka" with processing.mode "exactly-once" (its offsets are written in the transaction, to __consumer_offsets)');
      }
    }
    // Readers of a transactional output topic must skip aborted and open transactions.
    s.workload.consumers.forEach((w, k) => {
      if (w.processing.mode === 'exactly-once' && w.outputTopic !== undefined && g.topics.includes(w.outputTopic) && g.config['isolation.level'] !== 'read_committed') {
        issue(`${at}.config.isolation.level`, `must be "read_committed": the group reads "${w.outputTopic}", which workload.consumers[${k}] writes exactly-once (read_uncommitted would see aborted output)`);
      }
    });
    if (g.processing.mode !== 'auto-commit' && g.config['enable.auto.commit'] === true) {
      issue(`${at}.config.enable.auto.commit`, `must be false with processing.mode "${g.processing.mode}" (that mode commits by hand)`);
    }
  });

  /** The topic of a partition a fault names, after checking both exist. */
  const knownPartition = (topic: string, partition: number, path: string) => {
    const t = topics.get(topic);
    if (!t) issue(`${path}.topic`, `unknown topic "${topic}"; defined: ${[...topics.keys()].join(', ')}`);
    else if (partition >= t.partitions) issue(`${path}.partition`, `topic "${topic}" has partitions 0..${t.partitions - 1}, got ${partition}`);
    return t;
  };

  s.faults.forEach((f, i) => {
    const at = `faults[${i}]`;
    if (f.atMs > s.durationMs) issue(`${at}.atMs`, `must be within the run (durationMs ${s.durationMs}), got ${f.atMs}`);
    const known = (id: string, path: string, allowed = allNodes) => {
      if (!allowed.includes(id)) issue(path, `unknown node "${id}"; expected one of ${nodeList(allowed)}`);
    };
    switch (f.action) {
      case 'crash':
      case 'restart':
      case 'pause':
        known(f.target, `${at}.target`);
        break;
      case 'expire-session':
        known(f.target, `${at}.target`, ids.brokers);
        if (ids.coordinators.length === 0) issue(`${at}.target`, 'no coordinator to expire a session on');
        break;
      case 'partition':
        f.sides.forEach((side, k) => side.forEach((id, j) => known(id, `${at}.sides[${k}][${j}]`)));
        if (f.sides[0].some((id) => f.sides[1].includes(id))) issue(`${at}.sides`, 'a node cannot be on both sides of a partition');
        break;
      case 'link-fault':
        (f.from ?? []).forEach((id, j) => known(id, `${at}.from[${j}]`));
        (f.to ?? []).forEach((id, j) => known(id, `${at}.to[${j}]`));
        break;
      case 'shutdown':
        known(f.target, `${at}.target`, ids.brokers);
        break;
      case 'reassign':
        f.partitions.forEach((tp, j) => {
          const path = `${at}.partitions[${j}]`;
          const topic = knownPartition(tp.topic, tp.partition, path);
          tp.replicas.forEach((b, r) => {
            if (b > s.cluster.brokers) issue(`${path}.replicas[${r}]`, `unknown broker id ${b}: the cluster has brokers 1..${s.cluster.brokers}`);
          });
          if (new Set(tp.replicas).size !== tp.replicas.length) issue(`${path}.replicas`, `a broker appears twice in one partition's replicas`);
          if (topic && f.partitions.findIndex((o) => o.topic === tp.topic && o.partition === tp.partition) !== j) {
            issue(path, `partition ${tp.topic}-${tp.partition} is listed twice`);
          }
        });
        break;
      case 'elect-preferred':
        f.partitions.forEach((tp, j) => knownPartition(tp.topic, tp.partition, `${at}.partitions[${j}]`));
        break;
      case 'delete-topic':
        if (!topics.has(f.topic)) issue(`${at}.topic`, `unknown topic "${f.topic}"; defined: ${[...topics.keys()].join(', ')}`);
        break;
      default:
        break;
    }
  });

  (s.story ?? []).forEach((step, i) => {
    const at = `story[${i}]`;
    if (step.atMs === undefined && step.fact === undefined) issue(at, 'needs "atMs" or "fact": when the key moment happens');
    if (step.atMs !== undefined && step.atMs > s.durationMs) issue(`${at}.atMs`, `must be within the run (durationMs ${s.durationMs}), got ${step.atMs}`);
    if (step.node !== undefined && step.fact === undefined) issue(`${at}.node`, 'only with "fact" (the node whose fact it is)');
    if (step.node !== undefined && !allNodes.includes(step.node)) issue(`${at}.node`, `unknown node "${step.node}"; expected one of ${nodeList(allNodes)}`);
  });
  return issues;
}
