/** What Node says about a scenario: the same core the worker runs, and the CLI's runScenario. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyOverrides, parseScenario, runScenario, traceToNdjson, type OverrideValue } from '@kafkasim/kafka';
import { Handler } from '../src/core/handler';
import { modelFor } from '../src/core/models';
import type { StepView, Summary } from '../src/core/view';

const here = dirname(fileURLToPath(import.meta.url));
export const scenarioPath = (name: string) => join(here, '../../../scenarios', `${name}.json`);

/** The hash `kafkasim run scenarios/<name>.json --set k=v` computes. */
export function nodeTraceHash(name: string, overrides: Record<string, OverrideValue> = {}): string {
  const scenario = parseScenario(readFileSync(scenarioPath(name), 'utf8'), `${name}.json`);
  return runScenario(applyOverrides(scenario, overrides, `${name}.json`)).traceHash;
}

export function nodeSession(name: string) {
  const handler = new Handler(modelFor);
  const summary = handler.handle({
    type: 'load',
    spec: { source: 'scenario', file: `scenarios/${name}.json`, scenario: JSON.parse(readFileSync(scenarioPath(name), 'utf8')) },
  }) as Summary;
  const view = (step: number) => handler.handle({ type: 'view', branch: 0, at: { step }, window: { size: 20 } }) as StepView;
  return { summary, view };
}

/** The trace `kafkasim run scenarios/<name>.json --trace out.ndjson` writes, and its hash. */
export function nodeTrace(name: string): { ndjson: string; hash: string } {
  const result = runScenario(parseScenario(readFileSync(scenarioPath(name), 'utf8'), `${name}.json`), { traceMessages: true, tracePayloads: 'full' });
  return { ndjson: traceToNdjson(result.trace), hash: result.traceHash };
}
