export * from './coordinator';
export * from './host';
export type { TxnLogValue, TxnMetadata, TxnStateName } from './types';
