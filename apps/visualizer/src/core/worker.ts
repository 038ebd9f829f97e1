/// <reference lib="webworker" />
/** The simulation's Web Worker: the same engine and model as the CLI, off the page's thread. */
import { Handler } from './handler';
import { modelFor } from './models';
import type { Envelope, Reply } from './protocol';

const handler = new Handler(modelFor);

self.onmessage = (event: MessageEvent<Envelope>) => {
  const { id, request } = event.data;
  const started = performance.now();
  let reply: Reply;
  try {
    reply = { id, ok: true, result: handler.handle(request), ms: performance.now() - started };
  } catch (error) {
    reply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(reply);
};
