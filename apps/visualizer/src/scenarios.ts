/** Every teaching scenario in /scenarios, bundled at build time (schema.json, golden-hashes.json and malformed/ excluded). */
export interface ScenarioEntry {
  name: string;
  file: string;
  title: string;
  lesson: string;
  json: Record<string, unknown>;
}

const files = import.meta.glob<Record<string, unknown>>(['../../../scenarios/*.json', '!../../../scenarios/schema.json', '!../../../scenarios/golden-hashes.json'], {
  eager: true,
  import: 'default',
});

export const scenarios: ScenarioEntry[] = Object.entries(files)
  .map(([path, json]) => {
    const file = path.slice(path.lastIndexOf('/') + 1);
    return {
      name: file.replace(/\.json$/, ''),
      file: `scenarios/${file}`,
      title: String(json.title ?? file),
      lesson: String(json.lesson ?? ''),
      json,
    };
  })
  .sort((a, b) => a.name.localeCompare(b.name));

/** The leader failover scenario when present, else the first one. */
export function defaultScenario(): ScenarioEntry | undefined {
  return scenarios.find((s) => s.name === 'leader-failover') ?? scenarios[0];
}
