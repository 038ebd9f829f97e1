import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from './run';
import { reproductionScenario, sweepSeed } from './sweep';
import { parseScenario } from './validate';

const root = new URL('../../../../', import.meta.url).pathname;
const legacy = parseScenario(readFileSync(`${root}scenarios/kip101-legacy-truncation.json`, 'utf8'), 'kip101-legacy-truncation.json');

describe('sweepSeed', () => {
  // Seed 22 breaks hw-within-isr (and, at the same step, weak-isr and strong-isr: broker-2 truncated
  // below the HW while in the ISR) with a partition and its heal; shrinking drops the heal.
  const outcome = sweepSeed(legacy, 22, { faults: 'random', maxFaults: 3 });

  it('gives the trace hash of the saved (shrunk) run, which `run` of the saved file reproduces', () => {
    expect(outcome.broken).toEqual(['hw-within-isr', 'strong-isr', 'weak-isr']);
    expect(outcome.shrunk!.length).toBeLessThan(outcome.faults.length);
    const saved = runScenario(reproductionScenario(legacy, outcome), { traceMessages: false });
    expect(outcome.traceHash).toBe(saved.traceHash);
    const unshrunk = runScenario({ ...legacy, seed: 22, faults: outcome.faults }, { traceMessages: false });
    expect(outcome.traceHash).not.toBe(unshrunk.traceHash);
  });

  it('says which invariant the saved run breaks first and at which step, in the outcome and the saved file', () => {
    const saved = runScenario(reproductionScenario(legacy, outcome), { traceMessages: false });
    const firsts = ['hw-within-isr', 'weak-isr', 'strong-isr'].map((name) => saved.violations.find((v) => v.invariant === name)!);
    expect(outcome.violations).toEqual(firsts);
    const file = reproductionScenario(legacy, outcome);
    expect(file.expect?.invariantViolations).toEqual(['hw-within-isr', 'strong-isr', 'weak-isr']);
    const first = firsts[0];
    expect(file.description).toContain(`hw-within-isr first breaks at step ${first.step} (t=${first.time} ms)`);
  });

  it('without shrinking, saves the seed\'s own run and its hash', () => {
    const plain = sweepSeed(legacy, 22, { faults: 'random', maxFaults: 3, shrink: false });
    expect(plain.shrunk).toBeUndefined();
    expect(plain.traceHash).toBe(runScenario({ ...legacy, seed: 22, faults: plain.faults }, { traceMessages: false }).traceHash);
  });

  it('counts an invariant as checked only when the run met its premise', () => {
    // Seed 23 has more brokers down at once than RF - min.insync.replicas allows.
    const skipped = sweepSeed(legacy, 23, { faults: 'random', maxFaults: 3 });
    expect(skipped.skipped.map((s) => s.invariant)).toEqual(['no-acked-loss-when-promised']);
    expect(skipped.skipped[0].reason).toContain('down at once');
    expect(skipped.checked).not.toContain('no-acked-loss-when-promised');
    expect(skipped.checked).toContain('hw-within-isr');
    expect(outcome.checked).toContain('no-acked-loss-when-promised');
    expect(outcome.skipped).toEqual([]);
  });
});
