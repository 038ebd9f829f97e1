/**
 * The set of cancelled timer ids, kept as the world's plain list (WorldState.cancelledTimers,
 * what checkpoints hold) plus an index over it: one bit per timer id ever issued. A Set did the
 * same with a hash insert per cancellation, a hash table regrown from empty after each purge
 * and an iterator per purge; six in every hundred bytes the bench cluster allocated were the
 * Set's. The index is rebuilt from the list, like EventQueue's keys from world.queue, so a
 * world restored from a checkpoint answers exactly as the run that made it. One bit a timer:
 * 10 minutes of the bench cluster issue ~10 M timers, 1.25 MB.
 */
export class CancelledTimerIds {
  private bits = new Uint32Array(1024);

  /** @param list the world's list, adopted: its ids are marked, and it is the one written. */
  constructor(private list: number[]) {
    for (const id of list) this.mark(id);
  }

  get size(): number {
    return this.list.length;
  }

  has(id: number): boolean {
    const word = id >>> 5;
    return word < this.bits.length && (this.bits[word] & (1 << (id & 31))) !== 0;
  }

  /** Adds a timer id (a non-negative integer); false when it was in already. */
  add(id: number): boolean {
    if (this.has(id)) return false;
    this.mark(id);
    this.list.push(id);
    return true;
  }

  /** Keeps only the ids `keep` says yes to, in the list's order. */
  retain(keep: (id: number) => boolean): void {
    const list = this.list;
    let kept = 0;
    for (let i = 0; i < list.length; i++) {
      const id = list[i];
      if (keep(id)) list[kept++] = id;
      else this.bits[id >>> 5] &= ~(1 << (id & 31));
    }
    list.length = kept;
  }

  private mark(id: number): void {
    const word = id >>> 5;
    if (word >= this.bits.length) {
      let length = this.bits.length * 2;
      while (length <= word) length *= 2;
      const grown = new Uint32Array(length);
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[word] |= 1 << (id & 31);
  }
}
