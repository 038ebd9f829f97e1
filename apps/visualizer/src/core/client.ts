/** The page's side of the worker: promises for requests, and views that coalesce to the newest. */
import type { InjectedFault, RunSpec } from './model';
import type { At, Envelope, Reply, Request, Results } from './protocol';
import type { LogWindowRequest, ReportView, StepView, Summary } from './view';

type Pending = { resolve: (value: any) => void; reject: (error: Error) => void };

export class SimClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private viewBusy = false;
  private queuedView: { request: Request; resolve: (v: StepView | null) => void } | null = null;
  /** Worker time of the last view, for the status bar. */
  lastViewMs = 0;

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<Reply>) => {
      const reply = event.data;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.ok) {
        this.lastViewMs = reply.ms;
        waiting.resolve(reply.result);
      } else {
        waiting.reject(new Error(reply.error));
      }
    };
  }

  static create(): SimClient {
    return new SimClient(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' }));
  }

  private send<T extends keyof Results>(request: Request & { type: T }): Promise<Results[T]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, request } satisfies Envelope);
    });
  }

  load(spec: RunSpec): Promise<Summary> {
    this.queuedView?.resolve(null);
    this.queuedView = null;
    return this.send({ type: 'load', spec });
  }

  summary(branch: number): Promise<Summary> {
    return this.send({ type: 'summary', branch });
  }

  report(branch: number): Promise<ReportView> {
    return this.send({ type: 'report', branch });
  }

  fork(branch: number, step: number, fault: InjectedFault): Promise<Summary> {
    return this.send({ type: 'fork', branch, step, fault });
  }

  /** Resolves null when a newer view request replaced this one before it was sent. */
  view(branch: number, at: At, window: LogWindowRequest): Promise<StepView | null> {
    const request: Request = { type: 'view', branch, at, window };
    if (this.viewBusy) {
      this.queuedView?.resolve(null);
      return new Promise((resolve) => (this.queuedView = { request, resolve }));
    }
    return this.runView(request);
  }

  private async runView(request: Request): Promise<StepView | null> {
    this.viewBusy = true;
    try {
      return (await this.send(request as Request & { type: 'view' })) as StepView;
    } finally {
      this.viewBusy = false;
      const next = this.queuedView;
      this.queuedView = null;
      if (next) this.runView(next.request).then(next.resolve, () => next.resolve(null));
    }
  }

  terminate(): void {
    this.worker.terminate();
  }
}
