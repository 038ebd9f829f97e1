/**
 * Jepsen's anomaly classes on whole teaching scenarios: what the client history of an acks=1
 * failover shows (two records claiming one offset, a write lost below what a consumer read) and
 * that a clean at-least-once run shows nothing Jepsen would call invalid.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { applyOverrides, parseScenario, runScenario } from '../scenario';
import { clientHistory, type JepsenOp } from './history';

const load = (name: string) => parseScenario(readFileSync(new URL(`../../../../scenarios/${name}`, import.meta.url), 'utf8'), name);

/** Jepsen's rules for a history: each process runs one operation at a time, invoke then completion; time never goes back. */
function wellFormedProblems(ops: readonly JepsenOp[]): string[] {
  const problems: string[] = [];
  const open = new Map<number, JepsenOp>();
  const ended = new Set<number>();
  ops.forEach((op, i) => {
    if (op.index !== i) problems.push(`op ${i} has index ${op.index}`);
    if (i > 0 && op.time < ops[i - 1].time) problems.push(`op ${i} goes back in time`);
    if (ended.has(op.process)) problems.push(`process ${op.process} runs op ${i} after an :info`);
    const pending = open.get(op.process);
    if (op.type === 'invoke') {
      if (pending) problems.push(`process ${op.process} invokes op ${i} while op ${pending.index} runs`);
      open.set(op.process, op);
      return;
    }
    if (!pending || pending.f !== op.f) problems.push(`op ${i} completes nothing its process invoked`);
    open.delete(op.process);
    if (op.type === 'info') ended.add(op.process);
  });
  for (const op of open.values()) problems.push(`op ${op.index} never completes`);
  return problems;
}

describe("Jepsen's anomaly classes on scenarios", () => {
  it('leader-failover (acks=1): the lost records are inconsistent offsets and lost writes, with their cause chains', () => {
    const { delivery, trace } = runScenario(load('leader-failover.json'), { traceMessages: false });
    expect(wellFormedProblems(clientHistory(trace).ops)).toEqual([]);
    const j = delivery.jepsen;
    expect(delivery.lost).toBeGreaterThan(0);
    expect(j.valid).toBe(false);
    expect(j.badClasses).toEqual(expect.arrayContaining(['inconsistent-offsets', 'lost-write']));
    const lost = delivery.records.filter((r) => r.lost).map((r) => r.id).sort();
    const ofClass = (c: string) => [...new Set(j.cases.filter((x) => x.class === c).flatMap((x) => x.records))];
    // Each lost record had its offset taken over by a record the new leader accepted, and a consumer read past it.
    const inconsistent = new Set(ofClass('inconsistent-offsets'));
    expect(lost.every((id) => inconsistent.has(id))).toBe(true);
    expect(ofClass('lost-write').sort()).toEqual(lost);
    expect(j.unseen.flatMap((u) => u.records).sort()).toEqual(lost);
    const r = delivery.records.find((x) => x.id === lost[0])!;
    expect(r.anomalies).toEqual(expect.arrayContaining(['inconsistent-offsets', 'lost-write', 'unseen']));
    const chain = r.causes.map((c) => c.text).join('\n');
    expect(chain).toContain('crashed');
    expect(chain).toMatch(/elected leader of orders-0/);
    expect(chain).toMatch(/truncated its log .* removing it/);
  });

  it('leader-failover with acks=all: nothing lost; the retried records are Jepsen duplicates', () => {
    const scenario = applyOverrides(load('leader-failover.json'), { acks: 'all' }, 'leader-failover.json');
    const { delivery } = runScenario(scenario, { traceMessages: false });
    expect(delivery.lost).toBe(0);
    const j = delivery.jepsen;
    expect(j.counts['inconsistent-offsets']).toBe(0);
    expect(j.counts['lost-write']).toBe(0);
    expect(j.counts.unseen).toBe(0);
    expect(j.counts.duplicate).toBeGreaterThan(0);
    for (const c of j.cases.filter((x) => x.class === 'duplicate')) {
      const r = delivery.records.find((x) => x.id === c.records[0])!;
      expect(r.causes.filter((x) => x.text.includes('appended it at offset'))).toHaveLength(2);
    }
  });

  // Sends answered with no offset (min-insync: delivery timeouts) and sends still open when the run ends (kip101).
  it.each(['min-insync-rejects-writes.json', 'kip101-legacy-truncation.json'])('%s: a well-formed history with :info sends', (name) => {
    const { ops } = clientHistory(runScenario(load(name), { traceMessages: false }).trace);
    expect(ops.some((op) => op.type === 'info')).toBe(true);
    expect(wellFormedProblems(ops)).toEqual([]);
  });

  it('marks every unseen record, beyond the 32 per key the report names', () => {
    const { delivery } = runScenario(load('idempotent-producer-retries.json'), { traceMessages: false });
    const [unseen] = delivery.jepsen.unseen;
    expect(unseen.count).toBeGreaterThan(32);
    expect(unseen.records).toHaveLength(32);
    expect(delivery.records.filter((r) => r.anomalies.includes('unseen'))).toHaveLength(unseen.count);
  });

  it('consumer-crash-at-least-once: valid for Jepsen (a restarted consumer is a new process)', () => {
    const { delivery, trace } = runScenario(load('consumer-crash-at-least-once.json'), { traceMessages: false });
    expect(wellFormedProblems(clientHistory(trace).ops)).toEqual([]);
    expect(delivery.duplicatedProcessing).toBeGreaterThan(0);
    expect(delivery.jepsen.valid).toBe(true);
    expect(Object.values(delivery.jepsen.counts).every((n) => n === 0)).toBe(true);
    expect(delivery.jepsen.history.operations).toBeGreaterThan(0);
  });
});
