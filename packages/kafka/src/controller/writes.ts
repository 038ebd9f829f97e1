/**
 * Partition state writes (Kafka's KafkaZkClient.updateLeaderAndIsr / createTopicPartitionStatesRaw):
 * a multi of [check /controller_epoch version, create-or-setData the state znode], the setData
 * conditional on the partition's zkVersion. The controller's memory changes only when ZooKeeper
 * accepted the write, and the facts of a change are recorded then.
 */
import type { NodeContext } from '@kafkasim/engine';
import type { ZkOp } from '../coordinator/api';
import { emit, type ModelFact } from '../events';
import { addLeaderAndIsr, addUpdateMetadata, liveIds } from './channel';
import type { ControllerEnv } from './index';
import { call, goto, result } from './jobCore';
import type { ControllerState, Job, Leadership } from './state';
import {
  CONTROLLER_EPOCH_PATH, epochCheck, parseState, partitionPath, partitionsPath, statePath, stateZnodeData,
  zkGetData, zkMulti,
} from './zk';

export interface PlannedWrite {
  key: string;
  /** The leadership to store (zkVersion = the version the znode will have). */
  leadership: Leadership;
  /** true: create the state znode (a new partition); false: setData on `expectedVersion`. */
  create: boolean;
  expectedVersion: number;
  /** Recorded once the write succeeds. */
  facts: ModelFact[];
  /** Brokers that get a LeaderAndIsr once the write succeeds (filtered to live ones when sent). */
  leaderAndIsrTo: number[];
  /** Filled in by the write step. */
  outcome?: 'ok' | string;
}

/** Issues the writes; the job continues at `next` once they are all answered (and failures re-read). */
export function issueWrites(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext, writes: PlannedWrite[], next: string): void {
  job.data.writes = writes;
  job.data.afterWrites = next;
  goto(job, 'writes.done');
  writes.forEach((w, i) => {
    const p = cs.partitions[w.key];
    const check = epochCheck(cs.epochZkVersion);
    if (w.create) {
      // Parents first, fenced too (Kafka's createTopicPartitions); NodeExists is fine for them.
      for (const path of [partitionsPath(p.topic), partitionPath(p.topic, p.partition)]) {
        call(cs, `pre:${i}:${path}`, (tag) => zkMulti(env.zk, ctx, [check, { op: 'create', path, data: null }], tag));
      }
    }
    const op: ZkOp = w.create
      ? { op: 'create', path: statePath(p.topic, p.partition), data: stateZnodeData(w.leadership) }
      : { op: 'setData', path: statePath(p.topic, p.partition), data: stateZnodeData(w.leadership), version: w.expectedVersion };
    call(cs, `w:${i}`, (tag) => zkMulti(env.zk, ctx, [check, op], tag));
  });
}

export function writesDoneStep(cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext): void {
  const writes = job.data.writes as PlannedWrite[];
  const failed: string[] = [];
  writes.forEach((w, i) => {
    const r = result(job, `w:${i}`);
    if (r.ok) {
      w.outcome = 'ok';
      applyLeadership(cs, w, ctx);
    } else {
      w.outcome = r.error ?? 'error';
      failed.push(w.key);
    }
  });
  if (failed.length === 0) return goto(job, job.data.afterWrites);
  // Either this controller was fenced (another one bumped /controller_epoch) or the partition
  // changed under it: find out which, as Kafka's ControllerMovedException vs. retry paths do.
  job.data.failedKeys = failed;
  goto(job, 'writes.verify');
  call(cs, 'fence', (tag) => zkGetData(env.zk, ctx, CONTROLLER_EPOCH_PATH, { watch: false }, tag));
  for (const key of failed) {
    const p = cs.partitions[key];
    call(cs, `v:${key}`, (tag) => zkGetData(env.zk, ctx, statePath(p.topic, p.partition), { watch: false }, tag));
  }
}

export function writesVerifyStep(cs: ControllerState, job: Job): void {
  const fence = result(job, 'fence');
  if (!fence.ok || fence.stat?.version !== cs.epochZkVersion) {
    job.data.fenced = true;
    return goto(job, 'fenced');
  }
  for (const key of job.data.failedKeys as string[]) {
    const r = result(job, `v:${key}`);
    cs.partitions[key].leadership = r.ok && r.stat ? parseState(r.data, r.stat.version) : null;
  }
  goto(job, job.data.afterWrites);
}

function applyLeadership(cs: ControllerState, w: PlannedWrite, ctx: NodeContext): void {
  const p = cs.partitions[w.key];
  p.leadership = w.leadership;
  if (w.leadership.leader >= 0) p.reportedOffline = false;
  for (const fact of w.facts) emit(ctx, fact);
  if (w.leaderAndIsrTo.length > 0) addLeaderAndIsr(cs, w.leaderAndIsrTo, w.key);
  else addUpdateMetadata(cs, liveIds(cs), [w.key]);
}
