/**
 * A whole cluster in one call: the coordinator ensemble ('zk-1'..) and the brokers
 * ('broker-<id>'), on one simulation. Producers and consumers are added by their own modules.
 */
import { Simulation, type NetworkConfig, type NodeId, type TraceEntry, type TracePayloads } from '@kafkasim/engine';
import { createBroker } from './broker';
import { defaultBrokerConfig, type BrokerConfig, type TopicConfig } from './config';
import { createZkServer } from './coordinator';
import { brokerNodeId } from './protocol';
import { ADMIN_NODE, createAdminTool } from './admin/adminTool';

export interface ClusterOptions {
  seed: string | number;
  /** How many brokers (ids 1..n), or their ids. */
  brokers: number | number[];
  zkServers: 1 | 3 | 5;
  topics: TopicConfig[];
  brokerConfig?: Partial<BrokerConfig>;
  network?: Partial<NetworkConfig>;
  /** Record a trace (default true). */
  trace?: boolean;
  /** Keep message payloads in the trace (default true). */
  traceMessages?: boolean;
  /** How the in-memory trace keeps them (default 'summary', see the engine's TracePayloads). */
  tracePayloads?: TracePayloads;
  /** Sees every trace entry whole as it is recorded (to stream a trace to a file). */
  traceSink?: (entry: TraceEntry) => void;
  /** Sees the facts, records and faults as they happen, even with the trace off (see the engine's SimulationOptions). */
  factSink?: (entry: TraceEntry) => void;
  /** When the brokers boot (default 0; the coordinators always boot at 0). */
  brokersStartAt?: number;
  /** Transactions: create __transaction_state and host transaction coordinators (default false). */
  transactions?: boolean;
  /**
   * Admin tools (reassignment, preferred election, topic deletion): the controller creates and
   * watches the /admin paths, and an 'admin' node holds a ZooKeeper session to write them (default false).
   */
  admin?: boolean;
}

export interface Cluster {
  sim: Simulation;
  brokers: NodeId[];
  zkServers: NodeId[];
}

export function buildCluster(options: ClusterOptions): Cluster {
  const sim = new Simulation({ seed: options.seed, network: options.network, trace: options.trace, traceMessages: options.traceMessages,
    tracePayloads: options.tracePayloads, traceSink: options.traceSink, factSink: options.factSink,
  });
  const zkServers = Array.from({ length: options.zkServers }, (_, i) => `zk-${i + 1}`);
  for (const id of zkServers) sim.addNode(id, createZkServer({ id, ensemble: zkServers }));
  const ids = typeof options.brokers === 'number' ? Array.from({ length: options.brokers }, (_, i) => i + 1) : [...options.brokers];
  const env = {
    zkServers,
    config: { ...defaultBrokerConfig, ...options.brokerConfig },
    topics: options.topics.map((t) => ({ ...t })),
    allBrokerIds: ids,
    ...(options.transactions ? { transactions: true } : {}),
    ...(options.admin ? { admin: true } : {}),
  };
  const brokers = ids.map(brokerNodeId);
  ids.forEach((id) => sim.addNode(brokerNodeId(id), createBroker(id, env), options.brokersStartAt ?? 0));
  if (options.admin) sim.addNode(ADMIN_NODE, createAdminTool(zkServers, env.config['zookeeper.session.timeout.ms']));
  return { sim, brokers, zkServers };
}
