/**
 * Kafka's controller runs one event at a time on its event thread and blocks on ZooKeeper. Here an
 * event becomes a Job whose steps issue tagged zk requests; the next step runs once every request
 * of the current step is answered. Tags: 'ctl:<jobId>:<label>'.
 */
import type { ControllerState, Job } from './state';

export const TAG_PREFIX = 'ctl:';

export interface StepResult {
  ok: boolean;
  error?: string;
  data?: unknown;
  stat?: { version: number; czxid: number } | null;
  children?: string[];
}

/** Issues one zk request for the current job; `issue` receives the tag to pass to the zk call. */
export function call(cs: ControllerState, label: string, issue: (tag: string) => void): void {
  const job = cs.job;
  if (!job) throw new Error('controller: zk call outside a job');
  job.pending += 1;
  issue(`${TAG_PREFIX}${job.id}:${label}`);
}

export function goto(job: Job, step: string): void {
  job.step = step;
}

export function finish(cs: ControllerState): void {
  cs.job = null;
}

export function result(job: Job, label: string): StepResult {
  const r = (job.data.results as Record<string, StepResult> | undefined)?.[label];
  if (!r) throw new Error(`controller: no result for ${label} in step ${job.step}`);
  return r;
}

export function parseTag(tag: string): { jobId: number; label: string } | null {
  if (!tag.startsWith(TAG_PREFIX)) return null;
  const rest = tag.slice(TAG_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon < 0) return null;
  const jobId = Number(rest.slice(0, colon));
  return Number.isInteger(jobId) ? { jobId, label: rest.slice(colon + 1) } : null;
}
