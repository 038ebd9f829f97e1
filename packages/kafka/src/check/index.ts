export { deliveryReport, outlineLeavesOut, type DeliveryReport, type DeliveryOutline, type DeliveryCounts, type DeliveryOptions, type RecordReport, type CauseStep } from './delivery';
export { checkRun, runCheckPass, type RunChecks } from './checkRun';
export { checkInvariants, invariantPass, invariantNames, type InvariantName, type InvariantViolation, type InvariantSkip } from './invariants';
export type { CheckContext } from './facts';
export { buildView, type ReplicaView } from './replicas';
export { clientHistory, type ClientHistory, type JepsenOp } from './history';
export { historyToEdn } from './edn';
export { jepsenAnalysis, jepsenClasses, jepsenWithinPollClasses, allowedWithSubscribe, type JepsenAnalysis, type JepsenClass } from './jepsen';
export type { JepsenCase, JepsenReport } from './jepsenReport';
