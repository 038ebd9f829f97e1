/** `npm run bench`: every figure is a ratio measured within one run, so machine noise cancels. */
import { engineOverhead } from './engineOverhead';
import { timeTravel } from './timeTravel';

const only = process.argv.slice(2);
const benches: [string, () => Promise<Result> | Result][] = [
  ['engine', engineOverhead],
  ['timetravel', timeTravel],
];

export interface Result {
  name: string;
  ratio: number;
  target: string;
  pass: boolean;
  detail: string;
}

const results: Result[] = [];
for (const [key, bench] of benches) {
  if (only.length > 0 && !only.includes(key)) continue;
  const result = await bench();
  results.push(result);
  console.log(`${result.pass ? 'PASS' : 'MISS'}  ${result.name.padEnd(24)} ${result.ratio.toFixed(3).padStart(9)}  (target ${result.target})  ${result.detail}`);
}
const missed = results.filter((r) => !r.pass).length;
console.log(`\n${results.length - missed} targets met, ${missed} missed`);
