/**
 * The znodes the controller reads and writes (Kafka's ZkData.scala), their JSON shapes, and the
 * coordinator's client calls it uses. Data is stored as plain objects (Kafka stores JSON text).
 */
import type { ZkOp } from '../coordinator/api';
import type { Leadership } from './state';

export {
  zkCreate, zkDelete, zkExists, zkGetChildren, zkGetData, zkMulti, zkSessionId,
} from '../coordinator';
export type { ZkClientState } from '../coordinator';

export const CONTROLLER_PATH = '/controller';
export const CONTROLLER_EPOCH_PATH = '/controller_epoch';
export const BROKER_IDS_PATH = '/brokers/ids';
export const TOPICS_PATH = '/brokers/topics';
/** Kafka's KafkaZkClient.createTopLevelPaths, the part kafkasim uses. */
export const TOP_LEVEL_PATHS = ['/brokers', BROKER_IDS_PATH, TOPICS_PATH];

export const brokerPath = (id: number): string => `${BROKER_IDS_PATH}/${id}`;
export const topicPath = (topic: string): string => `${TOPICS_PATH}/${topic}`;
export const partitionsPath = (topic: string): string => `${topicPath(topic)}/partitions`;
export const partitionPath = (topic: string, partition: number): string => `${partitionsPath(topic)}/${partition}`;
export const statePath = (topic: string, partition: number): string => `${partitionPath(topic, partition)}/state`;

/** Kafka's first controller gets epoch 1: /controller_epoch is created with 0 and bumped by the winner. */
export const INITIAL_CONTROLLER_EPOCH_DATA = 0;

export const controllerZnodeData = (brokerId: number, now: number) => ({ version: 1, brokerid: brokerId, timestamp: String(now) });

export function parseControllerId(data: unknown): number {
  if (data && typeof data === 'object' && 'brokerid' in data) return Number((data as { brokerid: unknown }).brokerid);
  const n = Number(data);
  return Number.isFinite(n) ? n : -1;
}

export const parseEpoch = (data: unknown): number => Number(data);

export const topicZnodeData = (assignment: number[][]) => ({
  version: 1,
  partitions: Object.fromEntries(assignment.map((replicas, p) => [String(p), [...replicas]])),
});

/**
 * KIP-455's topic znode during a reassignment (version 2): the full replica set RS per partition
 * plus adding_replicas / removing_replicas for the partitions being moved.
 */
export const reassigningTopicZnodeData = (
  partitions: { partition: number; replicas: number[]; adding: number[]; removing: number[] }[],
) => ({
  version: 2,
  partitions: Object.fromEntries(partitions.map((p) => [String(p.partition), [...p.replicas]])),
  adding_replicas: Object.fromEntries(partitions.filter((p) => p.adding.length > 0).map((p) => [String(p.partition), [...p.adding]])),
  removing_replicas: Object.fromEntries(partitions.filter((p) => p.removing.length > 0).map((p) => [String(p.partition), [...p.removing]])),
});

/** Partition number -> replicas (and a reassignment's AR/RR), from /brokers/topics/<topic>. */
export function parseTopicAssignment(data: unknown): { partition: number; replicas: number[]; adding: number[]; removing: number[] }[] {
  const d = data as { partitions?: Record<string, number[]>; adding_replicas?: Record<string, number[]>; removing_replicas?: Record<string, number[]> } | null;
  const partitions = d?.partitions ?? {};
  return Object.keys(partitions)
    .map((p) => ({
      partition: Number(p),
      replicas: partitions[p].map(Number),
      adding: (d?.adding_replicas?.[p] ?? []).map(Number),
      removing: (d?.removing_replicas?.[p] ?? []).map(Number),
    }))
    .sort((a, b) => a.partition - b.partition);
}

// ---- admin paths (ZkData.scala: AdminZNode and its children) -------------------------------
export const ADMIN_PATH = '/admin';
export const DELETE_TOPICS_PATH = '/admin/delete_topics';
export const REASSIGN_PARTITIONS_PATH = '/admin/reassign_partitions';
export const PREFERRED_ELECTION_PATH = '/admin/preferred_replica_election';
/** KafkaZkClient.createTopLevelPaths creates these too (kafkasim: only in clusters that run admin tools). */
export const ADMIN_TOP_LEVEL_PATHS = [ADMIN_PATH, DELETE_TOPICS_PATH, '/kafkasim', '/kafkasim/deleted_topics'];
export const deleteTopicPath = (topic: string): string => `${DELETE_TOPICS_PATH}/${topic}`;
/**
 * kafkasim only: the startup topics are created by the controller (not by an admin before the
 * lesson), so a deleted one is remembered here, or the next controller would create it again.
 */
export const DELETED_TOPICS_PATH = '/kafkasim/deleted_topics';
export const deletedTopicPath = (topic: string): string => `${DELETED_TOPICS_PATH}/${topic}`;

/** /admin/reassign_partitions and /admin/preferred_replica_election list partitions as { topic, partition[, replicas] }. */
export function parseAdminPartitions(data: unknown): { topic: string; partition: number; replicas?: number[] }[] {
  const list = (data as { partitions?: unknown[] } | null)?.partitions;
  if (!Array.isArray(list)) return [];
  return list.flatMap((e) => {
    const entry = e as { topic?: unknown; partition?: unknown; replicas?: unknown };
    if (typeof entry.topic !== 'string' || !Number.isInteger(entry.partition)) return [];
    const replicas = Array.isArray(entry.replicas) ? entry.replicas.map(Number) : undefined;
    return [{ topic: entry.topic, partition: entry.partition as number, ...(replicas ? { replicas } : {}) }];
  });
}

export const stateZnodeData = (l: Leadership) => ({
  version: 1,
  controller_epoch: l.controllerEpoch,
  leader: l.leader,
  leader_epoch: l.leaderEpoch,
  isr: [...l.isr],
});

export function parseState(data: unknown, version: number): Leadership {
  const d = data as { controller_epoch: number; leader: number; leader_epoch: number; isr: number[] };
  return { leader: d.leader, leaderEpoch: d.leader_epoch, isr: d.isr.map(Number), controllerEpoch: d.controller_epoch, zkVersion: version };
}

/** Kafka's controller-epoch fencing (KAFKA-6082): every controller write is a multi starting with this check. */
export const epochCheck = (epochZkVersion: number): ZkOp => ({ op: 'check', path: CONTROLLER_EPOCH_PATH, version: epochZkVersion });
