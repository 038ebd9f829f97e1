import { closeSync, openSync, writeSync } from 'node:fs';
import { canonicalJson, type TraceEntry } from '@kafkasim/engine';

/** Bytes of NDJSON gathered before one write: few system calls, and a bounded buffer. */
const FLUSH_AT = 1 << 20;

/**
 * `run --trace FILE`: each entry, payload whole, written as canonical NDJSON while the run goes
 * (the simulation's trace sink), so the run never holds the payloads of its whole trace.
 */
export class NdjsonTraceFile {
  private readonly fd: number;
  private pending = '';

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  readonly write = (entry: TraceEntry): void => {
    this.pending += canonicalJson(entry) + '\n';
    if (this.pending.length >= FLUSH_AT) this.flush();
  };

  /** Writes what is left and closes the file (also after a run that stopped part-way). */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }

  private flush(): void {
    if (this.pending.length > 0) writeSync(this.fd, this.pending);
    this.pending = '';
  }
}
