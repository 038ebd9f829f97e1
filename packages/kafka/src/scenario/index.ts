export { scenarioSchema, type Scenario, type ScenarioInput, type Fault } from './schema';
export { validateScenario, parseScenario } from './validate';
export { ScenarioError, type ScenarioIssue } from './errors';
export { scenarioNodeIds } from './references';
export { scenarioJsonSchema } from './jsonSchema';
