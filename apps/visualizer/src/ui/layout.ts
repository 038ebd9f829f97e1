/** Where each node sits in the cluster drawing: coordinators on top, brokers in the middle, clients below. */
import type { NodeInfo } from '../core/view';

export interface Point { x: number; y: number }

export const CLUSTER_W = 640;
export const CLUSTER_H = 330;

function spread(count: number, y: number, from = 60, to = CLUSTER_W - 60): Point[] {
  if (count === 0) return [];
  if (count === 1) return [{ x: (from + to) / 2, y }];
  return Array.from({ length: count }, (_, i) => ({ x: from + ((to - from) * i) / (count - 1), y }));
}

export function layoutNodes(nodes: NodeInfo[]): Record<string, Point> {
  const byRole = (role: NodeInfo['role']) => nodes.filter((n) => n.role === role);
  const pos: Record<string, Point> = {};
  const zk = byRole('zk');
  const brokers = byRole('broker');
  const producers = byRole('producer');
  const consumers = byRole('consumer');
  const other = byRole('other');
  spread(zk.length, 42, 200, 440).forEach((p, i) => (pos[zk[i].id] = p));
  // On an arc, so that the link between two brokers never runs through a third.
  spread(brokers.length, 160, 90, CLUSTER_W - 90).forEach((p, i) => {
    const k = brokers.length > 1 ? i / (brokers.length - 1) : 0.5;
    pos[brokers[i].id] = { x: p.x, y: 185 - 55 * Math.sin(Math.PI * k) };
  });
  spread(producers.length, 285, 40, producers.length + consumers.length > 0 ? 260 : 600).forEach((p, i) => (pos[producers[i].id] = p));
  spread(consumers.length, 285, 380, CLUSTER_W - 40).forEach((p, i) => (pos[consumers[i].id] = p));
  spread(other.length, 160, 120, CLUSTER_W - 120).forEach((p, i) => (pos[other[i].id] = p));
  return pos;
}
