/** Runs one bench in this process and prints its results as JSON (bench/run.ts starts one process per bench). */
import { engineOverhead } from './engineOverhead';
import { modelThroughput } from './modelThroughput';
import { sweepScaling } from './sweep';
import { timeTravel } from './timeTravel';
import { visualizerFrames } from './visualizer';

const benches: Record<string, () => unknown> = {
  engine: engineOverhead,
  model: modelThroughput,
  sweep: sweepScaling,
  timetravel: timeTravel,
  visualizer: visualizerFrames,
};

const key = process.argv[2];
const bench = benches[key];
if (!bench) throw new Error(`unknown bench ${key}; one of ${Object.keys(benches).join(', ')}`);
const result = await bench();
console.log(`\n${JSON.stringify(Array.isArray(result) ? result : [result])}`);
