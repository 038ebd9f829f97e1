import { readFileSync } from 'node:fs';
import { parseScenario, type Scenario } from '@kafkasim/kafka';
import { UsageError } from './args';

export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such scenario file` : `${file}: cannot read (${code})`);
  }
  return parseScenario(text, file);
}
