export { scenarioSchema, type Scenario, type ScenarioInput, type Fault } from './schema';
export { validateScenario, parseScenario } from './validate';
export { ScenarioError, type ScenarioIssue } from './errors';
export { scenarioNodeIds } from './references';
export { scenarioJsonSchema } from './jsonSchema';
export { MAX_STEPS_PER_RUN } from './limits';
export { applyOverrides, parseOverrideValue, variantsOf, variantLabel, overridableKeys, type OverrideValue } from './overrides';
export { randomFaults, parseFaultKinds, faultKinds, defaultFaultKinds, type FaultKind } from './randomFaults';
export { shrinkFaults } from './shrink';
export { sweepSeed, reproductionScenario, type SeedOutcome, type SweepOptions } from './sweep';
export { buildScenario, runScenario, outcomeOf, checkContextOf, faultToAction, type RunResult, type BuiltScenario, type Outcome } from './run';
export { parseShard, seedsOfShard, type Shard } from './shard';
export {
  sweepIdentity, summarizeSweep, mergeSweepReports, parseSweepReport, sweepReportFormat, SweepReportError,
  type SweepReport, type SweepIdentity, type InvariantTally, type FailingSeed,
} from './sweepReport';
