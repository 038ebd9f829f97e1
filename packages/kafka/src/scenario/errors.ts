/** A scenario problem, always naming the file and the field. */
export interface ScenarioIssue {
  /** Dotted path with [index] for arrays, e.g. "workload.producers[0].config.acks"; "" for the file itself. */
  path: string;
  message: string;
}

/**
 * Control characters and line separators written as escapes: a key or value from the file
 * (an unknown key "brok\rers") would otherwise break the one line of its error in a terminal.
 */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export class ScenarioError extends Error {
  constructor(readonly file: string, readonly issues: ScenarioIssue[]) {
    super(issues.map((i) => printable(`${file}: ${i.path || '(file)'}: ${i.message}`)).join('\n'));
    this.name = 'ScenarioError';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The closest known name, when one is close enough to be the intended one. */
export function suggest(unknown: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(unknown.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(unknown.length / 4)) ? best : undefined;
}
