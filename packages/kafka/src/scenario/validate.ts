import type { z } from 'zod';
import { formatPath, ScenarioError, type ScenarioIssue, suggest } from './errors';
import { checkClientConfigs, clientConstructorIssues } from './clientConfigChecks';
import { checkReferences } from './references';
import { checkRunSize } from './runSize';
import { scenarioSchema, type Scenario } from './schema';

/** Every key any scenario object accepts, for "did you mean" on typos. */
function knownKeys(schema: z.ZodType, into = new Set<string>()): Set<string> {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
  const visit = (s: unknown) => s && knownKeys(s as z.ZodType, into);
  if (def.shape) {
    for (const [key, value] of Object.entries(def.shape as Record<string, unknown>)) {
      into.add(key);
      visit(value);
    }
  }
  for (const field of ['innerType', 'element', 'in', 'out']) visit(def[field]);
  for (const field of ['options', 'items']) (def[field] as unknown[] | undefined)?.forEach(visit);
  return into;
}

const allKeys = [...knownKeys(scenarioSchema)];

function describeIssue(issue: z.core.$ZodIssue): ScenarioIssue[] {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const guess = suggest(key, allKeys);
      return { path: path ? `${path}.${key}` : key, message: `unknown key "${key}"${guess ? ` (did you mean "${guess}"?)` : ''}` };
    });
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    const options = (issue as unknown as { options: string[] }).options ?? [];
    return [{ path, message: `expected one of ${options.map((o) => `"${o}"`).join(', ')}` }];
  }
  return [{ path, message: issue.message.replace(/^Invalid input: /, '') }];
}

/** Validates parsed JSON; throws ScenarioError listing every problem found. */
export function validateScenario(raw: unknown, file: string): Scenario {
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(file, parsed.error.issues.flatMap(describeIssue));
  const issues = [...checkReferences(parsed.data), ...checkClientConfigs(parsed.data), ...checkRunSize(parsed.data)];
  if (issues.length === 0) issues.push(...clientConstructorIssues(parsed.data));
  if (issues.length > 0) throw new ScenarioError(file, issues);
  return parsed.data;
}

/** Parses scenario text (JSON), with the line and column of a syntax error. */
export function parseScenario(text: string, file: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    let where = '';
    if (position) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${Number(position[1]) - before.lastIndexOf('\n')}`;
    }
    throw new ScenarioError(file, [{ path: '', message: `not valid JSON${where}: ${message}` }]);
  }
  return validateScenario(raw, file);
}
