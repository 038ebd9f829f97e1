/** One line of text per trace entry, for the event log and the marks' tooltips. */
import type { TraceEntry } from '@kafkasim/engine';
import type { MarkKind } from './view';

const tp = (d: Record<string, any>) => `${d.topic}-${d.partition}`;

export function apiOf(payload: unknown): string {
  const p = payload as Record<string, unknown> | null | undefined;
  if (!p || typeof p !== 'object') return 'message';
  if (typeof p.api === 'string') return p.api;
  if (p.proto === 'zk') return `zk:${String(p.type ?? p.op ?? 'msg')}`;
  if (typeof p.type === 'string') return p.type;
  return 'message';
}

export type ApiCategory = 'produce' | 'fetch' | 'heartbeat' | 'group' | 'controller' | 'zk' | 'other';
export const apiCategories: ApiCategory[] = ['produce', 'fetch', 'heartbeat', 'group', 'controller', 'zk', 'other'];

export function categoryOf(api: string): ApiCategory {
  if (api.startsWith('zk:')) return /ping/i.test(api) ? 'heartbeat' : 'zk';
  if (/^(Produce|InitProducerId)/.test(api)) return 'produce';
  if (/^(Fetch|ListOffsets|OffsetsForLeaderEpoch)/.test(api)) return 'fetch';
  if (/^Heartbeat/.test(api)) return 'heartbeat';
  if (/^(JoinGroup|SyncGroup|LeaveGroup|OffsetCommit|OffsetFetch|FindCoordinator)/.test(api)) return 'group';
  if (/^(LeaderAndIsr|UpdateMetadata|StopReplica|AlterPartition|ControlledShutdown|Metadata)/.test(api)) return 'controller';
  return 'other';
}

export function markKindOf(entry: TraceEntry): MarkKind | null {
  switch (entry.type) {
    case 'crash': case 'restart': case 'pause': case 'resume': case 'partition': case 'heal':
    case 'link-fault': case 'clear-link-fault':
      return 'fault';
    case 'command':
      return 'fault';
    case 'record':
      switch (entry.event) {
        case 'leader-elected': case 'controller-elected': case 'zk-leader-elected': case 'partition-offline':
          return 'election';
        case 'isr-changed': case 'reassignment':
          return 'isr';
        case 'controlled-shutdown': case 'leader-imbalance':
          return 'election';
        case 'rebalance-started': case 'rebalance-completed':
          return 'rebalance';
        case 'zk-session-expired':
          return 'expiry';
        case 'truncate':
          return 'truncation';
        case 'stale-controller-rejected':
          return 'rejection';
        default:
          return null;
      }
    default:
      return null;
  }
}

export function describeEntry(entry: TraceEntry): string {
  const node = entry.node ?? '';
  switch (entry.type) {
    case 'boot': return `${node} started`;
    case 'crash': return `${node} CRASHED`;
    case 'restart': return `${node} restarted`;
    case 'pause': return `${node} paused${entry.durationMs ? ` for ${entry.durationMs} ms` : ''}`;
    case 'resume': return `${node} resumed`;
    case 'partition': return `network partition ${entry.id}: ${(entry.sideA as string[]).join(',')} ${entry.oneWay ? '->' : '|'} ${(entry.sideB as string[]).join(',')}`;
    case 'heal': return entry.id ? `partition ${entry.id} healed` : 'network healed';
    case 'link-fault': return `link fault ${entry.id}${entry.drop ? ` drop ${entry.drop}` : ''}${entry.extraDelayMs ? ` +${entry.extraDelayMs} ms` : ''}`;
    case 'clear-link-fault': return `link fault ${entry.id ?? '(all)'} cleared`;
    case 'command': return `${entry.name} on ${node}${entry.data ? ` ${JSON.stringify(entry.data)}` : ''}`;
    case 'deliver': return `${entry.from} -> ${node}: ${apiOf(entry.payload)}`;
    case 'drop': return `${entry.from} -> ${node}: ${apiOf(entry.payload)} dropped (${entry.reason})`;
    case 'timer': return `${node} timer ${entry.name}`;
    case 'record': return describeFact(node, String(entry.event), (entry.data ?? {}) as Record<string, any>);
    default: return `${entry.type}${node ? ` ${node}` : ''}`;
  }
}

function describeFact(node: string, event: string, d: Record<string, any>): string {
  switch (event) {
    case 'zk-leader-elected': return `${d.server} leads the coordinator ensemble (epoch ${d.epoch})`;
    case 'zk-session-created': return `zk session ${d.sessionId} for ${d.owner}`;
    case 'zk-session-expired': return `zk session ${d.sessionId} of ${d.owner} EXPIRED`;
    case 'zk-write-committed': return `zk ${d.op} ${d.path} (zxid ${d.zxid})`;
    case 'zk-write-refused': return `zk write to ${d.path} refused: ${d.reason}`;
    case 'broker-registered': return `${d.broker} registered (broker epoch ${d.brokerEpoch})`;
    case 'controller-elected': return `${d.controller} is the controller (epoch ${d.controllerEpoch})`;
    case 'controller-resigned': return `${d.controller} resigned as controller (epoch ${d.controllerEpoch})`;
    case 'stale-controller-rejected': return `${node} rejected ${d.api} from stale controller ${d.controller} (epoch ${d.controllerEpoch} < ${d.currentEpoch})`;
    case 'leader-elected': return `${d.leader} elected leader of ${tp(d)} (epoch ${d.leaderEpoch}${d.unclean ? ', UNCLEAN' : ''}, ISR ${d.isr.join(',')}): ${d.reason}`;
    case 'partition-offline': return `${tp(d)} OFFLINE: ${d.reason}`;
    case 'isr-changed': return `${tp(d)} ISR -> [${d.isr.join(',')}]`;
    case 'partition-state-loaded': return describeLoadedState(d);
    case 'become-leader': return `${d.broker} became leader of ${tp(d)} (epoch ${d.leaderEpoch}, LEO ${d.logEndOffset}, HW ${d.highWatermark})`;
    case 'become-follower': return `${d.broker} follows ${d.leader ?? 'nobody'} on ${tp(d)} (epoch ${d.leaderEpoch})`;
    case 'truncate': return `${d.broker} truncated ${tp(d)} ${d.from} -> ${d.to} (${d.rule})${d.removedIds?.length ? `, removing ${d.removedIds.length}` : ''}`;
    case 'append': return `${d.broker} appended ${d.ids.length} to ${tp(d)} at ${d.firstOffset} (${d.role})`;
    case 'high-watermark': return `${d.broker} ${tp(d)} HW -> ${d.highWatermark}`;
    case 'produce-rejected': return `${d.broker} rejected produce to ${tp(d)}: ${d.error}`;
    case 'produce-send': return `${d.producer} sent ${d.ids.length} to ${tp(d)} (acks=${d.acks}, attempt ${d.attempt})`;
    case 'produce-request': return `${d.producer} send(${d.id}${d.key !== null ? `, key ${d.key}` : ''})`;
    case 'produce-acked': return `${d.producer}: ${d.id} acknowledged by ${d.leader} at ${tp(d)}@${d.offset} (acks=${d.acks})`;
    case 'produce-failed': return `${d.producer}: ${d.id} FAILED: ${d.error}`;
    case 'consumed': return `${d.member} read ${d.id} from ${tp(d)}@${d.offset}`;
    case 'processed': return `${d.member} processed ${d.id} (${tp(d)}@${d.offset})`;
    case 'offset-committed': return `group ${d.group} committed ${tp(d)} = ${d.offset} (gen ${d.generation})`;
    case 'rebalance-started': return `group ${d.group} rebalancing (gen ${d.generation}): ${d.reason}`;
    case 'rebalance-completed': return `group ${d.group} generation ${d.generation} assigned`;
    case 'member-joined': return `${d.node} joined group ${d.group} as ${d.member}`;
    case 'member-removed': return `${d.member} left group ${d.group}: ${d.reason}`;
    case 'admin-request': return `admin ${d.tool}: ${d.path} ${d.ok ? 'written' : `REFUSED (${d.error})`}`;
    case 'controlled-shutdown': return `controlled shutdown of ${d.broker}: ${d.partitionsRemaining.length === 0 ? 'all leaderships moved' : `still leads ${d.partitionsRemaining.map(tp).join(',')}`}`;
    case 'broker-shutdown': return `${d.broker} stopped (${d.clean ? 'controlled shutdown done' : `controlled shutdown FAILED, ${d.partitionsRemaining} partitions still led`})`;
    case 'leader-imbalance': return `leader imbalance ${Math.round(d.ratio * 100)}% for ${d.broker}: preferred election of ${d.partitions.map(tp).join(',')}`;
    case 'reassignment': return `reassignment of ${tp(d)}: ${d.phase} (replicas ${d.replicas.join(',')}${d.adding.length ? `, adding ${d.adding.join(',')}` : ''}${d.removing.length ? `, removing ${d.removing.join(',')}` : ''})`;
    case 'topic-deletion': return `deletion of topic ${d.topic}: ${d.phase} (${d.reason})`;
    case 'replica-stopped': return `${d.broker} stopped its replica of ${tp(d)}${d.deleted ? `, deleting its log (${d.records} records)` : ''}`;
    default: return `${node} ${event}`;
  }
}

/** "broker-2, the new controller, read orders-0 from ZooKeeper: leader broker-3, epoch 2, ISR [3,1]". */
function describeLoadedState(d: Record<string, any>): string {
  const id = (node: string) => node.replace(/^broker-/, '');
  const who = d.reason === 'resync' ? `${d.controller}, the controller, reconnected and re-read` : `${d.controller}, the new controller, read`;
  const moving = d.adding?.length || d.removing?.length
    ? `; reassignment in progress (adding [${d.adding.map(id).join(',')}], removing [${d.removing.map(id).join(',')}])`
    : '';
  return `${who} ${tp(d)} from ZooKeeper: leader ${d.leader ?? 'none'}, epoch ${d.leaderEpoch}, ISR [${d.isr.map(id).join(',')}]${moving}`;
}

/** Facts worth a line in the event log (appends and HW moves are too many to read). */
export function isNotable(entry: TraceEntry): boolean {
  if (entry.type === 'record') {
    const topic = (entry.data as { topic?: unknown } | undefined)?.topic;
    // Kafka's internal topics (__consumer_offsets) change hands with every broker event: too many lines to read.
    if (typeof topic === 'string' && topic.startsWith('__') && ['become-leader', 'become-follower', 'partition-state-loaded'].includes(String(entry.event))) return false;
    return !['append', 'high-watermark', 'consumed', 'processed', 'produce-request', 'produce-send', 'produce-acked', 'offset-committed', 'zk-write-committed'].includes(String(entry.event));
  }
  // Deliveries, drops and timers are the messages view's business; the log keeps faults and facts.
  return !['deliver', 'drop', 'timer'].includes(entry.type);
}
