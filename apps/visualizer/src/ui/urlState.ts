/** The shareable part of the page: scenario, seed, overrides, compare, branch faults and step, in the URL's query. */
export type Overrides = Record<string, string | number | boolean>;

export interface ForkSpec {
  type: 'crash' | 'restart' | 'pause' | 'resume';
  node: string;
  step: number;
}

export interface UrlState {
  scenario: string | null;
  seed: string | null;
  overrides: Overrides;
  step: number | null;
  compare: [Overrides, Overrides] | null;
  forks: ForkSpec[];
  /** Predict, then reveal: "will be lost" stays hidden until the loss. */
  predict?: boolean;
  /** Compare mode's position (both runs step by time). */
  time?: number | null;
  /** "step": the arrows move one raw step (default: one event). */
  by?: string | null;
}

export function parseOverrides(text: string): Overrides {
  const out: Overrides = {};
  for (const part of text.split(/[,\s]+/)) {
    const m = /^([^=]+)=(.*)$/.exec(part.trim());
    if (!m) continue;
    const [, key, raw] = m;
    out[key] = key === 'acks' ? raw : raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

export function formatOverrides(o: Overrides): string {
  return Object.entries(o).map(([k, v]) => `${k}=${v}`).join(',');
}

export function readUrl(search: string): UrlState {
  const q = new URLSearchParams(search);
  const compare = q.get('compare');
  const [a, b] = compare ? compare.split('|') : [];
  return {
    scenario: q.get('scenario'),
    seed: q.get('seed'),
    overrides: parseOverrides(q.get('set') ?? ''),
    step: q.has('step') ? Number(q.get('step')) : null,
    predict: q.get('predict') === '1',
    time: q.has('t') ? Number(q.get('t')) : null,
    by: q.get('by'),
    compare: compare ? [parseOverrides(a ?? ''), parseOverrides(b ?? '')] : null,
    forks: (q.get('fork') ?? '').split(';').filter(Boolean).flatMap((f) => {
      const m = /^(crash|restart|pause|resume):([a-z0-9-]+)@(\d+)$/.exec(f);
      return m ? [{ type: m[1] as ForkSpec['type'], node: m[2], step: Number(m[3]) }] : [];
    }),
  };
}

export function writeUrl(state: UrlState): string {
  const q = new URLSearchParams();
  if (state.scenario) q.set('scenario', state.scenario);
  if (state.seed) q.set('seed', state.seed);
  if (Object.keys(state.overrides).length > 0) q.set('set', formatOverrides(state.overrides));
  if (state.compare) q.set('compare', `${formatOverrides(state.compare[0])}|${formatOverrides(state.compare[1])}`);
  if (state.forks.length > 0) q.set('fork', state.forks.map((f) => `${f.type}:${f.node}@${f.step}`).join(';'));
  if (state.predict) q.set('predict', '1');
  if (state.by) q.set('by', state.by);
  if (state.time !== undefined && state.time !== null) q.set('t', String(state.time));
  if (state.step !== null) q.set('step', String(state.step));
  return `?${q.toString()}`;
}
