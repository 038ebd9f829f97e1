// Worker entry: registers tsx in this thread (Node 20 workers do not inherit it), then runs the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./sweepWorker.ts');
