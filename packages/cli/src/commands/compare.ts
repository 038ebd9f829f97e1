import { RunLimitError } from '@kafkasim/engine';
import { applyOverrides, parseOverrideValue, runScenario, variantLabel, variantsOf, type RunResult, type Scenario } from '@kafkasim/kafka';
import { parseArgs, UsageError } from '../args';
import { loadScenario } from '../load';
import type { Out } from '../main';
import { table } from '../table';

/** Every combination is one run, and all are validated (and held) before the first runs. */
const MAX_VARIANTS = 64;

/** Runs one variant; a run that stops at a limit says which variant it was. */
function runOrName(scenario: Scenario, label: string): RunResult {
  try {
    return runScenario(scenario, { traceMessages: false });
  } catch (error) {
    if (error instanceof RunLimitError) throw new RunLimitError(error.kind, `${label}: ${error.message}`, error.time, error.step);
    throw error;
  }
}

/** The same scenario and seed under each combination of the varied settings, one row each. */
export async function compareCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { boolean: ['json'], value: ['vary', 'seed'] });
  if (args.positionals.length !== 1) throw new UsageError('compare needs exactly one scenario file');
  const varied = args.flags.get('vary');
  if (!varied) throw new UsageError('compare needs at least one --vary key=v1,v2');
  const vary = varied.map((item) => {
    const match = /^([^=]+)=(.+)$/.exec(item);
    if (!match) throw new UsageError(`--vary expects key=v1,v2,..., got "${item}"`);
    return { key: match[1], values: match[2].split(',').map((v) => parseOverrideValue(match[1], v)) };
  });
  const combinations = vary.reduce((n, { values }) => n * values.length, 1);
  if (combinations > MAX_VARIANTS) {
    throw new UsageError(`--vary: ${combinations} combinations (${vary.map((v) => v.values.length).join(' x ')}); at most ${MAX_VARIANTS}, each is one run`, false);
  }
  const file = args.positionals[0];
  const base = loadScenario(file);
  const seed = args.flags.get('seed')?.at(-1);
  // Every variant is validated before any runs: a bad value fails at once, not after the others ran.
  const variants = variantsOf(vary).map((variant) => ({
    variant,
    scenario: applyOverrides(base, seed === undefined ? variant : { ...variant, seed: parseOverrideValue('seed', seed) }, file),
  }));
  const rows = variants.map(({ variant, scenario }) => {
    const result = runOrName(scenario, variantLabel(variant));
    const d = result.delivery;
    return {
      variant: variantLabel(variant), produced: d.produced, acknowledged: d.acknowledged, lost: d.lost,
      duplicated: d.duplicated, reordered: d.reordered, failed: d.failed,
      invariantViolations: result.violations.length, traceHash: result.traceHash,
    };
  });
  if (args.flags.has('json')) {
    out.log(JSON.stringify({ scenario: base.name, seed: seed ?? base.seed, variants: rows }, null, 2));
  } else {
    out.log(`${base.name} — ${base.title} (seed ${seed ?? base.seed})\n`);
    out.log(table(
      ['variant', 'produced', 'acknowledged', 'lost', 'duplicated', 'reordered', 'failed', 'violations', 'trace'],
      rows.map((r) => [r.variant, r.produced, r.acknowledged, r.lost, r.duplicated, r.reordered, r.failed, r.invariantViolations, r.traceHash]),
    ));
  }
  return 0;
}
