export { deliveryReport, type DeliveryReport, type RecordReport, type CauseStep } from './delivery';
export { checkInvariants, invariantNames, type InvariantName, type InvariantViolation, type InvariantSkip } from './invariants';
export type { CheckContext } from './facts';
export { buildView, type ReplicaView } from './replicas';
