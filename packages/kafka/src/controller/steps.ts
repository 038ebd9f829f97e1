/** The controller's event loop: one event (job) at a time, each step run once its zk answers are in. */
import type { NodeContext } from '@kafkasim/engine';
import { alterRespond, alterStart, respondError } from './alterPartition';
import {
  brokerChangeDiff, brokerChangeNext, brokerChangeRead, brokerChangeStart, brokerFailureDone, brokerFailureReplicas, brokerFlush,
} from './brokerChange';
import type { ControllerEnv } from './index';
import { finish } from './jobCore';
import {
  electAdopt, electEpoch, electRead, electRegister, electStart, failoverBrokers, failoverDone, failoverPartitions,
  failoverReady, failoverStart, failoverStates, replicasOffline, resyncStart,
} from './lifecycle';
import type { ControllerEvent, ControllerState, Job } from './state';
import { topicsCreated, topicsDone, topicsStart } from './topicCreation';
import { shutdownFollowers, shutdownRespond, shutdownStart, respondShutdownError } from './controlledShutdown';
import { autoRebalanceStart, preferredDeleted, preferredFlush, preferredRead, preferredStart, preferredWatched } from './preferredElection';
import {
  moveAssigned, moveCheck, moveComplete, moveDone, moveShrink, moveStart, moveStarted, moveStop, moveUnlist, moveWritten,
  zkReassignRead, zkReassignStart,
} from './reassignment';
import { deletionComplete, deletionCompleted, deletionRead, deletionResponse, deletionResume, deletionStart } from './topicDeletion';
import { writesDoneStep, writesVerifyStep } from './writes';

type Step = (cs: ControllerState, job: Job, env: ControllerEnv, ctx: NodeContext) => void;

/** A write failed because another controller bumped /controller_epoch (Kafka's ControllerMovedException). */
const fenced: Step = (cs, job, _env, ctx) => {
  if (job.event.type === 'AlterPartition') respondError(cs, job.event.from, job.event.request, 'NOT_CONTROLLER', ctx);
  if (job.event.type === 'ControlledShutdown') respondShutdownError(cs, job.event.from, job.event.request, 'NOT_CONTROLLER', ctx);
  finish(cs);
  cs.queue.unshift({ type: 'ControllerChange' });
};

const STEPS: Record<string, Step> = {
  'elect.start': electStart,
  'elect.read': electRead,
  'elect.epoch': electEpoch,
  'elect.register': electRegister,
  'elect.adopt': electAdopt,
  'resync.start': resyncStart,
  'failover.start': failoverStart,
  'failover.brokers': failoverBrokers,
  'failover.states': failoverStates,
  'failover.ready': failoverReady,
  'failover.partitions': failoverPartitions,
  'failover.done': failoverDone,
  'replicas.offline': replicasOffline,
  'broker.start': brokerChangeStart,
  'broker.read': brokerChangeRead,
  'broker.diff': brokerChangeDiff,
  'broker.next': brokerChangeNext,
  'broker.failure.replicas': brokerFailureReplicas,
  'broker.failure.done': brokerFailureDone,
  'broker.flush': brokerFlush,
  'topics.start': topicsStart,
  'topics.created': topicsCreated,
  'topics.done': topicsDone,
  'alter.start': alterStart,
  'alter.respond': alterRespond,
  'shutdown.start': shutdownStart,
  'shutdown.followers': shutdownFollowers,
  'shutdown.respond': shutdownRespond,
  'auto.start': autoRebalanceStart,
  'preferred.start': preferredStart,
  'preferred.read': preferredRead,
  'preferred.flush': preferredFlush,
  'preferred.deleted': preferredDeleted,
  'preferred.watched': preferredWatched,
  'reassign.start': zkReassignStart,
  'reassign.read': zkReassignRead,
  'move.start': moveStart,
  'move.assigned': moveAssigned,
  'move.check': moveCheck,
  'move.started': moveStarted,
  'move.complete': moveComplete,
  'move.shrink': moveShrink,
  'move.stop': moveStop,
  'move.written': moveWritten,
  'move.unlist': moveUnlist,
  'move.done': moveDone,
  'delete.start': deletionStart,
  'delete.read': deletionRead,
  'delete.resume': deletionResume,
  'delete.response': deletionResponse,
  'delete.complete': deletionComplete,
  'delete.completed': deletionCompleted,
  'writes.done': writesDoneStep,
  'writes.verify': writesVerifyStep,
  fenced,
};

function firstStep(event: ControllerEvent): string {
  switch (event.type) {
    case 'Startup':
    case 'Reelect':
    case 'ControllerChange':
      return 'elect.start';
    case 'Resync':
      return 'resync.start';
    case 'BrokerChange':
      return 'broker.start';
    case 'TopicCreation':
      return 'topics.start';
    case 'AlterPartition':
      return 'alter.start';
    case 'ControlledShutdown':
      return 'shutdown.start';
    case 'AutoPreferredReplicaLeaderElection':
      return 'auto.start';
    case 'PreferredReplicaLeaderElection':
      return 'preferred.start';
    case 'ZkPartitionReassignment':
      return 'reassign.start';
    case 'ReassignPartition':
      return 'move.start';
    case 'TopicDeletion':
      return 'delete.start';
    case 'TopicDeletionStopReplicaResponseReceived':
      return 'delete.response';
  }
}

/** Runs steps until the current job waits for zk answers, or the queue is empty. */
export function drive(cs: ControllerState, env: ControllerEnv, ctx: NodeContext): void {
  for (let guard = 0; guard < 100_000; guard++) {
    if (!cs.job) {
      const event = cs.suspended ? undefined : cs.queue.shift();
      if (!event) return;
      cs.job = { id: cs.nextJobId++, event, step: firstStep(event), pending: 0, data: { results: {} } };
    }
    const job = cs.job;
    if (job.pending > 0) return;
    const step = STEPS[job.step];
    if (!step) throw new Error(`controller: unknown step ${job.step}`);
    step(cs, job, env, ctx);
  }
  throw new Error('controller: the event loop did not settle');
}
