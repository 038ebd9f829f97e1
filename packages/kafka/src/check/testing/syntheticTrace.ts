/** Hand-built traces for the checkers' tests. */
import type { TraceEntry } from '@kafkasim/engine';
import type { ModelFact } from '../../events';

export type SyntheticItem = ModelFact | { engine: string; node: string; [k: string]: unknown };

/**
 * One step per element, at 10 ms apart; an inner array's items share a step (one poll()). A fact
 * is recorded by the node it names (member, else broker, else producer), or by `fallbackNode`.
 */
export function syntheticTrace(steps: (SyntheticItem | SyntheticItem[])[], fallbackNode = 'x'): TraceEntry[] {
  return steps.flatMap((group, i) => (Array.isArray(group) ? group : [group]).map((item) => {
    const at = { step: i + 1, time: (i + 1) * 10 };
    if ('engine' in item) {
      const { engine, ...rest } = item;
      return { ...at, type: engine, ...rest } as TraceEntry;
    }
    const { event, ...data } = item;
    const named = data as Record<string, unknown>;
    const node = (named.member ?? named.broker ?? named.producer ?? fallbackNode) as string;
    return { ...at, type: 'record', node, event, data } as TraceEntry;
  }));
}
