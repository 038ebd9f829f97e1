/**
 * The znodes the controller reads and writes (Kafka's ZkData.scala), their JSON shapes, and the
 * coordinator's client calls it uses. Data is stored as plain objects (Kafka stores JSON text).
 */
import type { ZkOp } from '../coordinator/api';
import type { Leadership } from './state';

export {
  zkCreate, zkExists, zkGetChildren, zkGetData, zkMulti, zkSessionId,
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

/** Partition number -> replicas, from /brokers/topics/<topic>. */
export function parseTopicAssignment(data: unknown): { partition: number; replicas: number[] }[] {
  const partitions = (data as { partitions?: Record<string, number[]> } | null)?.partitions ?? {};
  return Object.keys(partitions)
    .map((p) => ({ partition: Number(p), replicas: partitions[p].map(Number) }))
    .sort((a, b) => a.partition - b.partition);
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
