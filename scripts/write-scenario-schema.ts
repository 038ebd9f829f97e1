// Regenerates scenarios/schema.json from the zod definition (a test fails when they differ).
import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../packages/kafka/src/scenario/jsonSchema';

writeFileSync(new URL('../scenarios/schema.json', import.meta.url), `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
