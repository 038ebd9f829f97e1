import { writeFileSync } from 'node:fs';
import { applyOverrides, clientHistory, historyToEdn, parseOverrideValue, runScenario, traceToNdjson, type OverrideValue } from '@kafkasim/kafka';
import { parseArgs, UsageError } from '../args';
import { loadScenario } from '../load';
import type { Out } from '../main';
import { jsonSummary, textReport } from '../report';

export function parseSetFlags(values: string[] = []): Record<string, OverrideValue> {
  const overrides: Record<string, OverrideValue> = {};
  for (const item of values) {
    const match = /^([^=]+)=(.*)$/.exec(item);
    if (!match) throw new UsageError(`--set expects key=value, got "${item}"`);
    overrides[match[1]] = parseOverrideValue(match[1], match[2]);
  }
  return overrides;
}

export async function runCommand(argv: string[], out: Out): Promise<number> {
  const args = parseArgs(argv, { boolean: ['json'], value: ['seed', 'trace', 'set', 'history'] });
  if (args.positionals.length !== 1) throw new UsageError('run needs exactly one scenario file');
  const file = args.positionals[0];
  const overrides = parseSetFlags(args.flags.get('set'));
  const seed = args.flags.get('seed')?.at(-1);
  if (seed !== undefined) overrides.seed = parseOverrideValue('seed', seed);
  const scenario = applyOverrides(loadScenario(file), overrides, file);
  const tracePath = args.flags.get('trace')?.at(-1);
  const result = runScenario(scenario, { traceMessages: tracePath !== undefined });
  if (tracePath) writeFileSync(tracePath, traceToNdjson(result.trace));
  const historyPath = args.flags.get('history')?.at(-1);
  if (historyPath) writeFileSync(historyPath, historyToEdn(clientHistory(result.trace).ops));
  out.log(args.flags.has('json') ? JSON.stringify(jsonSummary(result), null, 2) : textReport(result));
  return 0;
}
