/**
 * Visualizer frame time: p95 of the interval between animation frames while the failover
 * scenario plays at full speed (100x) at 1280x720, as recorded by the Playwright suite
 * (apps/visualizer/e2e/frame-times.spec.ts) in apps/visualizer/test-results/frame-times.json.
 * Read from that file when present (the browser suite is not run from here: it needs a build
 * and a browser and takes minutes). Target p95 < 16 ms; the figure is p95 / 16 ms.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';

const file = new URL('../apps/visualizer/test-results/frame-times.json', import.meta.url);

export function visualizerFrames() {
  if (!existsSync(file)) {
    return {
      name: 'visualizer p95 frame', ratio: NaN, target: 'p95 < 16 ms', pass: false,
      detail: 'no apps/visualizer/test-results/frame-times.json: run `npx playwright test e2e/frame-times.spec.ts` in apps/visualizer first',
    };
  }
  const record = JSON.parse(readFileSync(file, 'utf8'));
  const p95 = record.fullSpeedP95Ms as number;
  const full = record.runs?.['100x'];
  const when = statSync(file).mtime.toISOString().slice(0, 16).replace('T', ' ');
  return {
    name: 'visualizer p95 frame',
    ratio: p95 / 16,
    target: 'p95 < 16 ms',
    pass: p95 < 16,
    detail: `READ FROM ${'apps/visualizer/test-results/frame-times.json'} (recorded ${when} UTC, ${record.browser}, ${record.viewport}): full speed p95 ${p95} ms`
      + (full ? `, p50 ${full.frameMs.p50} ms, p99 ${full.frameMs.p99} ms, ${full.longAnimationFrames} long animation frames, worker view p95 ${full.workerViewMs.p95} ms` : '')
      + ` (ratio = p95 / 16 ms)`,
  };
}
