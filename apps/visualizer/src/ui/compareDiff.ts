/** Which records the two sides of a comparison treat differently: the point of comparing. */
import type { RecordIssueView, ReportView } from '../core/view';

export type Fate = 'lost' | 'duplicated' | 'reordered' | 'unprocessed' | 'ok';

export function fateOf(r: RecordIssueView | undefined): Fate {
  if (!r) return 'ok';
  if (r.lost) return 'lost';
  if (r.unprocessedBy.length > 0) return 'unprocessed';
  if (r.duplicated) return 'duplicated';
  return r.reordered ? 'reordered' : 'ok';
}

export interface FateDiff {
  /** "lost on the left only" and the like, with the record ids. */
  groups: { left: Fate; right: Fate; ids: string[] }[];
  ids: Set<string>;
}

export function diffFates(a: ReportView | null, b: ReportView | null): FateDiff {
  const left = new Map((a?.records ?? []).map((r) => [r.id, r]));
  const right = new Map((b?.records ?? []).map((r) => [r.id, r]));
  const byPair = new Map<string, { left: Fate; right: Fate; ids: string[] }>();
  const ids = new Set<string>();
  for (const id of [...new Set([...left.keys(), ...right.keys()])].sort()) {
    const l = fateOf(left.get(id));
    const r = fateOf(right.get(id));
    if (l === r) continue;
    ids.add(id);
    const key = `${l}|${r}`;
    if (!byPair.has(key)) byPair.set(key, { left: l, right: r, ids: [] });
    byPair.get(key)!.ids.push(id);
  }
  return { groups: [...byPair.values()], ids };
}
