import type { CancelledRun } from './cancelledRuns';
import type { Queued } from './queueOrder';
import type { NetworkState } from './network';
import type { RngStates } from './rng';
import type { ControlAction, NodeId, NodeState, NodeStatus } from './types';

export type QueuedEvent = Queued &
  (
    // `type` makes a queued message or timer a valid NodeEvent, so it is handed over without a copy.
    // `toIndex`/`nodeIndex` are the target's NodeRecord.index, so dispatch finds it without a lookup by id.
    | { kind: 'message'; type: 'message'; from: NodeId; to: NodeId; payload: unknown; msgId: number; sentAt: number; toIncarnation: number; toIndex: number }
    | { kind: 'timer'; type: 'timer'; node: NodeId; name: string; data: unknown; timerId: number; incarnation: number; nodeIndex: number }
    | { kind: 'control'; action: ControlAction }
  );

export interface NodeRecord {
  kind: string;
  /** Position in the order nodes were added (0, 1, ...): how queued events name their target. */
  index: number;
  status: NodeStatus;
  /** Bumped on every crash: timers and in-flight messages of an older incarnation are void. */
  incarnation: number;
  booted: boolean;
  state: NodeState;
  /** Events that arrived while the node was paused, handled in order when it resumes. */
  buffered: QueuedEvent[];
}

/**
 * Everything that changes while the simulation runs, as plain data: a structuredClone of it
 * is a checkpoint from which the run continues identically.
 */
export interface WorldState {
  now: number;
  step: number;
  seq: number;
  nextMsgId: number;
  nextTimerId: number;
  nodes: Record<NodeId, NodeRecord>;
  queue: QueuedEvent[];
  /**
   * Cancelled timers taken out of `queue`, as sorted runs of places (time, seq) in frozen typed arrays, in a heap of runs
   * ordered by their next entry (cancelledRuns.ts):
   * each still takes its step, doing nothing, when its turn comes, as it would have in the
   * queue, so step numbers stay the same.
   */
  cancelledRuns: CancelledRun[];
  network: NetworkState;
  /**
   * Ids of timers cancelled since the last purge, each once: a queued timer with one of these
   * ids is skipped when it comes up. Cancelling costs one bit and one push (the simulation
   * indexes this list, cancelledTimerIds.ts) and a live timer costs nothing, which is what keeps
   * a step cheap; in bulk, cancelled timers move to `cancelledRuns` and the list is emptied but
   * for timers waiting in a paused node's buffer. Stale ids (a cancel after the timer fired, or
   * of a timer already skipped) wait here until that purge.
   */
  cancelledTimers: number[];
  /** Do that when the list grows past this length. */
  purgeCancelledAbove: number;
  rng: RngStates;
}
