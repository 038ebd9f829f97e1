/** Reads a trace written by `kafkasim run --trace file.ndjson` (one canonical JSON entry a line). */
import type { TraceEntry } from '@kafkasim/engine';

export function parseTraceNdjson(text: string): TraceEntry[] {
  const trace: TraceEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let entry: TraceEntry;
    try {
      entry = JSON.parse(line) as TraceEntry;
    } catch (error) {
      throw new Error(`line ${i + 1}: not JSON (${(error as Error).message})`);
    }
    if (typeof entry.step !== 'number' || typeof entry.time !== 'number' || typeof entry.type !== 'string') {
      throw new Error(`line ${i + 1}: not a trace entry (needs step, time and type)`);
    }
    trace.push(entry);
  }
  return trace;
}
