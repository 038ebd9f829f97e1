import { z } from 'zod';
import { scenarioSchema } from './schema';

/** The published JSON Schema (scenarios/schema.json), generated from the zod definition. */
export function scenarioJsonSchema(): object {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'kafkasim scenario',
  };
}
