/** Sets of the cache: a power of two. Each set holds two strings, the more recent first. */
const SETS = 1024;

/**
 * Ids for the trace store's string values, by a small cache and no Map. Equal strings share an
 * id while they stay in the cache; one that comes back after it was evicted gets a new id, so
 * `strings` may hold a string twice. The store never compares ids, it only reads the strings
 * back, so a repeat costs one more slot here where a Map holding every record id of a run cost
 * a lookup with cache misses: in the bench cluster ~12% of lookups went to that Map, 5.5% of a
 * 10-minute run's CPU, and 96% of lookups are answered by the cache. Names, whose ids must not
 * change, use InternTable.
 */
export class RecentStrings {
  readonly strings: string[] = [];
  private readonly cached: (string | undefined)[] = new Array<string | undefined>(SETS * 2).fill(undefined);
  private readonly cachedIds = new Int32Array(SETS * 2);

  idOf(s: string): number {
    const n = s.length;
    // The last two characters tell apart the record ids and keys a run makes by the thousand.
    const set = n < 2 ? n : ((n << 5) ^ (s.charCodeAt(0) << 2) ^ (s.charCodeAt(n - 1) + s.charCodeAt(n - 2) * 10) ^ (s.charCodeAt(n >> 1) << 9)) & (SETS - 1);
    const first = set << 1;
    const cached = this.cached;
    const ids = this.cachedIds;
    if (cached[first] === s) return ids[first];
    let id: number;
    if (cached[first + 1] === s) {
      id = ids[first + 1];
    } else {
      id = this.strings.length;
      this.strings.push(s);
    }
    cached[first + 1] = cached[first];
    ids[first + 1] = ids[first];
    cached[first] = s;
    ids[first] = id;
    return id;
  }
}
