/**
 * The bad-input fuzzer of issue #16, kept as a test: a fixed, seeded corpus of mutations of the
 * teaching scenarios (hostile values, missing and unknown keys, broken JSON, hostile --set and
 * --seed arguments), each run through the CLI as a user would run it. Every case must end in
 * exit 0 (the mutation is a valid scenario and it ran to the end) or in exit 2 with one line
 * per problem naming the file and the field; never a stack trace, another exit code or a hang.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultBrokerConfig, defaultConsumerConfig, defaultProducerConfig, overridableKeys } from '@kafkasim/kafka';
import { cli } from './testing/cli';

// FUZZ_SEED and FUZZ_CASES explore beyond the fixed corpus (a longer hunt by hand); CI runs the fixed one.
const SEED = Number(process.env.FUZZ_SEED ?? 16);
const CASES = Number(process.env.FUZZ_CASES ?? 400);

const scenariosDir = join(new URL('../../../', import.meta.url).pathname, 'scenarios');
const bases = readdirSync(scenariosDir)
  .filter((f) => f.endsWith('.json') && f !== 'schema.json' && f !== 'golden-hashes.json')
  .sort()
  .map((file) => ({ file, text: readFileSync(join(scenariosDir, file), 'utf8') }));

/** mulberry32: a small seeded generator, so the corpus is the same on every machine. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] };
}
type Gen = ReturnType<typeof generator>;

const hostileValues: unknown[] = [
  -1, 0, 1, 0.5, 1.5, 3, 1e9, 1e12, 2 ** 31, 2 ** 53 - 1, 1e308, -1e308, '', 'x', '7', 'all', null, true, false, [], {}, [[]], 'x'.repeat(5000),
];
const hostileTexts = ['-1', '0', '1', '1.5', '1e12', '1000000000000', '9007199254740991', 'true', 'false', 'x', '', 'all', '0,1', '2147483648'];
const kafkaKeys = {
  producers: Object.keys(defaultProducerConfig),
  consumers: Object.keys(defaultConsumerConfig),
  brokers: Object.keys(defaultBrokerConfig),
};

type Json = Record<string, unknown> | unknown[];
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Every place in the document: the containers and the keys or indexes within them. */
function places(node: unknown, out: { parent: Json; key: string | number }[] = []) {
  if (Array.isArray(node)) node.forEach((v, i) => (out.push({ parent: node, key: i }), places(v, out)));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      out.push({ parent: node as Json, key: k });
      places(v, out);
    }
  }
  return out;
}

function containers(node: unknown, out: Json[] = []): Json[] {
  if (node && typeof node === 'object') {
    out.push(node as Json);
    Object.values(node).forEach((v) => containers(v, out));
  }
  return out;
}

function setAt(place: { parent: Json; key: string | number }, value: unknown) {
  (place.parent as Record<string | number, unknown>)[place.key] = value;
}

/** One mutation of the parsed scenario, in place. */
function mutateDocument(doc: Record<string, unknown>, g: Gen): string {
  const all = places(doc);
  switch (g.pick([0, 0, 1, 2, 3, 3, 3, 4, 5])) {
    case 0: {
      const place = g.pick(all);
      const value = g.pick(hostileValues);
      setAt(place, structuredClone(value));
      return `set ${String(place.key)}`;
    }
    case 1: {
      const place = g.pick(all);
      if (Array.isArray(place.parent)) place.parent.splice(Number(place.key), 1);
      else delete (place.parent as Record<string, unknown>)[place.key as string];
      return `delete ${String(place.key)}`;
    }
    case 2: {
      const objects = containers(doc).filter((c) => !Array.isArray(c));
      (g.pick(objects) as Record<string, unknown>)[g.pick(['acsk', 'extra', 'min.insync.replica', 'durationMS', '__proto__x'])] = 1;
      return 'unknown key';
    }
    case 3: {
      // A Kafka setting in a client's or the brokers' config: where Kafka's own refusals live.
      const d = doc as { cluster?: Record<string, unknown>; workload?: Record<string, unknown> };
      const kind = g.pick(['producers', 'consumers', 'brokers'] as const);
      const key = g.pick(kafkaKeys[kind]);
      const value = structuredClone(g.pick([...hostileValues, 0, 1, 100, 1000, 5000, 60000]));
      const configOf = (owner: Record<string, unknown>, field: string) => (isObject(owner[field]) ? owner[field] : (owner[field] = {})) as Record<string, unknown>;
      if (kind === 'brokers') {
        if (isObject(d.cluster)) configOf(d.cluster, 'brokerConfig')[key] = value;
      } else {
        const clients = isObject(d.workload) && Array.isArray(d.workload[kind]) ? (d.workload[kind] as unknown[]).filter(isObject) : [];
        if (clients.length > 0) configOf(g.pick(clients), 'config')[key] = value;
      }
      return `config ${key}=${JSON.stringify(value)?.slice(0, 20)}`;
    }
    case 4: {
      const arrays = containers(doc).filter((c): c is unknown[] => Array.isArray(c));
      const array = g.pick(arrays);
      if (g.int(2) === 0) array.length = 0;
      else if (array.length > 0) array.push(structuredClone(array[0]), structuredClone(array[0]));
      return 'array';
    }
    default: {
      // The network: zero latency is what livelocked (issue #16 item 3).
      const cluster = doc.cluster;
      if (!isObject(cluster)) return 'network (no cluster)';
      cluster.network = { latencyMs: { min: g.pick([0, 1]), max: g.pick([0, 1, 3, 1e9]) }, drop: g.pick([0, 0.5, 1, 2]), duplicate: g.pick([0, 1]) };
      return 'network';
    }
  }
}

function mutateText(text: string, g: Gen): { text: string; what: string } {
  switch (g.int(4)) {
    case 0: return { text: text.slice(0, g.int(text.length)), what: 'truncated' };
    case 1: {
      const at = g.int(text.length);
      return { text: text.slice(0, at) + g.pick(['"', ',', '}', '{', '\\', '\n', 'x', '\u0001', '']) + text.slice(at + g.int(3)), what: 'edited' };
    }
    case 2: return { text: `\uFEFF${text}`, what: 'byte order mark' };
    default: return { text: g.pick(['', ' ', 'null', '[]', '"x"', '{}', '1e400', '{"name": 1}']), what: 'not a scenario' };
  }
}

interface Case {
  label: string;
  text: string;
  args: string[];
  /** run (default) or compare, whose --vary goes through the same validation. */
  command?: 'compare';
}

type Doc = { durationMs: number; cluster: any; workload: any };
const edit = (file: string, label: string, change: (doc: Doc) => void, args: string[] = []): Case => {
  const doc = JSON.parse(bases.find((b) => b.file === file)!.text);
  change(doc);
  return { label: `issue #16: ${file}: ${label}`, text: JSON.stringify(doc), args };
};
const asIs = (file: string, ...args: string[]): Case => edit(file, args.join(' '), () => {}, args);

/** The cases issue #16 reported (a stack trace, a hang or running out of memory) and later finds, first in the corpus. */
const reported: Case[] = [
  asIs('leader-failover.json', '--set', 'delivery.timeout.ms=100'),
  asIs('leader-failover-acks-all.json', '--set', 'enable.idempotence=true', '--set', 'retries=0'),
  asIs('consumer-crash-at-least-once.json', '--set', 'heartbeat.interval.ms=5000'),
  asIs('consumer-crash-at-least-once.json', '--set', 'session.timeout.ms=1'),
  asIs('leader-failover.json', '--set', 'linger.ms=1000000000000'),
  edit('leader-failover.json', 'durationMs 1e12', (d) => (d.durationMs = 1e12)),
  edit('leader-failover.json', 'durationMs 2^53-1', (d) => (d.durationMs = 2 ** 53 - 1)),
  edit('leader-failover.json', 'ratePerSec 1e9', (d) => (d.workload.producers[0].ratePerSec = 1e9)),
  edit('leader-failover.json', 'ratePerSec 1e308', (d) => (d.workload.producers[0].ratePerSec = 1e308)),
  edit('leader-failover.json', '100000 partitions', (d) => {
    d.cluster.topics[0].partitions = 100000;
    delete d.cluster.topics[0].assignment;
  }),
  edit('consumer-crash-at-least-once.json', 'zero latency and fetch.max.wait.ms 0', (d) => {
    d.cluster.network = { latencyMs: { min: 0, max: 0 } };
    d.workload.consumers[0].config['fetch.max.wait.ms'] = 0;
  }),
  // Found by this fuzzer (seed 123): a key with an escaped carriage return broke its error line.
  edit('leader-failover.json', 'a key with a carriage return', (d) => {
    d.cluster['brok\rers'] = d.cluster.brokers;
    delete d.cluster.brokers;
  }),
  asIs('leader-failover.json', '--seed', '-1'),
  asIs('leader-failover.json', '--seed', '1.5'),
];

function corpus(): Case[] {
  const g = generator(SEED);
  return reported.concat(Array.from({ length: CASES - reported.length }, (_, n) => {
    const base = g.pick(bases);
    const args: string[] = [];
    let text = base.text;
    let what: string;
    const roll = g.int(10);
    if (roll < 6) {
      const doc = JSON.parse(base.text) as Record<string, unknown>;
      what = mutateDocument(doc, g);
      if (g.int(4) === 0) what += `, ${mutateDocument(doc, g)}`;
      text = JSON.stringify(doc, null, 2);
    } else if (roll < 8) {
      ({ text, what } = mutateText(base.text, g));
    } else {
      const key = g.pick([...overridableKeys, 'seed', 'ackz']);
      const value = g.pick(hostileTexts);
      const compare = g.int(3) === 0;
      if (compare) args.push('--vary', `${key}=${value},${g.pick(hostileTexts)}`);
      else if (key === 'seed' && g.int(2) === 0) args.push('--seed', value);
      else args.push('--set', `${key}=${value}`);
      what = `${compare ? 'compare ' : ''}${args.join(' ')}`;
      if (compare) return { label: `#${n} ${base.file}: ${what}`, text, args, command: 'compare' as const };
    }
    return { label: `#${n} ${base.file}: ${what}`, text, args };
  }));
}


describe('bad-input fuzzer (issue #16)', () => {
  it(`${CASES} seeded mutations of the scenarios: exit 0, or exit 2 naming the file and the field`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkasim-fuzz-'));
    const counts = { cases: 0, ran: 0, refused: 0, compare: 0, slowestMs: 0 };
    const started = performance.now();
    const wrong: string[] = [];
    // "<file>: <field>: <what was expected>"; a field is a path (an unknown key may hold any character) or "(file)".
    const fieldLine = (file: string) => new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\S.*?: \\S`);
    for (const [n, c] of corpus().entries()) {
      const file = join(dir, `case-${n}.json`);
      writeFileSync(file, c.text);
      const t = performance.now();
      const r = await cli(c.command ?? 'run', file, ...c.args);
      counts.slowestMs = Math.max(counts.slowestMs, Math.round(performance.now() - t));
      counts.cases += 1;
      if (c.command === 'compare') counts.compare += 1;
      if (r.code === 0 && r.stdout.includes(c.command === 'compare' ? 'variant' : 'invariants:') && r.stderr === '') {
        counts.ran += 1;
      } else if (r.code === 2 && !/\n\s+at /.test(r.stderr) && r.stderr.split('\n').every((line) => fieldLine(file).test(line))) {
        // One line per problem, each naming this file and a field (or "(file)" for the file as a whole).
        counts.refused += 1;
      } else {
        wrong.push(`${c.label}: exit ${r.code}: ${r.stderr.slice(0, 400)}`);
      }
    }
    expect(wrong.slice(0, 40)).toEqual([]);
    const elapsedS = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`fuzz: ${counts.cases} cases in ${elapsedS} s: ${counts.ran} ran to the end (exit 0), ${counts.refused} refused (exit 2); ${counts.compare} of them through compare --vary; slowest case ${counts.slowestMs} ms`);
    expect(counts.cases).toBe(CASES);
    // A corpus that only ever refused, or only ever ran, would test half of what it claims.
    expect(counts.ran).toBeGreaterThan(CASES / 10);
    expect(counts.refused).toBeGreaterThan(CASES / 2);
  }, Math.max(120_000, CASES * 500));
});
