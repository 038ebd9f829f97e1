import { describe, expect, it } from 'vitest';
import type {
  FindCoordinatorResponse,
  HeartbeatResponse,
  JoinGroupResponse,
  LeaveGroupResponse,
  OffsetCommitResponse,
  OffsetFetchResponse,
  SyncGroupResponse,
} from '../protocol';
import { partitionForGroup } from './host';
import { FakeBroker } from './testing/fakeHost';

const G = 'g';
const SESSION = 3000;
const REBALANCE = 10000;
const subscription = { topics: ['t'], ownedPartitions: [], generation: -1 };

function joinReq(memberId: string, extra: Record<string, unknown> = {}) {
  return {
    api: 'JoinGroup' as const,
    groupId: G,
    memberId,
    groupInstanceId: null,
    sessionTimeoutMs: SESSION,
    rebalanceTimeoutMs: REBALANCE,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: subscription }],
    ...extra,
  };
}

/** KIP-394 two-step join: returns the assigned member id and the parked JoinGroup's correlation id. */
function join(b: FakeBroker, node: string): { memberId: string; corr: number } {
  const first = b.response<JoinGroupResponse>(b.request(node, joinReq('')))!;
  expect(first.error).toBe('MEMBER_ID_REQUIRED');
  return { memberId: first.memberId, corr: b.request(node, joinReq(first.memberId)) };
}

function sync(b: FakeBroker, node: string, memberId: string, generationId: number, assignments: { memberId: string; assignment: { topic: string; partition: number }[] }[] = []) {
  return b.request(node, { api: 'SyncGroup', groupId: G, generationId, memberId, assignments });
}

function heartbeat(b: FakeBroker, node: string, memberId: string, generationId: number): string {
  return b.response<HeartbeatResponse>(b.request(node, { api: 'Heartbeat', groupId: G, generationId, memberId }))!.error;
}

function commit(b: FakeBroker, node: string, memberId: string, generationId: number, offset: number, partition = 0) {
  return b.request(node, { api: 'OffsetCommit', groupId: G, generationId, memberId, offsets: [{ topic: 't', partition, offset, metadata: '' }] });
}

function fetchOffset(b: FakeBroker, partition = 0): number {
  const r = b.response<OffsetFetchResponse>(b.request('c', { api: 'OffsetFetch', groupId: G, partitions: [{ topic: 't', partition }] }))!;
  expect(r.error).toBe('NONE');
  return r.partitions[0].offset;
}

/** Two members in a Stable generation 1; c1 leads. */
function stableGroupOfTwo(b: FakeBroker) {
  const a = join(b, 'c1');
  const c = join(b, 'c2');
  // c2 joined during the initial delay, which therefore runs twice.
  b.advance(600);
  const ja = b.response<JoinGroupResponse>(a.corr)!;
  const jc = b.response<JoinGroupResponse>(c.corr)!;
  const assignments = [
    { memberId: a.memberId, assignment: [{ topic: 't', partition: 0 }] },
    { memberId: c.memberId, assignment: [{ topic: 't', partition: 1 }] },
  ];
  const sa = sync(b, 'c1', a.memberId, 1, assignments);
  const sc = sync(b, 'c2', c.memberId, 1);
  b.replicate();
  return { a: a.memberId, c: c.memberId, ja, jc, sa, sc };
}

describe('group coordinator: membership', () => {
  it('answers FindCoordinator with the leader of the group partition', () => {
    const b = new FakeBroker();
    const p = partitionForGroup(G, 3);
    let r = b.response<FindCoordinatorResponse>(b.request('c', { api: 'FindCoordinator', key: G, keyType: 'group' }))!;
    expect(r).toMatchObject({ error: 'COORDINATOR_NOT_AVAILABLE', coordinator: null });
    b.lead(p);
    r = b.response<FindCoordinatorResponse>(b.request('c', { api: 'FindCoordinator', key: G, keyType: 'group' }))!;
    expect(r).toMatchObject({ error: 'NONE', coordinator: 'broker-1' });
    b.withLeaderLookup({ [p]: 'broker-7' });
    r = b.response<FindCoordinatorResponse>(b.request('c', { api: 'FindCoordinator', key: G, keyType: 'group' }))!;
    expect(r.coordinator).toBe('broker-7');
  });

  it('refuses group requests for groups it does not coordinate', () => {
    const b = new FakeBroker();
    expect(b.response<JoinGroupResponse>(b.request('c1', joinReq('')))!.error).toBe('NOT_COORDINATOR');
  });

  it('requires a member id (KIP-394), waits the initial delay, then the first joiner leads generation 1', () => {
    const b = new FakeBroker();
    b.leadAll();
    const a = join(b, 'c1');
    expect(a.memberId).toBe('c1-1');
    b.advance(100);
    const c = join(b, 'c2');
    expect(c.memberId).toBe('c2-2');
    expect(b.response(a.corr)).toBeUndefined();
    // The second member arrived during the initial delay, so the delay is extended once more.
    b.advance(200);
    expect(b.response(a.corr)).toBeUndefined();
    b.advance(300);
    const ja = b.response<JoinGroupResponse>(a.corr)!;
    const jc = b.response<JoinGroupResponse>(c.corr)!;
    expect(ja).toMatchObject({ error: 'NONE', generationId: 1, leader: 'c1-1', protocolName: 'range' });
    expect(ja.members.map((m) => m.memberId)).toEqual(['c1-1', 'c2-2']);
    expect(jc).toMatchObject({ error: 'NONE', generationId: 1, leader: 'c1-1', members: [] });
    expect(b.gc.groups[G].state).toBe('CompletingRebalance');
    expect(b.factsOf('member-joined').map((f) => f.member)).toEqual(['c1-1', 'c2-2']);
    expect(b.factsOf('rebalance-started')).toHaveLength(1);
  });

  it('hands out the leader assignment only once the group record is below the high watermark', () => {
    const b = new FakeBroker();
    b.leadAll();
    const a = join(b, 'c1');
    const c = join(b, 'c2');
    b.advance(600);
    const sc = sync(b, 'c2', c.memberId, 1);
    const sa = sync(b, 'c1', a.memberId, 1, [{ memberId: a.memberId, assignment: [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }] }]);
    expect(b.response(sa)).toBeUndefined();
    expect(b.response(sc)).toBeUndefined();
    expect(b.logs[partitionForGroup(G, 3)].map((r) => r.key)).toEqual(['group:g']);
    b.replicate();
    expect(b.response<SyncGroupResponse>(sa)).toMatchObject({ error: 'NONE', assignment: [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }] });
    // Left out by the leader: an empty assignment.
    expect(b.response<SyncGroupResponse>(sc)).toMatchObject({ error: 'NONE', assignment: [] });
    expect(b.gc.groups[G].state).toBe('Stable');
    expect(b.factsOf('rebalance-completed')).toEqual([
      { group: G, generation: 1, assignment: { 'c1-1': [{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }], 'c2-2': [] } },
    ]);
  });

  it('validates heartbeats: NONE, ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a } = stableGroupOfTwo(b);
    expect(heartbeat(b, 'c1', a, 1)).toBe('NONE');
    expect(heartbeat(b, 'c1', a, 0)).toBe('ILLEGAL_GENERATION');
    expect(heartbeat(b, 'c9', 'nobody', 1)).toBe('UNKNOWN_MEMBER_ID');
  });

  it('rebalances when a member joins a stable group; others learn it from heartbeats and the generation bumps', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a, c } = stableGroupOfTwo(b);
    const d = join(b, 'c3');
    expect(b.gc.groups[G].state).toBe('PreparingRebalance');
    expect(heartbeat(b, 'c1', a, 1)).toBe('REBALANCE_IN_PROGRESS');
    const ra = b.request('c1', joinReq(a));
    expect(b.response(ra)).toBeUndefined();
    const rc = b.request('c2', joinReq(c));
    // Everyone known has rejoined: the rebalance completes without waiting for the timeout.
    expect(b.response<JoinGroupResponse>(ra)).toMatchObject({ generationId: 2, leader: a });
    expect(b.response<JoinGroupResponse>(rc)!.generationId).toBe(2);
    expect(b.response<JoinGroupResponse>(d.corr)!.generationId).toBe(2);
    // A stale member keeps the old generation: its heartbeats and commits are refused.
    expect(heartbeat(b, 'c1', a, 1)).toBe('ILLEGAL_GENERATION');
  });

  it('expires a silent member after session.timeout.ms and rebalances the rest', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a, c } = stableGroupOfTwo(b);
    for (let t = 0; t < 2; t++) {
      b.advance(1000);
      expect(heartbeat(b, 'c1', a, 1)).toBe('NONE');
    }
    expect(b.factsOf('member-removed')).toEqual([]);
    b.advance(1000);
    // c2 was last heard at its SyncGroup, 3000 ms ago.
    expect(heartbeat(b, 'c1', a, 1)).toBe('REBALANCE_IN_PROGRESS');
    expect(b.factsOf('member-removed')).toEqual([{ group: G, member: c, reason: 'session timeout expired' }]);
    expect(b.gc.groups[G].state).toBe('PreparingRebalance');
    const ra = b.request('c1', joinReq(a));
    const j = b.response<JoinGroupResponse>(ra)!;
    expect(j).toMatchObject({ generationId: 2, leader: a });
    expect(j.members.map((m) => m.memberId)).toEqual([a]);
  });

  it('removes members that do not rejoin before the rebalance timeout', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a, c } = stableGroupOfTwo(b);
    join(b, 'c3');
    const ra = b.request('c1', joinReq(a));
    // c2 keeps heartbeating (REBALANCE_IN_PROGRESS) but never rejoins.
    for (let t = 0; t < 9; t++) {
      b.advance(1000);
      expect(heartbeat(b, 'c2', c, 1)).toBe('REBALANCE_IN_PROGRESS');
    }
    b.advance(1000);
    expect(b.response<JoinGroupResponse>(ra)!.generationId).toBe(2);
    expect(b.factsOf('member-removed').map((f) => [f.member, f.reason])).toEqual([[c, 'did not rejoin before the rebalance timeout']]);
    expect(heartbeat(b, 'c2', c, 1)).toBe('UNKNOWN_MEMBER_ID');
  });

  it('rebalances on LeaveGroup and the leader moves to the next member', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a, c } = stableGroupOfTwo(b);
    expect(b.response<LeaveGroupResponse>(b.request('c1', { api: 'LeaveGroup', groupId: G, memberId: a }))!.error).toBe('NONE');
    expect(b.gc.groups[G].leaderId).toBe(c);
    const rc = b.request('c2', joinReq(c));
    expect(b.response<JoinGroupResponse>(rc)).toMatchObject({ generationId: 2, leader: c });
    expect(b.factsOf('member-removed')[0]).toMatchObject({ member: a, reason: 'left the group (LeaveGroup)' });
  });

  it('tells members parked in SyncGroup to rejoin when a rebalance starts', () => {
    const b = new FakeBroker();
    b.leadAll();
    const a = join(b, 'c1');
    b.advance(300);
    const c = join(b, 'c2'); // arrives during CompletingRebalance
    void c;
    // The leader's SyncGroup came too late: the group is preparing again.
    const sa = sync(b, 'c1', a.memberId, 1, []);
    expect(b.response<SyncGroupResponse>(sa)!.error).toBe('REBALANCE_IN_PROGRESS');
  });

  it('an empty group goes back to Empty with a new generation', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a, c } = stableGroupOfTwo(b);
    b.request('c1', { api: 'LeaveGroup', groupId: G, memberId: a });
    b.request('c2', { api: 'LeaveGroup', groupId: G, memberId: c });
    expect(b.gc.groups[G]).toMatchObject({ state: 'Empty', generationId: 2, members: [] });
  });
});

describe('group coordinator: offsets', () => {
  it('answers a commit only after the high watermark passes it, then OffsetFetch sees it', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a } = stableGroupOfTwo(b);
    const corr = commit(b, 'c1', a, 1, 42);
    expect(b.response(corr)).toBeUndefined();
    expect(fetchOffset(b)).toBe(-1);
    expect(b.factsOf('offset-committed')).toEqual([]);
    b.replicate();
    expect(b.response<OffsetCommitResponse>(corr)!.partitions).toEqual([{ topic: 't', partition: 0, error: 'NONE' }]);
    expect(fetchOffset(b)).toBe(42);
    expect(b.factsOf('offset-committed')).toEqual([{ group: G, member: a, topic: 't', partition: 0, offset: 42, generation: 1 }]);
  });

  it('rejects commits from stale generations and unknown members', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a } = stableGroupOfTwo(b);
    expect(b.response<OffsetCommitResponse>(commit(b, 'c1', a, 0, 5))!.partitions[0].error).toBe('ILLEGAL_GENERATION');
    expect(b.response<OffsetCommitResponse>(commit(b, 'c9', 'ghost', 1, 5))!.partitions[0].error).toBe('UNKNOWN_MEMBER_ID');
    // Without group management (generation -1) a commit to a non-empty group is refused...
    expect(b.response<OffsetCommitResponse>(commit(b, 'c9', '', -1, 5))!.partitions[0].error).toBe('UNKNOWN_MEMBER_ID');
  });

  it('accepts commits while preparing a rebalance but not while completing it', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a, c } = stableGroupOfTwo(b);
    join(b, 'c3');
    const during = commit(b, 'c1', a, 1, 7);
    b.replicate();
    expect(b.response<OffsetCommitResponse>(during)!.partitions[0].error).toBe('NONE');
    b.request('c1', joinReq(a));
    b.request('c2', joinReq(c));
    expect(b.gc.groups[G].state).toBe('CompletingRebalance');
    expect(b.response<OffsetCommitResponse>(commit(b, 'c1', a, 2, 8))!.partitions[0].error).toBe('REBALANCE_IN_PROGRESS');
  });

  it('allows generation -1 commits to an unknown or empty group (offsets only, no group management)', () => {
    const b = new FakeBroker();
    b.leadAll();
    const corr = commit(b, 'tool', '', -1, 3);
    b.replicate();
    expect(b.response<OffsetCommitResponse>(corr)!.partitions[0].error).toBe('NONE');
    expect(fetchOffset(b)).toBe(3);
    expect(b.response<OffsetCommitResponse>(b.request('x', { api: 'OffsetCommit', groupId: 'other', generationId: 3, memberId: 'm', offsets: [{ topic: 't', partition: 0, offset: 1, metadata: '' }] }))!.partitions[0].error).toBe('ILLEGAL_GENERATION');
  });

  it('times out a commit the high watermark never reaches', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a } = stableGroupOfTwo(b);
    const corr = commit(b, 'c1', a, 1, 9);
    b.advance(5000);
    expect(b.response<OffsetCommitResponse>(corr)!.partitions[0].error).toBe('REQUEST_TIMED_OUT');
    expect(b.factsOf('offset-committed')).toEqual([]);
  });

  it('maps a refused append to COORDINATOR_NOT_AVAILABLE', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a } = stableGroupOfTwo(b);
    b.appendError = 'NOT_ENOUGH_REPLICAS';
    expect(b.response<OffsetCommitResponse>(commit(b, 'c1', a, 1, 9))!.partitions[0].error).toBe('COORDINATOR_NOT_AVAILABLE');
  });
});

describe('group coordinator: moving between brokers', () => {
  it('rebuilds groups and committed offsets from the partition log on leadership', () => {
    const old = new FakeBroker();
    old.leadAll();
    const { a, c } = stableGroupOfTwo(old);
    commit(old, 'c1', a, 1, 11, 0);
    commit(old, 'c1', a, 1, 12, 0);
    commit(old, 'c2', c, 1, 20, 1);
    old.replicate();

    const next = new FakeBroker();
    const p = partitionForGroup(G, 3);
    next.now = 50_000;
    next.lead(p, old.logs[p]);
    expect(fetchOffset(next, 0)).toBe(12);
    expect(fetchOffset(next, 1)).toBe(20);
    const group = next.gc.groups[G];
    expect(group).toMatchObject({ state: 'Stable', generationId: 1, leaderId: a, protocolName: 'range' });
    expect(group.members.map((m) => [m.memberId, m.assignment])).toEqual([
      [a, [{ topic: 't', partition: 0 }]],
      [c, [{ topic: 't', partition: 1 }]],
    ]);
    // Members carry on heartbeating with the new coordinator; one that does not is expired.
    next.advance(1500);
    expect(heartbeat(next, 'c1', a, 1)).toBe('NONE');
    next.advance(1500);
    expect(next.factsOf('member-removed').map((f) => f.member)).toEqual([c]);
    // New member ids continue after the loaded ones.
    expect(join(next, 'c5').memberId).toBe('c5-3');
  });

  it('unloads on losing leadership: parked requests and pending commits get NOT_COORDINATOR', () => {
    const b = new FakeBroker();
    b.leadAll();
    const { a } = stableGroupOfTwo(b);
    const pendingCommit = commit(b, 'c1', a, 1, 5);
    const d = join(b, 'c3');
    b.resign(partitionForGroup(G, 3));
    expect(b.response<JoinGroupResponse>(d.corr)!.error).toBe('NOT_COORDINATOR');
    expect(b.response<OffsetCommitResponse>(pendingCommit)!.partitions[0].error).toBe('NOT_COORDINATOR');
    expect(heartbeat(b, 'c1', a, 1)).toBe('NOT_COORDINATOR');
    expect(b.gc.groups[G]).toBeUndefined();
  });

  it('answers COORDINATOR_LOAD_IN_PROGRESS while loading (heartbeats blindly NONE)', () => {
    const b = new FakeBroker(3, { 'kafkasim.offsets.load.ms': 100 });
    b.lead(partitionForGroup(G, 3));
    expect(b.response<JoinGroupResponse>(b.request('c1', joinReq('')))!.error).toBe('COORDINATOR_LOAD_IN_PROGRESS');
    expect(heartbeat(b, 'c1', 'x', 1)).toBe('NONE');
    b.advance(100);
    expect(b.response<JoinGroupResponse>(b.request('c1', joinReq('')))!.error).toBe('MEMBER_ID_REQUIRED');
  });
});
