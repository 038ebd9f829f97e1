/** Slots of the cache of recently interned strings: a power of two. */
const RECENT = 1024;

/**
 * Strings by id and ids by string, for the trace store's names (nodes, events, timers): a name
 * keeps its id for the whole run. A direct-mapped cache, slotted by a string's length and a few
 * of its characters, sits in front of the Map. The store's values, which hold every record id
 * of a run, use RecentStrings and no Map.
 */
export class InternTable {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly recent: (string | undefined)[] = new Array<string | undefined>(RECENT).fill(undefined);
  private readonly recentIds = new Int32Array(RECENT);

  /** @param limit the most strings it takes: past it, a new string gets -1. */
  constructor(private readonly limit = Infinity) {}

  idOf(s: string): number {
    const n = s.length;
    const slot = n === 0 ? 0 : ((n << 4) ^ (s.charCodeAt(0) << 2) ^ s.charCodeAt(n - 1) ^ (s.charCodeAt(n >> 1) << 7)) & (RECENT - 1);
    if (this.recent[slot] === s) return this.recentIds[slot];
    let id = this.ids.get(s);
    if (id === undefined) {
      if (this.strings.length >= this.limit) return -1;
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    this.recent[slot] = s;
    this.recentIds[slot] = id;
    return id;
  }
}
