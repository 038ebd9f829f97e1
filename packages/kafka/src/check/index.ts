export { deliveryReport, type DeliveryReport, type RecordReport, type CauseStep } from './delivery';
export { checkInvariants, invariantNames, type InvariantName, type InvariantViolation } from './invariants';
export type { CheckContext } from './facts';
export { buildView, type ReplicaView } from './replicas';
