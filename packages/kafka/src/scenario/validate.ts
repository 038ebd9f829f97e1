import type { z } from 'zod';
import { formatPath, ScenarioError, type ScenarioIssue, suggest } from './errors';
import { checkClientConfigs, clientConstructorIssues } from './clientConfigChecks';
import { jsonSyntaxProblem } from './jsonSyntax';
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

/** Parses scenario text (JSON), with the line and column of a syntax error, in one line. */
export function parseScenario(text: string, file: string): Scenario {
  // Editors on Windows save UTF-8 with a byte order mark; JSON.parse would refuse it.
  const json = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    const problem = jsonSyntaxProblem(json);
    const message = problem
      ? `not valid JSON at line ${problem.line}, column ${problem.column}: ${problem.reason}`
      : // JSON.parse quotes the text, line breaks and all: keep its words, drop the quote.
        `not valid JSON: ${(error as Error).message.replace(/, ".*" is not valid JSON$/s, '').replace(/\s+/g, ' ')}`;
    throw new ScenarioError(file, [{ path: '', message }]);
  }
  return validateScenario(raw, file);
}
