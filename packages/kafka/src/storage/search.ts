/**
 * Binary search shared by the segment lookup (by base offset), the sparse
 * offset index (by relative offset) and the record scan start (by position).
 * Kafka does the same in LogSegments.floorSegment (a skip-list floorEntry)
 * and AbstractIndex.largestLowerBoundSlotFor.
 */

/**
 * Index of the last element whose key is <= target in an array sorted by
 * ascending key, or -1 if every key is greater (or the array is empty).
 */
export function floorIndex<T>(items: readonly T[], target: number, keyOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(items[mid]) <= target) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
