export * from './types';
export { Simulation, type SimulationOptions } from './simulation';
export { Timeline, type TimelineOptions } from './timeline';
export { RngStreams, wrap as wrapRng } from './rng';
export { canonicalJson, traceHash, traceToNdjson, TraceHasher } from './trace';
export { heapPush, heapPop, heapPeek } from './heap';
export { defaultNetworkConfig, isBlocked, type NetworkState } from './network';
export type { WorldState, NodeRecord, QueuedEvent } from './world';
export { cloneShared } from './clone';
