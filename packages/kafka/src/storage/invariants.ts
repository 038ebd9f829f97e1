/**
 * Structural invariants of a log, as a list of human-readable violations
 * (empty = healthy). Used by the property tests here and available to
 * higher-level tests (replication, scenarios) as a cheap sanity check.
 */
import { recordSizeBytes } from './recordSize';
import { isFrozenRecord, segmentFileStem, segmentNextOffset } from './segment';
import type { Log } from './types';

export function checkLogInvariants(log: Log): string[] {
  const problems: string[] = [];
  const fail = (msg: string) => problems.push(`${log.dir}: ${msg}`);

  if (log.segments.length === 0) {
    fail('no segments (a log always has an active segment)');
    return problems;
  }

  let expectedOffset = log.segments[0].baseOffset;
  log.segments.forEach((seg, s) => {
    const isActive = s === log.segments.length - 1;
    const stem = segmentFileStem(seg.baseOffset);
    if (seg.fileName !== `${stem}.log` || seg.indexFileName !== `${stem}.index`) {
      fail(`segment ${seg.baseOffset} has file names ${seg.fileName}/${seg.indexFileName}`);
    }
    if (seg.baseOffset !== expectedOffset) {
      fail(`segment base offset ${seg.baseOffset} but previous segment ended at ${expectedOffset}`);
    }
    if (!isActive && seg.records.length === 0) fail(`inactive segment ${seg.baseOffset} is empty`);

    if (seg.positions.length !== seg.records.length) fail(`segment ${seg.baseOffset}: ${seg.positions.length} positions for ${seg.records.length} records`);
    let position = 0;
    seg.records.forEach((r, i) => {
      if (r.offset !== seg.baseOffset + i) fail(`segment ${seg.baseOffset}: record #${i} has offset ${r.offset}`);
      if (seg.positions[i] !== position) fail(`offset ${r.offset}: position ${seg.positions[i]}, expected ${position}`);
      if (!isFrozenRecord(r)) fail(`offset ${r.offset}: the record is not frozen (reads hand it out)`);
      position += recordSizeBytes(r);
    });
    if (seg.sizeBytes !== position) fail(`segment ${seg.baseOffset}: sizeBytes ${seg.sizeBytes}, records sum to ${position}`);

    seg.index.forEach((e, i) => {
      const prev = seg.index[i - 1];
      if (prev && (e.relativeOffset <= prev.relativeOffset || e.position <= prev.position)) {
        fail(`segment ${seg.baseOffset}: index entry #${i} does not increase`);
      }
      if (e.relativeOffset >= seg.records.length || seg.positions[e.relativeOffset] !== e.position) {
        fail(`segment ${seg.baseOffset}: index entry (${e.relativeOffset}, ${e.position}) points at no record`);
      }
    });
    expectedOffset = segmentNextOffset(seg);
  });

  if (expectedOffset !== log.logEndOffset) fail(`records end at ${expectedOffset} but LEO is ${log.logEndOffset}`);
  const firstOffset = log.segments[0].baseOffset;
  if (log.logStartOffset < firstOffset || log.logStartOffset > log.logEndOffset) {
    fail(`logStartOffset ${log.logStartOffset} outside [${firstOffset}, ${log.logEndOffset}]`);
  }
  if (log.recoveryPoint < log.logStartOffset || log.recoveryPoint > log.logEndOffset) {
    fail(`recoveryPoint ${log.recoveryPoint} outside [${log.logStartOffset}, ${log.logEndOffset}]`);
  }
  if (log.highWatermarkCheckpoint < log.logStartOffset || log.highWatermarkCheckpoint > log.logEndOffset) {
    fail(`highWatermarkCheckpoint ${log.highWatermarkCheckpoint} outside [${log.logStartOffset}, ${log.logEndOffset}]`);
  }

  log.epochCache.forEach((e, i) => {
    const prev = log.epochCache[i - 1];
    if (prev && (e.epoch <= prev.epoch || e.startOffset <= prev.startOffset)) {
      fail(`epoch cache entry #${i} (${e.epoch}@${e.startOffset}) does not increase`);
    }
    // <= LEO, not < LEO: retention may move the latest epoch's start up to an
    // empty active segment's base (truncateFromStart keeps the latest epoch).
    if (e.startOffset < log.logStartOffset || e.startOffset > log.logEndOffset) {
      fail(`epoch ${e.epoch} starts at ${e.startOffset}, outside [${log.logStartOffset}, ${log.logEndOffset}]`);
    }
  });
  return problems;
}
