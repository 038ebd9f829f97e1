/**
 * The columnar trace store gives back, over real runs, exactly the entry objects the simulation
 * recorded (a trace sink sees those objects as they are made, as the trace array held them
 * before the store): same keys in the same order, same values, nested data by reference; and
 * the trace hash is the golden one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, summaryOf, traceHash, type TraceEntry } from '@kafkasim/engine';
import { expectSameEntry } from '../../../engine/src/testing/sameEntry';
import { runScenario } from './run';
import { parseScenario } from './validate';

const dir = new URL('../../../../scenarios/', import.meta.url).pathname;
const golden = JSON.parse(readFileSync(join(dir, 'golden-hashes.json'), 'utf8')) as Record<string, string>;
const load = (name: string) => parseScenario(readFileSync(join(dir, `${name}.json`), 'utf8'), `${name}.json`);

describe.each(['leader-failover', 'exactly-once-pipeline', 'partition-reassignment', 'controller-failover-zombie', 'offsets-in-zookeeper'])('trace store over %s', (name) => {
  it('reads back every recorded entry, with whole payloads and with summaries, and hashes to the golden hash', () => {
    const recorded: TraceEntry[] = [];
    const full = runScenario(load(name), { traceMessages: true, tracePayloads: 'full', traceSink: (e) => recorded.push(e) });
    expect(full.trace.length).toBe(recorded.length);
    recorded.forEach((e, i) => expectSameEntry(full.trace.at(i), e, `${name} entry ${i}`));
    let i = 0;
    for (const e of full.trace) expect(canonicalJson(e)).toBe(canonicalJson(recorded[i++]));
    expect(traceHash(full.trace)).toBe(golden[name]);

    const summarised = runScenario(load(name), { traceMessages: true });
    expect(summarised.trace.length).toBe(recorded.length);
    recorded.forEach((e, j) => expectSameEntry(summarised.trace.at(j), 'payload' in e ? { ...e, payload: summaryOf(e.payload) } : e, `${name} entry ${j}`));
    expect(summarised.traceHash).toBe(golden[name]);
  });
});
