import type { Trace } from './traceStore';
import type { TraceEntry } from './types';

/**
 * The first `headLength` entries of `head`, then all of `tail`, read through without copying
 * either: the trace of a run forked from another at a step (the visualizer's branches).
 */
export class JoinedTrace implements Trace {
  constructor(private readonly head: Trace, private readonly headLength: number, private readonly tail: Trace) {
    if (!Number.isInteger(headLength) || headLength < 0 || headLength > head.length) {
      throw new Error(`JoinedTrace: headLength ${headLength} is not within the head's ${head.length} entries`);
    }
  }

  get length(): number {
    return this.headLength + this.tail.length;
  }

  at(index: number): TraceEntry | undefined {
    const i = index < 0 ? this.length + index : index;
    if (!(i >= 0 && i < this.length)) return undefined;
    return i < this.headLength ? this.head.at(i) : this.tail.at(i - this.headLength);
  }

  *[Symbol.iterator](): IterableIterator<TraceEntry> {
    for (let i = 0; i < this.headLength; i++) yield this.head.at(i)!;
    yield* this.tail;
  }

  slice(start = 0, end = this.length): TraceEntry[] {
    const n = this.length;
    const clamp = (x: number) => {
      const t = Math.trunc(x) || 0;
      return t < 0 ? Math.max(0, n + t) : Math.min(t, n);
    };
    const out: TraceEntry[] = [];
    for (let i = clamp(start), to = clamp(end); i < to; i++) out.push(this.at(i)!);
    return out;
  }
}
