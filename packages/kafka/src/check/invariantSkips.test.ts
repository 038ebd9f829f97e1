import { describe, expect, it } from 'vitest';
import type { TraceEntry } from '@kafkasim/engine';
import { checkInvariants, deliveryReport, type InvariantSkip } from '.';
import type { CheckContext } from './facts';

const brokers = ['broker-1', 'broker-2', 'broker-3'];
const context = (minIsr: number, overrides: Partial<CheckContext> = {}): CheckContext => ({
  brokers,
  topics: [{ name: 't', partitions: 1, replicationFactor: 3, minInsyncReplicas: minIsr, uncleanLeaderElection: false }],
  crashMode: 'process',
  ...overrides,
});
const crashes = (...nodes: string[]): TraceEntry[] => nodes.map((node, i) => ({ step: i + 1, time: (i + 1) * 10, type: 'crash', node }) as TraceEntry);

function skipsOf(trace: TraceEntry[], ctx: CheckContext): InvariantSkip[] {
  const skipped: InvariantSkip[] = [];
  checkInvariants(trace, ctx, deliveryReport(trace), skipped);
  return skipped;
}

describe('invariants a run did not check', () => {
  it('checks no-acked-loss while at most RF - min.insync.replicas brokers are down at once', () => {
    expect(skipsOf(crashes('broker-1'), context(2))).toEqual([]);
  });

  it('skips no-acked-loss, saying why, when more brokers were down at once', () => {
    expect(skipsOf(crashes('broker-1', 'broker-2'), context(2))).toEqual([
      { invariant: 'no-acked-loss-when-promised', reason: 't: more than RF - min.insync.replicas = 1 broker(s) down at once' },
    ]);
  });

  it('skips it when the configuration promises nothing: min.insync.replicas 1, unclean election, power loss', () => {
    expect(skipsOf([], context(1))[0].reason).toBe('t: min.insync.replicas=1 (< 2)');
    const unclean = context(2);
    unclean.topics[0].uncleanLeaderElection = true;
    expect(skipsOf([], unclean)[0].reason).toBe('t: unclean.leader.election.enable=true');
    expect(skipsOf([], context(2, { crashMode: 'power-loss' }))[0].reason).toBe('kafkasim.crash.mode=power-loss');
  });

  it('counts it as checked when one topic of several carries the promise', () => {
    const ctx = context(2);
    ctx.topics.push({ name: 'u', partitions: 1, replicationFactor: 3, minInsyncReplicas: 1, uncleanLeaderElection: false });
    expect(skipsOf([], ctx)).toEqual([]);
  });
});
