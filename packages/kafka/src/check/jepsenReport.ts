/**
 * The delivery report's view of Jepsen's anomaly classes: counts, Jepsen's verdict, and one line
 * per case naming the records involved (their cause chains are on the records themselves).
 */
import type { ClientHistory, JepsenOp } from './history';
import { allowedWithSubscribe, jepsenClasses, jepsenCounts, jepsenWithinPollClasses, type JepsenAnalysis, type JepsenClass } from './jepsen';

export interface JepsenCase {
  class: JepsenClass;
  /** The Jepsen key: a topic-partition. */
  key: string;
  /** The records (ids) the case is about; for a poll-skip the skipped ones (the first 32). */
  records: string[];
  text: string;
}

export interface JepsenReport {
  counts: Record<JepsenClass, number>;
  /** Jepsen's :valid? for a test whose consumers subscribe: no class outside allowedWithSubscribe. */
  valid: boolean;
  badClasses: JepsenClass[];
  /** Every case except unseen, which is per key. */
  cases: JepsenCase[];
  /** Per key: acknowledged records no poll returned (the first 32 named, as Jepsen's condensed result does). */
  unseen: { key: string; count: number; records: string[] }[];
  /** polls: completed :poll operations (none: unseen is every acknowledged record, as no consumer read). */
  history: { operations: number; processes: number; polls: number; sendsWithoutKey: number; readsWithoutSend: number };
}

/** Jepsen's condense-error keeps 32 unseen messages per key; the report names as many skipped records. */
const NAMED = 32;

const who = (op: JepsenOp) => `${op.node} (process ${op.process})`;
const some = (ids: string[]) => (ids.length > NAMED ? `${ids.slice(0, NAMED).join(', ')}, ...` : ids.join(', '));

export function jepsenReport(history: ClientHistory, a: JepsenAnalysis): JepsenReport {
  const cases: JepsenCase[] = [];
  for (const c of a['inconsistent-offsets']) {
    cases.push({ class: 'inconsistent-offsets', key: c.key, records: c.values, text: `${c.key} offset ${c.offset} holds ${c.values.length} different records: ${c.values.join(', ')}` });
  }
  for (const c of a.duplicate) {
    cases.push({ class: 'duplicate', key: c.key, records: [c.value], text: `${c.key}: ${c.value} is at ${c.count} offsets (${c.offsets.join(', ')})` });
  }
  for (const c of a['lost-write']) {
    const sent = c.writer.type === 'ok' ? 'acknowledged' : 'sent with no answer but read';
    const after = c.maxRead ? `, though ${who(c.maxRead)} polled up to index ${c.maxReadIndex}` : '';
    cases.push({ class: 'lost-write', key: c.key, records: [c.value], text: `${c.key}: ${c.value} (${sent}, index ${c.index}) was never polled${after}` });
  }
  for (const c of a.G1a) {
    cases.push({ class: 'G1a', key: c.key, records: [c.value], text: `${c.key}: ${c.value} failed (${c.writer.error ?? 'error'}) yet ${who(c.reader)} polled it` });
  }
  // A value at several offsets has its last one as its index: a poll reading it at the first looks like a skip.
  const duplicated = new Set(a.duplicate.map((d) => `${d.key}\u0000${d.value}`));
  const duplicateNote = (key: string, values: string[]) => {
    const dups = values.filter((v) => duplicated.has(`${key}\u0000${v}`));
    return dups.length > 0 ? ` (${dups.join(', ')}: a duplicate, placed at its last offset)` : '';
  };
  for (const c of a['poll-skip']) {
    const why = duplicateNote(c.key, c.values);
    cases.push({
      class: 'poll-skip', key: c.key, records: c.skipped.slice(0, NAMED),
      text: `${who(c.ops[1])} polled ${c.key} from ${c.values[1]} after ${c.values[0]}, ${c.delta - 1} record(s) apart in the version order${why}: ${some(c.skipped)}`,
    });
  }
  for (const c of a['nonmonotonic-poll']) {
    cases.push({
      class: 'nonmonotonic-poll', key: c.key, records: c.values,
      text: `${who(c.ops[1])} polled ${c.key} up to ${c.values[0]}, then went back to ${c.values[1]} (${1 - c.delta} record(s) read again)`,
    });
  }
  for (const c of a['nonmonotonic-send']) {
    const where = c.delta === 0 ? 'at the same position' : `${-c.delta} position(s) before it`;
    cases.push({ class: 'nonmonotonic-send', key: c.key, records: c.values, text: `${who(c.ops[1])} sent ${c.values[0]}, then ${c.values[1]}, which landed ${where}` });
  }
  for (const c of a['int-poll-skip']) {
    cases.push({
      class: 'int-poll-skip', key: c.key, records: c.skipped!.slice(0, NAMED),
      text: `${who(c.op)} polled ${c.key} ${c.values[1]} right after ${c.values[0]} in one poll, ${c.delta - 1} record(s) apart in the version order${duplicateNote(c.key, c.values)}: ${some(c.skipped!)}`,
    });
  }
  for (const c of a['int-nonmonotonic-poll']) {
    cases.push({
      class: 'int-nonmonotonic-poll', key: c.key, records: c.values,
      text: `${who(c.op)} polled ${c.key} ${c.values[1]} right after ${c.values[0]} in one poll, ${1 - c.delta} position(s) back in the version order${duplicateNote(c.key, c.values)}`,
    });
  }
  const counts = jepsenCounts(a);
  const badClasses = [...jepsenClasses, ...jepsenWithinPollClasses].filter((c) => counts[c] > 0 && !allowedWithSubscribe.includes(c));
  return {
    counts,
    valid: badClasses.length === 0,
    badClasses,
    cases,
    unseen: Object.entries(a.unseen?.unseen ?? {}).map(([key, count]) => ({ key, count, records: a.unseen!.messages[key].slice(0, NAMED) })),
    history: {
      operations: history.ops.length,
      processes: new Set(history.ops.map((op) => op.process)).size,
      polls: history.ops.filter((op) => op.f === 'poll' && op.type !== 'invoke').length,
      sendsWithoutKey: history.sendsWithoutKey.length,
      readsWithoutSend: history.readsWithoutSend.length,
    },
  };
}
