/** The worker's request handler, separate from `self.onmessage` so that Node tests call it directly. */
import type { Model, RunSpec } from './model';
import { pingpongModel } from './pingpongModel';
import type { Request } from './protocol';
import { Session } from './session';

export type ModelFor = (spec: RunSpec) => Model | null;

export const defaultModelFor: ModelFor = (spec) => (spec.source === 'pingpong' ? pingpongModel : null);

export class Handler {
  private session: Session | null = null;

  constructor(private readonly modelFor: ModelFor = defaultModelFor) {}

  handle(request: Request): unknown {
    if (request.type === 'load') {
      this.session = null;
      this.session = new Session(request.spec, this.modelFor(request.spec));
      return this.session.summary(0);
    }
    const session = this.session;
    if (!session) throw new Error('nothing loaded');
    switch (request.type) {
      case 'summary':
        return session.summary(request.branch);
      case 'view': {
        const step = 'step' in request.at ? request.at.step : session.stepAtTime(request.branch, request.at.time);
        return session.view(request.branch, step, request.window);
      }
      case 'report':
        return session.report(request.branch);
      case 'fork':
        return session.summary(session.fork(request.branch, request.step, request.fault));
    }
  }
}
