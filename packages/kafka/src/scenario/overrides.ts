/**
 * `--vary acks=0,1,all` and `--set key=value`: a Kafka key applied wherever it belongs (every
 * producer, every consumer group, the brokers), then the result re-validated so a bad value
 * gets the same precise error as in a file.
 */
import { ScenarioError } from './errors';
import { brokerConfigSchema, consumerConfigSchema, producerConfigSchema, type Scenario } from './schema';
import { validateScenario } from './validate';

const producerKeys = Object.keys(producerConfigSchema.shape);
const consumerKeys = Object.keys(consumerConfigSchema.shape);
const brokerKeys = Object.keys(brokerConfigSchema.shape);
const topicKeys = ['min.insync.replicas', 'unclean.leader.election.enable', 'log.segment.bytes'];
export const overridableKeys = [...new Set([...producerKeys, ...consumerKeys, ...brokerKeys, 'processing.mode', 'seed'])].sort();

export type OverrideValue = string | number | boolean;

/**
 * "true" -> true, "3" -> 3; acks stays a string because Kafka's acks values are strings. A seed
 * that looks like a number is one ("-1" and "1.5" are then refused as in a file); any other
 * text is a string seed.
 */
export function parseOverrideValue(key: string, text: string): OverrideValue {
  if (key === 'acks' || key === 'seed' && !/^-?\d+(\.\d+)?$/.test(text)) return text;
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

export function applyOverrides(scenario: Scenario, overrides: Record<string, OverrideValue>, file: string): Scenario {
  const raw = structuredClone(scenario) as Scenario & Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    let applied = false;
    if (key === 'seed') {
      raw.seed = value as number | string;
      applied = true;
    }
    if (producerKeys.includes(key)) {
      raw.workload.producers.forEach((p) => ((p.config as Record<string, unknown>)[key] = value));
      applied = true;
    }
    if (consumerKeys.includes(key)) {
      raw.workload.consumers.forEach((g) => ((g.config as Record<string, unknown>)[key] = value));
      applied = true;
    }
    if (key === 'processing.mode') {
      raw.workload.consumers.forEach((g) => {
        g.processing.mode = value as Scenario['workload']['consumers'][number]['processing']['mode'];
        // The manual modes commit by hand; auto-commit is what the other mode means.
        (g.config as Record<string, unknown>)['enable.auto.commit'] = value === 'auto-commit';
      });
      applied = true;
    }
    if (key === 'enable.auto.commit') {
      raw.workload.consumers.forEach((g) => {
        if (value === true) g.processing.mode = 'auto-commit';
        else if (g.processing.mode === 'auto-commit') g.processing.mode = 'commit-after-process';
      });
    }
    if (brokerKeys.includes(key)) {
      (raw.cluster.brokerConfig as Record<string, unknown>)[key] = value;
      // A topic-level override would hide the broker setting being varied.
      if (topicKeys.includes(key)) raw.cluster.topics.forEach((t) => t.config && delete (t.config as Record<string, unknown>)[key]);
      applied = true;
    }
    if (!applied) {
      throw new ScenarioError(file, [{ path: key, message: `not a setting that can be varied; expected one of ${overridableKeys.join(', ')}` }]);
    }
  }
  return validateScenario(raw, file);
}

/** Every combination of the varied settings, in the order given: [{acks:'0'}, {acks:'1'}, ...]. */
export function variantsOf(vary: { key: string; values: OverrideValue[] }[]): Record<string, OverrideValue>[] {
  return vary.reduce<Record<string, OverrideValue>[]>(
    (combos, { key, values }) => combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value }))),
    [{}],
  );
}

export function variantLabel(variant: Record<string, OverrideValue>): string {
  return Object.entries(variant).map(([k, v]) => `${k}=${v}`).join(' ') || '(as written)';
}
