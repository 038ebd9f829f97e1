import { describe, expect, it } from 'vitest';
import { deliveryReport } from '../check';
import { runAndCheck, runAndCheckWithoutDelivery, storedTraceOf as traceOf } from './checkedRun';
import { randomFaults } from './randomFaults';
import { checksOf, invariantChecksOf, invariantChecksWithoutDeliveryOf, runScenario } from './run';
import { reproductionScenario, sweepSeed } from './sweep';
import type { Fault, Scenario } from './schema';
import { loadFixtureScenario } from './testing/sweepFixture';


describe("a sweep's checks (no delivery report unless an acks=all record was lost)", () => {
  for (const file of ['kip101-legacy-truncation.json', 'consumer-crash-at-least-once.json', 'unclean-election-data-loss.json', 'exactly-once-pipeline.json']) {
    it(`${file}: the same violations and skips as kafkasim run's checks, and the same counts without Jepsen`, () => {
      const trace = traceOf(loadFixtureScenario(file));
      const scenario = loadFixtureScenario(file);
      const full = checksOf(scenario, trace);
      const lean = invariantChecksOf(scenario, trace);
      expect(lean.violations).toEqual(full.violations);
      expect(lean.skipped).toEqual(full.skipped);
      // The report is made only for a lost acks=all record, and then in full.
      expect(lean.delivery === null).toBe(!full.delivery.records.some((r) => r.lost && r.acks === 'all'));
      const outline = deliveryReport(trace, { outline: true });
      expect(outline.jepsen).toBeUndefined();
      expect(outline.notComputed).toEqual(['jepsen', 'cause-chains']);
      const { jepsen: _, records: fullRecords, ...fullCounts } = full.delivery;
      const { notComputed: __, records, ...counts } = outline;
      expect(counts).toEqual(fullCounts);
      const fates = (rs: typeof records) => rs.map(({ anomalies: _a, causes: _c, ...fate }) => fate);
      expect(fates(records)).toEqual(fates(fullRecords));
    }, 30_000);
  }

  // KIP-101's legacy truncation with broker-1 back before broker-3 crashes: one broker down at a
  // time, so the configuration promised what it lost.
  const legacy = loadFixtureScenario('kip101-legacy-truncation.json');
  const restart: Fault = { atMs: 4000, action: 'restart', target: 'broker-1' };
  const promised = { ...legacy, faults: [...legacy.faults, restart].sort((a, b) => a.atMs - b.atMs) };

  it('makes the full report when an acks=all record is lost, whose cause chain places the no-acked-loss violation', () => {
    const scenario = promised;
    const trace = traceOf(scenario);
    const full = checksOf(scenario, trace);
    expect(full.violations.some((v) => v.invariant === 'no-acked-loss-when-promised')).toBe(true);
    const lean = invariantChecksOf(scenario, trace);
    expect(lean.delivery?.jepsen).toBeDefined();
    expect(lean.violations).toEqual(full.violations);
  }, 30_000);

  it('checks a run as it goes, with no trace stored, exactly as from its stored trace', () => {
    const failover = loadFixtureScenario('leader-failover.json');
    const cases: Scenario[] = [
      promised,
      ...['kip101-legacy-truncation.json', 'unclean-election-data-loss.json', 'exactly-once-pipeline.json'].map(loadFixtureScenario),
      ...[1, 2, 3, 4].map((seed) => ({ ...failover, seed, faults: randomFaults(failover, seed, { maxFaults: 3 }) })),
    ];
    let broken = 0;
    for (const scenario of cases) {
      const trace = traceOf(scenario);
      const stored = invariantChecksOf(scenario, trace);
      expect(runAndCheck(scenario)).toEqual(stored);
      expect(runAndCheckWithoutDelivery(scenario)).toEqual(invariantChecksWithoutDeliveryOf(scenario, trace));
      if (stored.violations.length > 0) broken += 1;
    }
    // Not only passing runs: the violations' steps and messages are compared too, and one case makes the delivery report.
    expect(broken).toBeGreaterThanOrEqual(2);
    expect(runAndCheck(promised).delivery?.records.some((r) => r.lost && r.acks === 'all')).toBe(true);
  }, 120_000);

  it('shrinks a seed that broke no-acked-loss with the delivery report, and saves what kafkasim run reproduces', () => {
    const outcome = sweepSeed(promised, 1, { faults: 'scenario' });
    expect(outcome.broken).toContain('no-acked-loss-when-promised');
    expect(outcome.shrunk!.length).toBeLessThan(outcome.faults.length);
    const rerun = runScenario(reproductionScenario(promised, outcome), { traceMessages: false });
    expect(outcome.traceHash).toBe(rerun.traceHash);
    const firsts = [...new Set(rerun.violations.map((v) => v.invariant))].map((name) => rerun.violations.find((v) => v.invariant === name));
    expect(outcome.violations).toEqual(firsts);
  }, 60_000);
});
