import { describe, expect, it } from 'vitest';
import {
  controlledShutdownLeader, electLeader, initialLeadership, preferredReplicaLeader, reassignPartitionLeader, removeFromIsr,
} from './election';

describe('electLeader (offlinePartitionLeaderElection)', () => {
  it('prefers the first replica of the assignment when it is live and in sync', () => {
    expect(electLeader([1, 2, 3], [1, 2, 3], [1, 2, 3], false)).toEqual({ leader: 1, isr: [1, 2, 3], unclean: false });
  });

  it('follows ASSIGNMENT order, not ISR order', () => {
    expect(electLeader([3, 1, 2], [1, 2, 3], [1, 2, 3], false).leader).toBe(3);
    expect(electLeader([1, 2, 3], [3, 2], [2, 3], false)).toEqual({ leader: 2, isr: [3, 2], unclean: false });
  });

  it('skips a dead leader and drops dead replicas from the ISR', () => {
    expect(electLeader([1, 2, 3], [1, 2, 3], [2, 3], false)).toEqual({ leader: 2, isr: [2, 3], unclean: false });
  });

  it('never picks a live replica outside the ISR while an in-sync one is live', () => {
    expect(electLeader([1, 2, 3], [3], [1, 2, 3], true)).toEqual({ leader: 3, isr: [3], unclean: false });
  });

  // Kafka's PartitionLeaderElectionAlgorithmsTest
  it('testOfflinePartitionLeaderElection', () => {
    expect(electLeader([2, 4], [2, 4], [4], false).leader).toBe(4);
  });
  it('testOfflinePartitionLeaderElectionLastIsrOfflineUncleanLeaderElectionDisabled', () => {
    expect(electLeader([2, 4], [2], [4], false)).toEqual({ leader: null, isr: [2], unclean: false });
  });
  it('testOfflinePartitionLeaderElectionLastIsrOfflineUncleanLeaderElectionEnabled', () => {
    expect(electLeader([2, 4], [2], [4], true)).toEqual({ leader: 4, isr: [4], unclean: true });
  });

  it('unclean election also follows assignment order', () => {
    expect(electLeader([1, 2, 3], [1], [3, 2], true)).toEqual({ leader: 2, isr: [2], unclean: true });
  });

  it('stays offline with no live replica at all, even when unclean election is allowed', () => {
    expect(electLeader([1, 2], [1], [3], true)).toEqual({ leader: null, isr: [1], unclean: false });
  });
});

describe('initialLeadership (new partitions)', () => {
  it('the first live replica leads, the ISR is every live replica', () => {
    expect(initialLeadership([3, 1, 2], [1, 2, 3])).toEqual({ leader: 3, isr: [3, 1, 2] });
    expect(initialLeadership([3, 1, 2], [1, 2])).toEqual({ leader: 1, isr: [1, 2] });
    expect(initialLeadership([3], [1, 2])).toBeNull();
  });
});

describe('removeFromIsr (OfflineReplica)', () => {
  it('a dead follower leaves the ISR, the leader stays', () => {
    expect(removeFromIsr(1, [1, 2, 3], 3)).toEqual({ leader: 1, isr: [1, 2] });
  });
  it('a dead leader loses leadership', () => {
    expect(removeFromIsr(1, [1, 2], 1)).toEqual({ leader: -1, isr: [2] });
  });
  it('the last ISR member stays in the ISR, with no leader', () => {
    expect(removeFromIsr(1, [1], 1)).toEqual({ leader: -1, isr: [1] });
  });
});

// The cases of Kafka's PartitionLeaderElectionAlgorithmsTest for the elections an admin triggers.
describe('preferredReplicaLeader (preferredReplicaPartitionLeaderElection)', () => {
  it('elects the first replica when it is live and in the ISR', () => {
    expect(preferredReplicaLeader([2, 4], [2, 4], [2, 4])).toBe(2);
  });
  it.each([
    ['in the ISR, not live', [2], []],
    ['not in the ISR, live', [4], [2, 4]],
    ['neither', [], []],
  ])('elects nobody when the preferred replica is %s', (_case, isr, live) => {
    expect(preferredReplicaLeader([2, 4], isr, live)).toBeNull();
  });
});

describe('controlledShutdownLeader (controlledShutdownPartitionLeaderElection)', () => {
  it('elects the first live in-sync replica that is not shutting down, and drops the shutting-down ones from the ISR', () => {
    expect(controlledShutdownLeader([2, 4], [2, 4], [2, 4], [2])).toEqual({ leader: 4, isr: [4] });
  });
  it('elects nobody when the last in-sync replica is the one shutting down', () => {
    expect(controlledShutdownLeader([2, 4], [2], [2, 4], [2])).toBeNull();
  });
  it('elects nobody when every in-sync replica shuts down at once', () => {
    expect(controlledShutdownLeader([2, 4], [2, 4], [2, 4], [2, 4])).toBeNull();
  });
});

describe('reassignPartitionLeader (reassignPartitionLeaderElection)', () => {
  it('elects the first target replica that is live and in the ISR', () => {
    expect(reassignPartitionLeader([2, 4], [2, 4], [4])).toBe(4);
  });
  it('elects nobody without a live in-sync target, or with an empty ISR', () => {
    expect(reassignPartitionLeader([2, 4], [2], [])).toBeNull();
    expect(reassignPartitionLeader([2, 4], [], [2])).toBeNull();
  });
});
