/**
 * Which offsets of a partition the log view shows. Following the leader's newest offsets hides
 * what a lesson is about (a lagging follower, the high watermark, the records above it that a
 * crash will take, where a consumer is): by default the window spans every replica's log end
 * offset and high watermark, then each consumer's position and committed offset if they fit,
 * and ends at the newest offset when it can.
 */

export interface WindowInputs {
  /** Log end offsets and high watermarks of every replica (null: none reported). */
  replicaMarks: (number | null)[];
  /** Consumers' positions and committed offsets on this partition. */
  consumerMarks: number[];
  /** The highest log end offset of any replica. */
  max: number;
  /** First offset asked for; undefined = automatic. */
  from?: number;
  /** Most cells the page can draw (at its narrowest cell). */
  size: number;
  /** Cells at the page's comfortable width: a fixed or short window uses this many. */
  preferred?: number;
}

export function logWindow({ replicaMarks, consumerMarks, max, from, size, preferred }: WindowInputs): { from: number; to: number } {
  const most = Math.max(1, size);
  const comfortable = Math.max(1, Math.min(most, preferred ?? most));
  if (from !== undefined) {
    const start = Math.max(0, Math.min(from, Math.max(0, max - 1)));
    return { from: start, to: start + comfortable };
  }
  const marks = replicaMarks.filter((m): m is number => m !== null);
  let lo = Math.min(max, ...marks);
  // A consumer far behind would squeeze the replicas into thin cells: it is included when it fits.
  for (const m of [...consumerMarks].sort((a, b) => a - b)) {
    if (max - Math.min(lo, m) + 1 <= most) {
      lo = Math.min(lo, m);
      break;
    }
  }
  // One offset of context to the left of the lowest mark, and room for the log end marker at `max`.
  const need = max - Math.max(0, lo - 1) + 1;
  const n = Math.max(comfortable, Math.min(most, need));
  let start = Math.max(0, max + 1 - n);
  if (start > Math.max(0, lo - 1)) start = Math.max(0, lo - 1);
  return { from: start, to: start + n };
}
