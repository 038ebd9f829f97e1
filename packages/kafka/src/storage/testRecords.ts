/**
 * Record builders shared by the storage tests. A 32-character value with a
 * null key makes every record exactly 100 bytes (61 batch header + 1 + 38
 * body), which keeps segment and index arithmetic in the tests readable.
 */
import { recordSizeBytes } from './recordSize';
import type { RecordInput } from './types';

export function fixedInput(i: number): RecordInput {
  return { key: null, value: String(i).padStart(32, '0'), timestamp: 1_000 + i };
}

export function fixedInputs(from: number, count: number): RecordInput[] {
  return Array.from({ length: count }, (_, k) => fixedInput(from + k));
}

export const FIXED_RECORD_BYTES = recordSizeBytes(fixedInput(0));
