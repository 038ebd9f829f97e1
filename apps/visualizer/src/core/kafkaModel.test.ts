import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, runScenario } from '@kafkasim/kafka';
import { describe, expect, it } from 'vitest';
import { Handler } from './handler';
import { modelFor } from './models';
import type { Summary, StepView, ReportView } from './view';

const scenarioDir = join(__dirname, '../../../../scenarios');
const read = (name: string) => JSON.parse(readFileSync(join(scenarioDir, `${name}.json`), 'utf8'));

describe('the worker core runs scenarios as the CLI does', () => {
  it('gives the trace hash runScenario gives in Node (leader failover, as written and with another seed)', () => {
    for (const seed of [undefined, 7]) {
      const handler = new Handler(modelFor);
      const json = read('leader-failover');
      const summary = handler.handle({ type: 'load', spec: { source: 'scenario', file: 'leader-failover.json', scenario: json, seed } }) as Summary;
      const scenario = parseScenario(JSON.stringify(seed === undefined ? json : { ...json, seed }), 'leader-failover.json');
      const node = runScenario(scenario);
      expect(summary.traceHash).toBe(node.traceHash);
      expect(summary.steps).toBe(node.steps);
      expect(summary.lost).toBe(node.delivery.lost);
    }
  });

  it('gives the hash of `kafkasim run` with and without --trace, and of the golden file (payloads are not hashed)', () => {
    const handler = new Handler(modelFor);
    const summary = handler.handle({ type: 'load', spec: { source: 'scenario', file: 'leader-failover.json', scenario: read('leader-failover') } }) as Summary;
    const scenario = parseScenario(JSON.stringify(read('leader-failover')), 'leader-failover.json');
    expect(summary.traceHash).toBe(runScenario(scenario, { traceMessages: false }).traceHash);
    expect(summary.traceHash).toBe(runScenario(scenario, { traceMessages: true }).traceHash);
    const golden = JSON.parse(readFileSync(join(scenarioDir, 'golden-hashes.json'), 'utf8'));
    expect(summary.traceHash).toBe(golden['leader-failover']);
  });

  it('shows the failover: a new leader after the crash, the old one before', () => {
    const handler = new Handler(modelFor);
    const summary = handler.handle({ type: 'load', spec: { source: 'scenario', file: 'leader-failover.json', scenario: read('leader-failover') } }) as Summary;
    const crash = summary.marks.find((m) => m.kind === 'fault' && m.label === 'broker-1 CRASHED')!;
    expect(crash).toBeDefined();
    const before = handler.handle({ type: 'view', branch: 0, at: { step: crash.step - 1 }, window: { size: 30 } }) as StepView;
    expect(before.topics.find((p) => p.key === 'orders-0')!.leader).toBe('broker-1');
    const election = summary.marks.find((m) => m.kind === 'election' && m.step > crash.step && /orders-0/.test(m.label))!;
    const after = handler.handle({ type: 'view', branch: 0, at: { step: election.step }, window: { size: 30 } }) as StepView;
    const orders = after.topics.find((p) => p.key === 'orders-0')!;
    expect(orders.leader).not.toBe('broker-1');
    expect(orders.leaderEpoch).toBeGreaterThan(before.topics.find((p) => p.key === 'orders-0')!.leaderEpoch);
    expect(after.nodes.find((n) => n.id === 'broker-1')!.status).toBe('crashed');
    expect(summary.marks.some((m) => m.kind === 'loss')).toBe(true);
    const report = handler.handle({ type: 'report', branch: 0 }) as ReportView;
    expect(report.lost).toBeGreaterThan(0);
    expect(report.records.filter((r) => r.lost).every((r) => r.causes.length > 0)).toBe(true);
  });

  it('compares acks=1 with acks=all: only acks=1 loses records', () => {
    const lost = (acks: string) => {
      const handler = new Handler(modelFor);
      return (handler.handle({ type: 'load', spec: { source: 'scenario', file: 'leader-failover.json', scenario: read('leader-failover'), overrides: { acks } } }) as Summary).lost;
    };
    expect(lost('1')).toBeGreaterThan(0);
    expect(lost('all')).toBe(0);
  });
});

describe('the delivery numbers a lesson is about', () => {
  const load = (name: string) => {
    const handler = new Handler(modelFor);
    const summary = handler.handle({ type: 'load', spec: { source: 'scenario', file: `${name}.json`, scenario: read(name) } }) as Summary;
    return { summary, report: handler.handle({ type: 'report', branch: 0 }) as ReportView };
  };

  it('at-most-once: unprocessed records, named by the scenario, listed with the group that skipped them', () => {
    const { summary, report } = load('consumer-crash-at-most-once');
    const node = runScenario(parseScenario(JSON.stringify(read('consumer-crash-at-most-once')), 'x.json'));
    expect(summary.lessonMetrics.map((m) => m.key)).toContain('unprocessed');
    expect(report.unprocessed).toBe(node.delivery.unprocessed);
    expect(report.unprocessed).toBeGreaterThan(0);
    expect(report.records.filter((r) => r.unprocessedBy.length > 0).length).toBe(Math.min(report.unprocessed, report.records.length));
  });

  it('exactly-once: processed twice, yet no output duplicate, as the lesson says', () => {
    const { summary, report } = load('exactly-once-pipeline');
    expect(summary.lessonMetrics).toContainEqual({ key: 'outputDuplicates', expected: 0 });
    expect(report.outputDuplicates).toBe(0);
    expect(report.duplicatedProcessing).toBeGreaterThan(0);
    expect(report.outputAborted).toBeGreaterThan(0);
  });
});

describe('a live fault forks a branch that plays to the end', () => {
  it('crashing broker-2 at step 1000 goes on past the click: new controller, marks, losses, a later view', () => {
    const handler = new Handler(modelFor);
    const base = handler.handle({ type: 'load', spec: { source: 'scenario', file: 'leader-failover.json', scenario: read('leader-failover') } }) as Summary;
    const fork = handler.handle({ type: 'fork', branch: 0, step: 1000, fault: { type: 'crash', node: 'broker-2' } }) as Summary;
    expect(fork.endTime).toBe(base.durationMs);
    const forkTime = (handler.handle({ type: 'view', branch: fork.branch, at: { step: 1000 }, window: { size: 20 } }) as StepView).time;
    // The trace goes on after the fork step: marks (the crash itself, the elections it causes) and the event log.
    expect(fork.marks.some((m) => m.kind === 'fault' && m.label === 'broker-2 CRASHED' && m.step === 1001)).toBe(true);
    expect(fork.marks.some((m) => m.kind === 'election' && m.time > forkTime)).toBe(true);
    const end = handler.handle({ type: 'view', branch: fork.branch, at: { step: fork.steps }, window: { size: 20 } }) as StepView;
    expect(end.recent[end.recent.length - 1].time).toBeGreaterThan(forkTime + 1000);
    expect(end.controller.id).not.toBe('broker-2');
    expect(end.producers.find((p) => p.id === 'producer-1')!.requested).toBeGreaterThan(
      (handler.handle({ type: 'view', branch: fork.branch, at: { step: 1001 }, window: { size: 20 } }) as StepView).producers.find((p) => p.id === 'producer-1')!.requested);
    expect(fork.lost).toBeGreaterThan(0);
    expect(fork.traceLength).toBeGreaterThan(base.traceLength / 2);
  });
});

describe('a view stays the same size however long the run', () => {
  it('windows the log cells and caps the lists', () => {
    const handler = new Handler(modelFor);
    const summary = handler.handle({ type: 'load', spec: { source: 'scenario', file: 'leader-failover.json', scenario: read('leader-failover') } }) as Summary;
    for (const step of [summary.steps >> 1, summary.steps]) {
      const view = handler.handle({ type: 'view', branch: 0, at: { step }, window: { size: 12 } }) as StepView;
      for (const p of view.topics) {
        expect(p.window.to - p.window.from).toBeLessThanOrEqual(12);
        for (const log of p.logs) expect(log.cells.length).toBeLessThanOrEqual(12);
      }
      expect(view.recent.length).toBeLessThanOrEqual(14);
      expect(view.inFlight.length).toBeLessThanOrEqual(400);
    }
    const older = handler.handle({ type: 'view', branch: 0, at: { step: summary.steps }, window: { from: 10, size: 12 } }) as StepView;
    const orders = older.topics.find((p) => p.key === 'orders-0')!;
    expect(orders.window).toMatchObject({ from: 10, to: 22 });
    expect(orders.logs.find((l) => l.isLeader)!.cells.map((c) => c.offset)).toEqual(Array.from({ length: 12 }, (_, i) => 10 + i));
  });
});
