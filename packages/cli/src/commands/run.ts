import { closeSync, openSync, writeFileSync } from 'node:fs';
import { applyOverrides, clientHistory, historyToEdn, parseOverrideValue, runScenario, type OverrideValue } from '@kafkasim/kafka';
import { parseArgs, UsageError } from '../args';
import { loadScenario } from '../load';
import type { Out } from '../main';
import { jsonSummary, textReport } from '../report';
import { NdjsonTraceFile } from '../traceFile';

export function parseSetFlags(values: string[] = []): Record<string, OverrideValue> {
  const overrides: Record<string, OverrideValue> = {};
  for (const item of values) {
    const match = /^([^=]+)=(.*)$/.exec(item);
    if (!match) throw new UsageError(`--set expects key=value, got "${item}"`);
    overrides[match[1]] = parseOverrideValue(match[1], match[2]);
  }
  return overrides;
}

/** Opens an output file before the run, so that a path that cannot be written fails in a moment, not after the run. */
function checkWritable(flag: 'trace' | 'history', path: string): void {
  try {
    closeSync(openSync(path, 'w'));
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    const why = code === 'ENOENT' ? 'its directory does not exist' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : code;
    throw new UsageError(`--${flag} ${path}: cannot write the ${flag} there (${why})`, false);
  }
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
  const historyPath = args.flags.get('history')?.at(-1);
  if (tracePath) checkWritable('trace', tracePath);
  if (historyPath) checkWritable('history', historyPath);
  // The trace file gets every entry with its payload as the run records it; memory keeps only what the report reads.
  const traceFile = tracePath ? new NdjsonTraceFile(tracePath) : null;
  let result: ReturnType<typeof runScenario>;
  try {
    result = runScenario(scenario, { traceMessages: traceFile !== null, traceSink: traceFile?.write });
  } finally {
    traceFile?.close();
  }
  if (historyPath) writeFileSync(historyPath, historyToEdn(clientHistory(result.trace).ops));
  out.log(args.flags.has('json') ? JSON.stringify(jsonSummary(result), null, 2) : textReport(result));
  return 0;
}
