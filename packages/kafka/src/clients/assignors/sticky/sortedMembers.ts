/**
 * The general path's `TreeSet<String>` ordered by SubscriptionComparator: members by current
 * assignment size, then member id. Callers follow Kafka's discipline of removing a member before
 * changing its assignment and re-adding it afterwards, so a sorted array stays consistent.
 */
import { compareStrings } from '../common';

export class SortedMembers {
  private readonly items: string[] = [];
  private readonly present = new Set<string>();

  constructor(private readonly sizeOf: (member: string) => number) {}

  private compare(a: string, b: string): number {
    return this.sizeOf(a) - this.sizeOf(b) || compareStrings(a, b);
  }

  add(member: string): void {
    if (this.present.has(member)) return;
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.items[mid], member) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, member);
    this.present.add(member);
  }

  remove(member: string): void {
    if (!this.present.delete(member)) return;
    this.items.splice(this.items.indexOf(member), 1);
  }

  first(): string {
    return this.items[0];
  }

  last(): string {
    return this.items[this.items.length - 1];
  }

  /** Ascending order; a copy, so callers may mutate the set while walking it. */
  toArray(): string[] {
    return [...this.items];
  }
}
