import type { ControlAction, NetworkConfig, NodeId, Rng } from './types';

type PartitionRule = Extract<ControlAction, { type: 'partition' }>;
type LinkFault = Extract<ControlAction, { type: 'link-fault' }>;

/** The network's mutable part, kept in the world state so checkpoints capture it. */
export interface NetworkState {
  partitions: PartitionRule[];
  linkFaults: LinkFault[];
  /** Latest arrival time per directed link, to keep links FIFO like TCP. */
  lastArrival: Record<string, number>;
}

export const defaultNetworkConfig: NetworkConfig = {
  latency: { minMs: 1, maxMs: 3 },
  drop: 0,
  duplicate: 0,
  fifo: true,
};

export function createNetworkState(): NetworkState {
  return { partitions: [], linkFaults: [], lastArrival: {} };
}

export function isBlocked(net: NetworkState, from: NodeId, to: NodeId): boolean {
  const partitions = net.partitions;
  if (partitions.length === 0) return false;
  for (const p of partitions) {
    if (p.sideA.includes(from) && p.sideB.includes(to)) return true;
    if (!p.oneWay && p.sideB.includes(from) && p.sideA.includes(to)) return true;
  }
  return false;
}

function faultsOn(net: NetworkState, from: NodeId, to: NodeId): LinkFault[] {
  return net.linkFaults.filter(
    (f) => (!f.from || f.from.includes(from)) && (!f.to || f.to.includes(to)),
  );
}

/**
 * The fate of one message, written by transmit into an object its caller keeps and reuses:
 * one per message was, with its array of arrivals, the network's only allocation.
 */
export interface Transmission {
  /** How many copies get through: 0 when dropped, 2 when duplicated. */
  copies: 0 | 1 | 2;
  /** When they arrive (both copies of a duplicate at once); meaningless when copies is 0. */
  arrival: number;
}

/**
 * Decides the fate of one message. Draws come from the network's own stream in a fixed
 * order (drop, latency, duplicate) so the same seed always yields the same fates.
 */
/** `${from}>${to}`, the key of a directed link in NetworkState.lastArrival. */
export function linkKey(from: NodeId, to: NodeId): string {
  return `${from}>${to}`;
}

/** linkKey, built once per link (for callers without a faster way to remember it). */
const linkKeys = new Map<NodeId, Map<NodeId, string>>();
function cachedLinkKey(from: NodeId, to: NodeId): string {
  let byTo = linkKeys.get(from);
  if (byTo === undefined) linkKeys.set(from, (byTo = new Map()));
  let key = byTo.get(to);
  if (key === undefined) byTo.set(to, (key = linkKey(from, to)));
  return key;
}

export function transmit(
  net: NetworkState,
  config: NetworkConfig,
  rng: Rng,
  from: NodeId,
  to: NodeId,
  now: number,
  out: Transmission,
  /** linkKey(from, to), when the caller has it at hand. */
  link: string = cachedLinkKey(from, to),
): Transmission {
  // Without link faults the reductions below are their initial values: skip building them.
  const faults = net.linkFaults.length === 0 ? null : faultsOn(net, from, to);
  const drop = faults === null ? config.drop : faults.reduce((p, f) => 1 - (1 - p) * (1 - (f.drop ?? 0)), config.drop);
  if (rng.chance(drop)) {
    out.copies = 0;
    return out;
  }
  const extra = faults === null ? 0 : faults.reduce((d, f) => d + (f.extraDelayMs ?? 0), 0);
  let arrival = now + rng.int(config.latency.minMs, config.latency.maxMs) + extra;
  if (config.fifo) arrival = Math.max(arrival, net.lastArrival[link] ?? 0);
  net.lastArrival[link] = arrival;
  const duplicate = faults === null ? config.duplicate : faults.reduce((p, f) => 1 - (1 - p) * (1 - (f.duplicate ?? 0)), config.duplicate);
  out.copies = rng.chance(duplicate) ? 2 : 1;
  out.arrival = arrival;
  return out;
}

export function applyNetworkAction(net: NetworkState, action: ControlAction): void {
  switch (action.type) {
    case 'partition':
      net.partitions = net.partitions.filter((p) => p.id !== action.id).concat([action]);
      break;
    case 'heal':
      net.partitions = action.id ? net.partitions.filter((p) => p.id !== action.id) : [];
      break;
    case 'link-fault':
      net.linkFaults = net.linkFaults.filter((f) => f.id !== action.id).concat([action]);
      break;
    case 'clear-link-fault':
      net.linkFaults = action.id ? net.linkFaults.filter((f) => f.id !== action.id) : [];
      break;
    default:
      throw new Error(`not a network action: ${action.type}`);
  }
}
