/**
 * Test support for the admin operations: the teaching scenarios as data to vary, a run, and
 * readers for the facts, the brokers' disks and the coordinator's znodes at the end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrokerState } from '../../broker/types';
import { describeZkServer } from '../../coordinator';
import { parseScenario, runScenario, type Scenario } from '../../scenario';

const scenariosDir = join(new URL('.', import.meta.url).pathname, '../../../../../scenarios');

/** A scenario file, parsed, with `change` applied to its raw JSON first. */
export function scenarioFile(name: string, change: (raw: any) => void = () => undefined): Scenario {
  const raw = JSON.parse(readFileSync(join(scenariosDir, `${name}.json`), 'utf8'));
  change(raw);
  return parseScenario(JSON.stringify(raw), `${name}.json`);
}

export function run(scenario: Scenario) {
  const r = runScenario(scenario, { traceMessages: false });
  const facts = (event: string): any[] =>
    r.trace.filter((e) => e.type === 'record' && e.event === event).map((e) => ({ node: e.node, time: e.time, ...(e.data as object) }));
  const broker = (id: string) => r.sim.node(id).state as BrokerState;
  const znodes = (): Record<string, unknown> => {
    const tree = describeZkServer(r.sim.node('zk-1').state as any).tree;
    return Object.fromEntries(tree.map((n) => [n.path, n.data]));
  };
  /** The last leader elected for a partition at or before `time`. */
  const leaderAt = (topic: string, partition: number, time = Infinity): string | undefined =>
    facts('leader-elected').filter((f) => f.topic === topic && f.partition === partition && f.time <= time).at(-1)?.leader;
  return { ...r, facts, broker, znodes, leaderAt };
}
