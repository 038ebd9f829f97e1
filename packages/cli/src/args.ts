/** A small argument parser: positionals, `--flag value`, `--flag=value`, repeatable flags. */
export class UsageError extends Error {
  /** showUsage: false for a problem the usage text does not help with (a path that cannot be written). */
  constructor(message: string, readonly showUsage = true) {
    super(message);
  }
}

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string[]>;
}

export function parseArgs(argv: string[], spec: { boolean: string[]; value: string[] }): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (spec.boolean.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      flags.set(name, ['true']);
    } else if (spec.value.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else {
      throw new UsageError(`unknown option --${name}; expected one of ${[...spec.boolean, ...spec.value].map((f) => `--${f}`).join(', ')}`);
    }
  }
  return { positionals, flags };
}

export function intFlag(args: ParsedArgs, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const text = args.flags.get(name)?.at(-1);
  if (text === undefined) return fallback;
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`--${name} expects a whole number ${range}, got "${text}"`);
  return Number(text);
}
