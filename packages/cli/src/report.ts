import type { RunResult } from '@kafkasim/kafka';
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
    invariantViolations: violations,
    records: delivery.records.filter((r) => r.lost || r.duplicatedInLog || r.duplicatedProcessing || r.reordered),
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
  lines.push('', 'invariants:');
  const byName = new Map<string, number>();
  for (const v of violations) byName.set(v.invariant, (byName.get(v.invariant) ?? 0) + 1);
  for (const name of result.invariantNames) {
    const count = byName.get(name) ?? 0;
    lines.push(`  ${name.padEnd(28)} ${count === 0 ? 'ok' : `BROKEN (${count})`}`);
  }
  for (const v of violations.slice(0, detail)) lines.push(`    t=${v.time}ms step ${v.step}: ${v.message}`);
  return lines.join('\n');
}
