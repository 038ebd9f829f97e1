/** Which records the two sides of a comparison treat differently: the point of comparing. */
import type { RecordIssueView, ReportView } from '../core/view';

/** What became of a record: "ok", or its troubles joined ("duplicated+reordered"). */
export type Fate = string;

export function fateOf(r: RecordIssueView | undefined): Fate {
  if (!r) return 'ok';
  const tags = [r.lost && 'lost', r.unprocessedBy.length > 0 && 'unprocessed', r.duplicated && 'duplicated', r.reordered && 'reordered'].filter(Boolean);
  return tags.length > 0 ? tags.join('+') : 'ok';
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
