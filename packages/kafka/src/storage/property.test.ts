/**
 * Property tests: random sequences of appends, truncations, flushes, power
 * losses, retention and restarts against a tiny independent model (the list
 * of records that should be in the log), checking the structural invariants
 * after every step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendAsFollower, appendAsLeader } from './append';
import { flush, loseUnflushed } from './durability';
import { epochForOffset } from './epochCache';
import { checkLogInvariants } from './invariants';
import { allRecords, createLog } from './log';
import { read } from './read';
import { recordSizeBytes } from './recordSize';
import { deleteSegmentsBefore } from './retention';
import { lookupPosition, type PositionLookup } from './segment';
import { truncateFullyAndStartAt, truncateTo } from './truncate';
import type { Log, RecordInput, Segment } from './types';

const inputArb: fc.Arbitrary<RecordInput> = fc.record({
  key: fc.option(fc.string({ maxLength: 6 }), { nil: null }),
  value: fc.string({ unit: 'grapheme', maxLength: 90 }),
  timestamp: fc.nat(),
});

const configArb = fc.record({
  segmentBytes: fc.constantFrom(120, 400, 1_000, 5_000),
  indexIntervalBytes: fc.constantFrom(0, 100, 250, 4_096),
});

type Op =
  | { t: 'append'; inputs: RecordInput[]; bumpEpoch: boolean }
  | { t: 'truncate'; back: number }
  | { t: 'flush'; back: number }
  | { t: 'powerLoss' }
  | { t: 'retention'; ahead: number }
  | { t: 'restart'; gap: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('append' as const), inputs: fc.array(inputArb, { maxLength: 8 }), bumpEpoch: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('truncate' as const), back: fc.integer({ min: -2, max: 30 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('flush' as const), back: fc.integer({ min: 0, max: 10 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('powerLoss' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('retention' as const), ahead: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('restart' as const), gap: fc.integer({ min: 0, max: 20 }) }) },
);

interface Model {
  records: { offset: number; value: string; leaderEpoch: number }[];
  logEndOffset: number;
  recoveryPoint: number;
  epoch: number;
}

/** Truncate the model; returns the offsets it removed. */
function truncateModel(m: Model, target: number): number[] {
  if (target >= m.logEndOffset) return [];
  const removed = m.records.filter((r) => r.offset >= target).map((r) => r.offset);
  m.records = m.records.filter((r) => r.offset < target);
  m.logEndOffset = target;
  m.recoveryPoint = Math.min(m.recoveryPoint, target);
  return removed;
}

function apply(log: Log, m: Model, op: Op): void {
  switch (op.t) {
    case 'append': {
      if (op.bumpEpoch) m.epoch++;
      const { firstOffset } = appendAsLeader(log, op.inputs, m.epoch);
      expect(firstOffset).toBe(m.logEndOffset);
      op.inputs.forEach((r, i) => m.records.push({ offset: firstOffset + i, value: r.value, leaderEpoch: m.epoch }));
      m.logEndOffset += op.inputs.length;
      return;
    }
    case 'truncate': {
      const target = Math.max(0, m.logEndOffset - op.back);
      const removed = truncateTo(log, target);
      expect(removed.map((r) => r.offset)).toEqual(truncateModel(m, target));
      return;
    }
    case 'flush':
      flush(log, m.logEndOffset - op.back);
      m.recoveryPoint = Math.max(m.recoveryPoint, m.logEndOffset - op.back);
      return;
    case 'powerLoss':
      const { lost } = loseUnflushed(log);
      expect(lost.map((r) => r.offset)).toEqual(truncateModel(m, m.recoveryPoint));
      return;
    case 'retention': {
      const before = log.logStartOffset;
      const offset = before + op.ahead;
      deleteSegmentsBefore(log, offset);
      // Whole segments only: the new start is a segment base, not past the request.
      expect(log.logStartOffset).toBeGreaterThanOrEqual(before);
      expect(log.logStartOffset).toBeLessThanOrEqual(Math.max(before, offset));
      expect(log.segments[0].baseOffset).toBe(log.logStartOffset);
      m.records = m.records.filter((r) => r.offset >= log.logStartOffset);
      m.recoveryPoint = Math.max(m.recoveryPoint, log.logStartOffset);
      return;
    }
    case 'restart': {
      const at = m.logEndOffset + op.gap;
      truncateFullyAndStartAt(log, at);
      m.records = [];
      m.logEndOffset = at;
      m.recoveryPoint = at;
      return;
    }
  }
}

/** OffsetIndex.lookup and the forward scan done literally: the floor entry, the record at its position, a scan. */
function scannedLookup(segment: Segment, offset: number): PositionLookup {
  let indexSlot = -1;
  segment.index.forEach((e, slot) => { if (e.relativeOffset <= offset - segment.baseOffset) indexSlot = slot; });
  const indexEntry = indexSlot === -1 ? null : segment.index[indexSlot];
  const startPosition = indexEntry === null ? 0 : indexEntry.position;
  let i = 0;
  segment.positions.forEach((position, slot) => { if (position <= startPosition) i = slot; });
  let recordsScanned = 0;
  for (; i < segment.records.length; i++) {
    recordsScanned++;
    if (segment.records[i].offset >= offset) {
      return { targetOffset: offset, indexEntry, indexSlot, startPosition, recordsScanned, recordIndex: i, record: segment.records[i] };
    }
  }
  return { targetOffset: offset, indexEntry, indexSlot, startPosition, recordsScanned, recordIndex: -1, record: null };
}

function checkAgainstModel(log: Log, m: Model): void {
  expect(checkLogInvariants(log)).toEqual([]);
  const records = allRecords(log);
  expect(records.map((r) => ({ offset: r.offset, value: r.value, leaderEpoch: r.leaderEpoch }))).toEqual(m.records);
  expect(log.logEndOffset).toBe(m.logEndOffset);
  expect(log.recoveryPoint).toBe(m.recoveryPoint);
  // Offsets contiguous from the log start offset to the LEO.
  expect(records.map((r) => r.offset)).toEqual(
    Array.from({ length: log.logEndOffset - log.logStartOffset }, (_, i) => log.logStartOffset + i),
  );
  // The epoch cache explains every record's epoch (epochs only ever grow here).
  for (const r of records) expect(epochForOffset(log.epochCache, r.offset)).toBe(r.leaderEpoch);
  // Sparse index: strictly more than indexIntervalBytes between entries.
  const interval = log.config.indexIntervalBytes;
  for (const seg of log.segments) {
    seg.index.forEach((e, i) => {
      const prevPosition = i === 0 ? 0 : seg.index[i - 1].position;
      expect(e.position - prevPosition).toBeGreaterThan(interval);
    });
  }
}

describe('storage properties', () => {
  it('random append / truncate / flush / power loss / retention sequences keep the invariants', () => {
    fc.assert(
      fc.property(configArb, fc.array(opArb, { maxLength: 40 }), (config, ops) => {
        const log = createLog('prop-0', config);
        const m: Model = { records: [], logEndOffset: 0, recoveryPoint: 0, epoch: 0 };
        for (const op of ops) {
          apply(log, m, op);
          checkAgainstModel(log, m);
        }
        // Every offset reads back as the linear scan says, and the state is plain data.
        const linear = allRecords(log);
        for (const r of linear) expect(read(log, r.offset, { maxBytes: 1 })).toEqual([r]);
        // lookupPosition takes the scan's start and end from the offsets: the same as searching and scanning.
        for (const seg of log.segments) {
          for (let o = seg.baseOffset - 1; o <= seg.baseOffset + seg.records.length + 1; o++) {
            expect(lookupPosition(seg, o)).toEqual(scannedLookup(seg, o));
          }
        }
        expect(structuredClone(log)).toEqual(log);
      }),
      { numRuns: 300 },
    );
  });

  it('a follower fetching with read + appendAsFollower becomes identical to the leader', () => {
    fc.assert(
      fc.property(
        configArb,
        fc.array(fc.record({ inputs: fc.array(inputArb, { maxLength: 6 }), bumpEpoch: fc.boolean() }), { maxLength: 25 }),
        fc.integer({ min: 1, max: 3_000 }),
        (config, batches, maxBytes) => {
          const leader = createLog('p-0', config);
          let epoch = 0;
          for (const b of batches) appendAsLeader(leader, b.inputs, b.bumpEpoch ? ++epoch : epoch);

          const follower = createLog('p-0', config);
          for (;;) {
            const fetched = read(leader, follower.logEndOffset, { maxBytes });
            if (fetched.length === 0) break;
            appendAsFollower(follower, fetched);
          }
          expect(follower.segments).toEqual(leader.segments);
          expect(follower.epochCache).toEqual(leader.epochCache);

          // Append-only, so the index is also not too sparse: at most one record past the interval.
          for (const seg of leader.segments) {
            const maxRecord = Math.max(0, ...seg.records.map((r) => recordSizeBytes(r)));
            seg.index.forEach((e, i) => {
              const prevPosition = i === 0 ? 0 : seg.index[i - 1].position;
              expect(e.position - prevPosition).toBeLessThanOrEqual(config.indexIntervalBytes + maxRecord);
            });
            expect(seg.bytesSinceLastIndexEntry).toBeLessThanOrEqual(config.indexIntervalBytes + maxRecord);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
