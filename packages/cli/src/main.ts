import { ScenarioError } from '@kafkasim/kafka';
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
3 the model threw during a sweep (one line names the seed and the error).`;

export type Out = { log: (text: string) => void; error: (text: string) => void };
const console_: Out = { log: (t) => process.stdout.write(`${t}\n`), error: (t) => process.stderr.write(`${t}\n`) };

export async function main(argv: string[], out: Out = console_): Promise<number> {
  const [command, ...rest] = argv;
  try {
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
      out.error(`kafkasim: ${error.message}\n\n${usage}`);
      return 2;
    }
    if (error instanceof ScenarioError) {
      out.error(error.message);
      return 2;
    }
    throw error;
  }
}
