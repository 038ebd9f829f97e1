import { describe, expect, it } from 'vitest';
import { addRun, advanceRun, earliestRun, orderRuns, sortedPlaces, type RunPlaces } from './cancelledRuns';
import { queuedBefore, type Queued } from './queueOrder';

function listOf(places: RunPlaces): Queued[] {
  return Array.from(places.times, (time, i) => ({ time, seq: places.seqs[i] }));
}

function byComparator(events: Queued[]): Queued[] {
  return events.map((e) => ({ time: e.time, seq: e.seq })).sort((a, b) => (queuedBefore(a, b) ? -1 : 1));
}

/** A small deterministic generator, so the test needs no seeded stream of the engine. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('sortedPlaces', () => {
  it('sorts queue places by time, then seq, into a frozen pair of arrays', () => {
    const next = lcg(7);
    const events = Array.from({ length: 500 }, (_, i) => ({ time: Math.floor(next() * 50), seq: 1000 - i, other: i }));
    const out = sortedPlaces(events);
    expect(listOf(out)).toEqual(byComparator(events));
    expect(Object.isFrozen(out)).toBe(true);
  });

  it('sorts numbers too large to pack into one key the same way', () => {
    const events = [
      { time: 2 ** 40, seq: 2 ** 30 + 1 }, { time: 2 ** 40, seq: 2 ** 30 }, { time: 3, seq: 2 ** 45 }, { time: 3, seq: 5 },
    ];
    expect(listOf(sortedPlaces(events))).toEqual([{ time: 3, seq: 5 }, { time: 3, seq: 2 ** 45 }, { time: 2 ** 40, seq: 2 ** 30 }, { time: 2 ** 40, seq: 2 ** 30 + 1 }]);
  });

  it('keeps places exact at the edge of packing (seq just below a power of two, large times)', () => {
    const events = [{ time: 2 ** 28 - 1, seq: 2 ** 24 - 1 }, { time: 2 ** 28 - 1, seq: 2 ** 24 - 2 }, { time: 0, seq: 0 }];
    expect(listOf(sortedPlaces(events))).toEqual(byComparator(events));
  });
});

describe('cancelled runs', () => {
  it('hand out every place once, in queue order, across merged runs', () => {
    const next = lcg(11);
    const runs: Parameters<typeof addRun>[0] = [];
    const all: Queued[] = [];
    let seq = 0;
    for (let batch = 0; batch < 20; batch++) {
      const events = Array.from({ length: 1 + Math.floor(next() * 40) }, () => ({ time: Math.floor(next() * 100), seq: seq++ }));
      all.push(...events);
      addRun(runs, sortedPlaces(events));
    }
    expect(drain(runs)).toEqual(byComparator(all));
  });

  it('come back in order after orderRuns, whatever order the runs were in', () => {
    const next = lcg(5);
    const runs: Parameters<typeof addRun>[0] = [];
    const all: Queued[] = [];
    let seq = 0;
    for (let batch = 0; batch < 12; batch++) {
      const events = Array.from({ length: 1 + Math.floor(next() * 9) }, () => ({ time: Math.floor(next() * 30), seq: seq++ }));
      all.push(...events);
      runs.push({ places: sortedPlaces(events), next: 0 });
    }
    runs.push({ places: sortedPlaces([{ time: 1, seq: 0 }]), next: 1 });
    runs.reverse();
    orderRuns(runs);
    expect(drain(runs)).toEqual(byComparator(all));
  });
});

function drain(runs: Parameters<typeof addRun>[0]): Queued[] {
  const seen: Queued[] = [];
  for (let r = earliestRun(runs); r !== -1; r = earliestRun(runs)) {
    const { places, next } = runs[r];
    seen.push({ time: places.times[next], seq: places.seqs[next] });
    advanceRun(runs, r);
  }
  return seen;
}
