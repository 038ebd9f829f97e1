/** The engine's toy protocol as a model: enough to exercise the worker and the transport. */
import { pingPongSimulation } from '../../../../packages/engine/src/testing/pingpong';
import type { Model } from './model';

export const pingpongModel: Model = {
  build(spec) {
    const seed = spec.source === 'pingpong' ? spec.seed ?? 1 : 1;
    const sim = pingPongSimulation(seed);
    return {
      sim,
      durationMs: 2000,
      title: 'Engine demo: ping-pong with retries',
      lesson: 'A pinger retries each ping until a pong comes back, through a partition, a crash and a pause.',
      nodes: [{ id: 'a', role: 'other' }, { id: 'b', role: 'other' }],
    };
  },
  report: () => null,
  violations: () => [],
  enrich: () => undefined,
};
