/** Stepping by event: from one line of the event log to the next, not one raw engine step per press. */

/** The next (dir 1) or previous (dir -1) step with a line in the event log; the ends when there is none. */
export function nextNotable(steps: number[], from: number, dir: 1 | -1, last: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid] <= from) lo = mid + 1;
    else hi = mid;
  }
  // lo: the first notable step after `from`.
  if (dir > 0) return lo < steps.length ? steps[lo] : last;
  let i = lo - 1;
  while (i >= 0 && steps[i] >= from) i--;
  return i >= 0 ? steps[i] : 0;
}
