import { RunLimitError } from '@kafkasim/engine';
import { MAX_STEPS_PER_RUN, ScenarioError } from '@kafkasim/kafka';
import { UsageError } from './args';
import { compareCommand } from './commands/compare';
import { runCommand } from './commands/run';
import { sweepCommand } from './commands/sweep';

export const usage = `kafkasim — a deterministic Apache Kafka simulator

Usage:
  kafkasim run <scenario.json> [--seed N] [--set key=value]... [--trace out.ndjson] [--history out.edn] [--json]
  kafkasim compare <scenario.json> --vary key=v1,v2[,...] [--vary key=...]... [--seed N] [--json]
  kafkasim sweep <scenario.json> [--seeds 1000] [--from 1] [--faults random|scenario|all|crash,pause,partition,link-fault,expire-session]
                 [--max-faults 3] [--set key=value]... [--workers N] [--out dir] [--shard i/n] [--no-shrink] [--json]
  kafkasim sweep merge <dir>... [--json]        (the reports of the shards of one sweep, as one sweep's report)

Exit codes: 0 done, 1 a sweep found broken invariants, 2 bad arguments or a bad scenario file,
3 a run could not finish: it hit a run limit or the model failed (in a sweep, one line names the seed and the error).`;

export type Out = { log: (text: string) => void; error: (text: string) => void };
const console_: Out = { log: (t) => process.stdout.write(`${t}\n`), error: (t) => process.stderr.write(`${t}\n`) };

/** An error's message on one line: a terminal user gets one line, never a stack trace. */
function oneLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
  return text.replace(/\s*\n\s*/g, ' / ').replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function main(argv: string[], out: Out = console_): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (['run', 'compare', 'sweep'].includes(command) && (rest.includes('--help') || rest.includes('-h'))) {
      out.log(usage);
      return 0;
    }
    switch (command) {
      case 'run': return await runCommand(rest, out);
      case 'compare': return await compareCommand(rest, out);
      case 'sweep': return await sweepCommand(rest, out);
      case undefined: case '--help': case '-h': case 'help':
        out.log(usage);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"; expected run, compare or sweep`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(error.showUsage ? `kafkasim: ${error.message}\n\n${usage}` : `kafkasim: ${error.message}`);
      return 2;
    }
    if (error instanceof ScenarioError) {
      out.error(error.message);
      return 2;
    }
    if (error instanceof RunLimitError) {
      const why = error.kind === 'step-budget'
        ? ` (no scenario run may take more than ${MAX_STEPS_PER_RUN} steps: this one asks for more than kafkasim can simulate in reasonable time; use fewer records, partitions or consumers, or a shorter durationMs)`
        : '';
      out.error(`kafkasim: ${oneLine(error.message)}${why}`);
      return 3;
    }
    // Anything else thrown while building or running is a failure of the model, not of the input.
    out.error(`kafkasim: internal error: ${oneLine(error)}`);
    return 3;
  }
}
