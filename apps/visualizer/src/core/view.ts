/**
 * What the worker sends the page: plain data, small, and bounded in size whatever the length
 * of the run (log cells are windowed, marks are indexed once and sent once).
 */

export type MarkKind = 'fault' | 'election' | 'isr' | 'rebalance' | 'loss' | 'expiry' | 'truncation' | 'rejection';
export const markKinds: MarkKind[] = ['fault', 'election', 'isr', 'rebalance', 'loss', 'expiry', 'truncation', 'rejection'];
/** The timeline's rows: the rarer story kinds (session expiry, truncation, a stale controller rejected) share the last. */
export const timelineRows: { label: string; kinds: MarkKind[] }[] = [
  { label: 'fault', kinds: ['fault'] }, { label: 'election', kinds: ['election'] }, { label: 'ISR', kinds: ['isr'] },
  { label: 'rebalance', kinds: ['rebalance'] }, { label: 'loss', kinds: ['loss'] }, { label: 'expiry·trunc', kinds: ['expiry', 'truncation', 'rejection'] },
];

/** A key moment of the lesson (the scenario's `story`), resolved to the step it happens at. */
export interface StoryStep {
  step: number;
  time: number;
  caption: string;
}

/** A timeout that is running out: a class can watch it count down. */
export interface CountdownView {
  kind: 'session' | 'replica-lag' | 'request';
  /** Who waits (the ZooKeeper leader, the partition leader, the client). */
  node: string;
  /** What it is about: the session's owner, the follower, the request. */
  subject: string;
  deadline: number;
  /** The timeout it counts (ms), for the bar's length. */
  timeoutMs: number;
  text: string;
}

export interface Mark {
  step: number;
  time: number;
  kind: MarkKind;
  label: string;
  node?: string;
}

export type NodeRole = 'broker' | 'zk' | 'producer' | 'consumer' | 'other';
export type NodeStatus = 'up' | 'crashed' | 'paused' | 'not-started';

export interface NodeInfo {
  id: string;
  role: NodeRole;
}

export interface BranchInfo {
  id: number;
  label: string;
  parent: number | null;
  forkStep: number | null;
}

export interface Summary {
  branch: number;
  title: string;
  lesson: string;
  steps: number;
  durationMs: number;
  /** Virtual time of the last step. */
  endTime: number;
  traceHash: string;
  traceLength: number;
  marks: Mark[];
  nodes: NodeInfo[];
  /** Whether the world state is there (a loaded trace has only facts). */
  live: boolean;
  branches: BranchInfo[];
  lost: number;
  lostByAcks: Record<'0' | '1' | 'all', number>;
  acknowledged: number;
  duplicated: number;
  reordered: number;
  /** Acknowledged records a consuming group never processed (at-most-once). */
  unprocessed: number;
  /** Inputs whose output a read_committed reader of the output topic sees more than once. */
  outputDuplicates: number;
  /** The numbers the scenario's `expect` names: what its lesson is about. */
  lessonMetrics: LessonMetric[];
  /** Acknowledgements per bin over the run, and the longest time without one: the throughput chart. */
  throughput: { binMs: number; acked: number[]; longestGap: { from: number; to: number } | null };
  /** The scenario's key moments, in order (empty when it defines none). */
  story: StoryStep[];
  /** Steps with a line in the event log, ascending: the arrows step from one to the next. */
  notableSteps: number[];
  apis: string[];
}

export type MetricKey = 'lost' | 'duplicated' | 'reordered' | 'unprocessed' | 'outputDuplicates' | 'longestAckGapMs';

export interface LessonMetric {
  key: MetricKey;
  /** What the scenario expects, as written: 0, or a range [min, max]. */
  expected: number | [number, number];
}

export interface NodeView {
  id: string;
  role: NodeRole;
  status: NodeStatus;
  incarnation: number;
  /** Events buffered while the node is paused. */
  buffered: number;
}

export interface NetworkPartitionView {
  id: string;
  sideA: string[];
  sideB: string[];
  oneWay: boolean;
}

export interface ZnodeView {
  path: string;
  ephemeral: boolean;
  owner: string | null;
  data: string;
}

export interface ZkSessionView {
  id: string;
  owner: string;
  server: string | null;
  alive: boolean;
}

export interface ZkView {
  leader: string | null;
  epoch: number;
  zxid: number;
  servers: { id: string; role: string; zxid: number | null }[];
  sessions: ZkSessionView[];
  tree: ZnodeView[];
}

export interface ControllerView {
  id: string | null;
  epoch: number;
}

export interface LogCell {
  offset: number;
  id: string;
  producer: string;
  key: string | null;
  leaderEpoch: number;
  /** The delivery report says this acknowledged record is lost at the end of the run. */
  lost: boolean;
  /** The step at which it stops being on the leader (its loss mark); null when not lost. */
  lostAtStep: number | null;
}

/** A consumer's place on a partition's log: a member's next offset to read, or its group's committed offset. */
export interface ConsumerMarkView {
  group: string;
  /** The member's node (position), or null for the group's committed offset. */
  node: string | null;
  kind: 'position' | 'committed';
  offset: number;
}

export interface SegmentView {
  baseOffset: number;
  nextOffset: number;
  active: boolean;
}

export interface ReplicaLogView {
  broker: string;
  isLeader: boolean;
  inIsr: boolean;
  logStartOffset: number;
  logEndOffset: number;
  /** null when the replica has not reported one. */
  highWatermark: number | null;
  cells: LogCell[];
  segments: SegmentView[];
}

export interface PartitionView {
  topic: string;
  partition: number;
  key: string;
  leader: string | null;
  leaderEpoch: number;
  isr: string[];
  replicas: string[];
  offline: boolean;
  /** A reassignment in progress, e.g. "reassigning (started): +broker-4,broker-5 -broker-1"; null otherwise. */
  reassigning: string | null;
  /** The high watermark as the leader knows it. */
  highWatermark: number | null;
  /** The window of offsets whose cells are included: [from, to). */
  window: { from: number; to: number; max: number };
  logs: ReplicaLogView[];
  consumers: ConsumerMarkView[];
}

export interface GroupMemberView {
  member: string;
  node: string;
  assignment: string[];
}

export interface GroupView {
  group: string;
  generation: number;
  state: 'stable' | 'rebalancing' | 'empty';
  reason: string | null;
  members: GroupMemberView[];
  /** tp -> committed offset */
  committed: { tp: string; offset: number }[];
  /** member node + tp -> next offset to read (last consumed + 1) */
  positions: { node: string; tp: string; position: number }[];
  /** member node + tp -> one past the last offset processed */
  processed: { node: string; tp: string; offset: number }[];
  /** During a rebalance: the last generation's assignment, revoked until the next one (member -> tps). */
  revoked: { member: string; tps: string[] }[];
}

export interface ProducerView {
  id: string;
  requested: number;
  acked: number;
  failed: number;
}

export interface FlightView {
  msgId: number;
  from: string;
  to: string;
  api: string;
  sentAt: number;
  arriveAt: number;
  /** What happens on arrival: delivered, or dropped (node down, partition). */
  fate: 'deliver' | 'drop';
}

export interface EventLine {
  step: number;
  time: number;
  node: string | null;
  text: string;
  kind: MarkKind | 'message' | 'fact' | 'engine';
}

export interface StepView {
  branch: number;
  step: number;
  time: number;
  /** Time of the next step (null at the end) and of the last step before this time (null at 0): lockstep by time. */
  nextTime: number | null;
  prevTime: number | null;
  nodes: NodeView[];
  partitions: NetworkPartitionView[];
  linkFaults: { id: string; from: string[] | null; to: string[] | null; drop: number; delayMs: number }[];
  zk: ZkView;
  controller: ControllerView;
  topics: PartitionView[];
  groups: GroupView[];
  producers: ProducerView[];
  inFlight: FlightView[];
  inFlightTotal: number;
  recent: EventLine[];
  countdowns: CountdownView[];
}

export interface LogWindowRequest {
  /** First offset to show; undefined = automatic: every replica's LEO and HW, the tail when it fits (logWindow.ts). */
  from?: number;
  /** Most cells the page can draw. */
  size: number;
  /** Cells at a comfortable width: a fixed window, or a short automatic one, has this many. */
  preferred?: number;
}

export interface CauseView {
  step: number;
  time: number;
  text: string;
}

export interface RecordIssueView {
  id: string;
  producer: string;
  key: string | null;
  tp: string;
  offset: number | null;
  acks: string | null;
  lost: boolean;
  duplicated: boolean;
  duplicatedInLog: boolean;
  duplicatedProcessing: boolean;
  reordered: boolean;
  /** Groups that read this topic and never processed this record. */
  unprocessedBy: string[];
  storedOn: string[];
  causes: CauseView[];
}

export interface ReportView {
  branch: number;
  produced: number;
  acknowledged: number;
  failed: number;
  lost: number;
  lostByAcks: Record<'0' | '1' | 'all', number>;
  duplicated: number;
  duplicatedInLog: number;
  duplicatedProcessing: number;
  reordered: number;
  consumedAtLeastOnce: number;
  unprocessed: number;
  outputDuplicates: number;
  outputMissing: number;
  outputAborted: number;
  longestAckGapMs: number;
  lessonMetrics: LessonMetric[];
  /** Only the records with something to say (lost, duplicated, reordered, unprocessed), capped. */
  records: RecordIssueView[];
  truncated: number;
  violations: { invariant: string; step: number; time: number; message: string }[];
}
