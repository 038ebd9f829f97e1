import type { Queued } from './heap';
import type { NetworkState } from './network';
import type { RngStates } from './rng';
import type { ControlAction, NodeId, NodeState, NodeStatus } from './types';

export type QueuedEvent = Queued &
  (
    // `type` makes a queued message or timer a valid NodeEvent, so it is handed over without a copy.
    | { kind: 'message'; type: 'message'; from: NodeId; to: NodeId; payload: unknown; msgId: number; sentAt: number; toIncarnation: number }
    | { kind: 'timer'; type: 'timer'; node: NodeId; name: string; data: unknown; timerId: number; incarnation: number }
    | { kind: 'control'; action: ControlAction }
  );

export interface NodeRecord {
  kind: string;
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
  network: NetworkState;
  /** Timers set and neither fired nor cancelled; a cancelled timer's queue entry is skipped. */
  pendingTimers: Set<number>;
  rng: RngStates;
}
