/** Messages between the page and the simulation worker. */
import type { InjectedFault, RunSpec } from './model';
import type { LogWindowRequest, ReportView, StepView, Summary } from './view';

export type At = { step: number } | { time: number };

export type Request =
  | { type: 'load'; spec: RunSpec }
  | { type: 'summary'; branch: number }
  | { type: 'view'; branch: number; at: At; window: LogWindowRequest }
  | { type: 'report'; branch: number }
  | { type: 'fork'; branch: number; step: number; fault: InjectedFault };

export interface Results {
  load: Summary;
  summary: Summary;
  view: StepView;
  report: ReportView;
  fork: Summary;
}

export type Envelope = { id: number; request: Request };
export type Reply = { id: number; ok: true; result: unknown; ms: number } | { id: number; ok: false; error: string };
