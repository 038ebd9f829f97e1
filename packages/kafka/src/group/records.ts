/**
 * The records the coordinator writes to __consumer_offsets (host.ts fixes the keys):
 *   key `offset:<group>:<topic>:<partition>`, value the offset as a decimal string
 *     (commit metadata, when not empty, in the `metadata` header);
 *   key `group:<group>`, value a GroupRecordValue as JSON (Kafka's GroupMetadataValue).
 * Loading replays a partition's log; the last record per key wins, as with a compacted topic.
 */
import type { RecordInput, StoredRecord } from '../storage';
import type { CommittedOffset, GroupMetadata, GroupRecordValue, LoadedPartition } from './types';

export function offsetRecordKey(groupId: string, topic: string, partition: number): string {
  return `offset:${groupId}:${topic}:${partition}`;
}

export function groupRecordKey(groupId: string): string {
  return `group:${groupId}`;
}

export function offsetRecord(groupId: string, topic: string, partition: number, offset: number, metadata: string, now: number): Omit<RecordInput, 'leaderEpoch'> {
  return {
    key: offsetRecordKey(groupId, topic, partition),
    value: String(offset),
    timestamp: now,
    ...(metadata ? { headers: { metadata } } : {}),
  };
}

export function groupRecordValue(group: GroupMetadata, assignment: Record<string, { topic: string; partition: number }[]> | null): GroupRecordValue {
  return {
    groupId: group.groupId,
    protocolType: group.protocolType,
    generation: group.generationId,
    protocol: group.protocolName,
    leader: group.leaderId,
    nextMemberSeq: group.nextMemberSeq,
    members: group.members.map((m) => ({
      memberId: m.memberId,
      node: m.node,
      sessionTimeoutMs: m.sessionTimeoutMs,
      rebalanceTimeoutMs: m.rebalanceTimeoutMs,
      subscription: structuredClone(m.protocols.find((p) => p.name === group.protocolName)?.metadata ?? null),
      assignment: (assignment?.[m.memberId] ?? m.assignment).map((tp) => ({ topic: tp.topic, partition: tp.partition })),
    })),
  };
}

export function groupRecord(value: GroupRecordValue, now: number): Omit<RecordInput, 'leaderEpoch'> {
  return { key: groupRecordKey(value.groupId), value: JSON.stringify(value), timestamp: now };
}

type ParsedKey =
  | { kind: 'offset'; groupId: string; topic: string; partition: number }
  | { kind: 'group'; groupId: string }
  | null;

export function parseKey(key: string | null): ParsedKey {
  if (key === null) return null;
  if (key.startsWith('group:')) return { kind: 'group', groupId: key.slice('group:'.length) };
  if (!key.startsWith('offset:')) return null;
  // Group ids may contain ':' but topic names cannot, so split from the right.
  const rest = key.slice('offset:'.length);
  const lastColon = rest.lastIndexOf(':');
  const topicColon = rest.lastIndexOf(':', lastColon - 1);
  if (lastColon < 0 || topicColon < 0) return null;
  const partition = Number(rest.slice(lastColon + 1));
  if (!Number.isInteger(partition)) return null;
  return { kind: 'offset', groupId: rest.slice(0, topicColon), topic: rest.slice(topicColon + 1, lastColon), partition };
}

/** GroupMetadataManager.doLoadGroupsAndOffsets over the records of one partition. */
export function loadPartition(records: readonly StoredRecord[]): LoadedPartition {
  const offsets = new Map<string, Map<string, CommittedOffset>>();
  const groups = new Map<string, GroupRecordValue>();
  // Transactional offsets wait for their producer's marker: COMMIT applies them, ABORT drops them.
  const open = new Map<number, { groupId: string; offset: CommittedOffset }[]>();
  const apply = (groupId: string, o: CommittedOffset) => {
    if (!offsets.has(groupId)) offsets.set(groupId, new Map());
    offsets.get(groupId)!.set(`${o.topic}:${o.partition}`, o);
  };
  for (const record of records) {
    if (record.control) {
      const pending = open.get(record.producerId ?? -1) ?? [];
      if (record.control === 'COMMIT') for (const p of pending) apply(p.groupId, p.offset);
      open.delete(record.producerId ?? -1);
      continue;
    }
    const key = parseKey(record.key);
    if (!key) continue;
    if (key.kind === 'group') {
      groups.set(key.groupId, JSON.parse(record.value) as GroupRecordValue);
      continue;
    }
    const offset = Number(record.value);
    if (!Number.isInteger(offset)) continue;
    const committed: CommittedOffset = {
      topic: key.topic,
      partition: key.partition,
      offset,
      metadata: record.headers?.metadata ?? '',
      commitTimestamp: record.timestamp,
    };
    if (record.transactional && record.producerId !== undefined && record.producerId >= 0) {
      if (!open.has(record.producerId)) open.set(record.producerId, []);
      open.get(record.producerId)!.push({ groupId: key.groupId, offset: committed });
    } else {
      apply(key.groupId, committed);
    }
  }
  const sortedKeys = <T>(m: Map<string, T>) => [...m.keys()].sort();
  const pendingTxnOffsets: Record<string, Record<string, CommittedOffset[]>> = {};
  for (const pid of [...open.keys()].sort((a, b) => a - b)) {
    for (const { groupId, offset } of open.get(pid)!) {
      pendingTxnOffsets[groupId] ??= {};
      (pendingTxnOffsets[groupId][String(pid)] ??= []).push(offset);
    }
  }
  return {
    ...(open.size > 0 ? { pendingTxnOffsets } : {}),
    groups: sortedKeys(groups).map((g) => groups.get(g)!),
    offsets: Object.fromEntries(
      sortedKeys(offsets).map((g) => [g, sortedKeys(offsets.get(g)!).map((k) => offsets.get(g)!.get(k)!)]),
    ),
  };
}
