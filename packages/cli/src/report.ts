import { jepsenClasses, jepsenWithinPollClasses, type RunResult } from '@kafkasim/kafka';
import { table } from './table';

/** What `run --json` prints: the numbers first, then the details. */
export function jsonSummary(result: RunResult) {
  const { delivery, violations } = result;
  return {
    scenario: result.scenario.name,
    seed: result.scenario.seed,
    traceHash: result.traceHash,
    steps: result.steps,
    produced: delivery.produced,
    acknowledged: delivery.acknowledged,
    acknowledgedByAcks: delivery.acknowledgedByAcks,
    failed: delivery.failed,
    lost: delivery.lost,
    lostByAcks: delivery.lostByAcks,
    duplicated: delivery.duplicated,
    duplicatedInLog: delivery.duplicatedInLog,
    duplicatedProcessing: delivery.duplicatedProcessing,
    reordered: delivery.reordered,
    unprocessed: delivery.unprocessed,
    outputDuplicates: delivery.outputDuplicates,
    outputMissing: delivery.outputMissing,
    outputAborted: delivery.outputAborted,
    longestAckGapMs: delivery.longestAckGapMs,
    jepsen: {
      counts: delivery.jepsen.counts, valid: delivery.jepsen.valid, badClasses: delivery.jepsen.badClasses,
      history: delivery.jepsen.history, cases: delivery.jepsen.cases, unseen: delivery.jepsen.unseen,
    },
    invariantViolations: violations,
    records: delivery.records.filter((r) => r.lost || r.duplicatedInLog || r.duplicatedProcessing || r.reordered || r.anomalies.some((a) => a !== 'unseen')),
  };
}

export function textReport(result: RunResult, detail = 5): string {
  const { scenario, delivery: d, violations } = result;
  const lines = [
    `${scenario.name} — ${scenario.title}`,
    `seed ${scenario.seed}, ${scenario.durationMs} ms simulated, ${result.steps} steps, trace ${result.traceHash}`,
    `lesson: ${scenario.lesson}`,
    '',
    table(
      ['produced', 'acknowledged', 'failed', 'lost', 'duplicated', 'reordered', 'consumed', 'unprocessed', 'output duplicates'],
      [[d.produced, d.acknowledged, d.failed, d.lost, d.duplicated, d.reordered, d.consumedAtLeastOnce, d.unprocessed, d.outputDuplicates]],
    ),
    `lost by acks: acks=0 ${d.lostByAcks['0']}, acks=1 ${d.lostByAcks['1']}, acks=all ${d.lostByAcks.all}; duplicated in a log ${d.duplicatedInLog}, processed twice ${d.duplicatedProcessing}`,
    // Processed twice is not an output duplicate: with exactly-once the first output is aborted.
    `output duplicates: inputs whose output a read_committed reader sees more than once (${d.outputAborted} output records aborted, ${d.outputMissing} missing)`,
  ];
  for (const [label, pick] of [
    ['lost', (r: RunResult['delivery']['records'][number]) => r.lost],
    ['duplicated', (r: RunResult['delivery']['records'][number]) => r.duplicatedInLog || r.duplicatedProcessing],
  ] as const) {
    const records = d.records.filter(pick);
    if (records.length === 0) continue;
    lines.push('', `${label} records (${records.length}${records.length > detail ? `, first ${detail}` : ''}):`);
    for (const r of records.slice(0, detail)) {
      lines.push(`  ${r.id}  ${r.topic}-${r.partition ?? '?'}${r.offset !== null ? ` offset ${r.offset}` : ''}`);
      for (const c of r.causes) lines.push(`    ${c.time >= 0 ? `t=${c.time}ms` : ''.padEnd(7)} ${c.text}`);
    }
  }
  lines.push(...jepsenLines(result, detail));
  lines.push('', 'invariants:');
  const byName = new Map<string, number>();
  const firstStep = new Map<string, number>();
  for (const v of violations) {
    byName.set(v.invariant, (byName.get(v.invariant) ?? 0) + 1);
    firstStep.set(v.invariant, Math.min(firstStep.get(v.invariant) ?? v.step, v.step));
  }
  for (const name of result.invariantNames) {
    const count = byName.get(name) ?? 0;
    const skip = result.skipped.find((s) => s.invariant === name);
    lines.push(`  ${name.padEnd(28)} ${count > 0 ? `BROKEN (${count}, first at step ${firstStep.get(name)})` : skip ? `not checked: ${skip.reason}` : 'ok'}`);
  }
  for (const v of violations.slice(0, detail)) lines.push(`    t=${v.time}ms step ${v.step}: ${v.message}`);
  return lines.join('\n');
}

/** Jepsen's anomaly classes: the counts, Jepsen's verdict, and the first cases of each class with a record's cause chain. */
function jepsenLines(result: RunResult, detail: number): string[] {
  const j = result.delivery.jepsen;
  const lines = [
    '',
    `Jepsen anomalies (jepsen.tests.kafka, per topic-partition; ${j.history.operations} operations by ${j.history.processes} processes):`,
    table([...jepsenClasses], [jepsenClasses.map((c) => j.counts[c])]),
    `within one poll: ${jepsenWithinPollClasses.map((c) => `${c} ${j.counts[c]}`).join(', ')}`,
    `Jepsen's verdict: ${j.valid ? 'valid' : `invalid (${j.badClasses.join(', ')})`}; poll-skip and nonmonotonic-poll are allowed with subscribe`,
  ];
  const byId = new Map(result.delivery.records.map((r) => [r.id, r]));
  for (const c of [...jepsenClasses, ...jepsenWithinPollClasses]) {
    const cases = j.cases.filter((x) => x.class === c);
    if (cases.length === 0) continue;
    lines.push('', `${c} (${cases.length}${cases.length > detail ? `, first ${detail}` : ''}):`);
    for (const x of cases.slice(0, detail)) {
      lines.push(`  ${x.text}`);
      const r = byId.get(x.records[0]);
      if (r) for (const cause of r.causes) lines.push(`    ${cause.time >= 0 ? `t=${cause.time}ms` : ''.padEnd(7)} ${r.id}: ${cause.text}`);
    }
  }
  if (j.unseen.length > 0) {
    // Jepsen's workload ends with final polls that read everything; a scenario without consumers has none.
    const why = j.history.polls === 0 ? '; no consumer polled in this scenario, so every acknowledged record is' : '';
    lines.push('', `unseen (acknowledged, never polled${why}):`);
    for (const u of j.unseen) lines.push(`  ${u.key}: ${u.count} (${u.records.slice(0, detail).join(', ')}${u.count > detail ? ', ...' : ''})`);
  }
  return lines;
}
