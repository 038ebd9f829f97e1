import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultFaultKinds, faultKinds, parseFaultKinds, randomFaults } from './randomFaults';
import { parseScenario, validateScenario } from './validate';

const root = new URL('../../../../', import.meta.url).pathname;
const failover = parseScenario(readFileSync(`${root}scenarios/leader-failover.json`, 'utf8'), 'leader-failover.json');

describe('randomFaults', () => {
  it('draws the schedule the default mix drew before the mix could be chosen (seed 5 of leader-failover)', () => {
    expect(randomFaults(failover, 5, { maxFaults: 3 })).toEqual([{ atMs: 6932, action: 'pause', target: 'broker-3', durationMs: 867 }]);
    expect(randomFaults(failover, 5, { maxFaults: 3, kinds: defaultFaultKinds })).toEqual(randomFaults(failover, 5, { maxFaults: 3 }));
  });

  it('draws only the chosen kinds, each with the fault that ends it', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const links = randomFaults(failover, seed, { maxFaults: 4, kinds: ['link-fault'] });
      expect(new Set(links.map((f) => f.action))).toEqual(new Set(['link-fault', 'clear-link-fault']));
      for (const f of links) {
        if (f.action !== 'link-fault') continue;
        expect(f.from).toHaveLength(1);
        expect(f.to!.length).toBeGreaterThan(0);
        expect(f.to).not.toContain(f.from![0]);
        expect(f.delayMs).toBeGreaterThanOrEqual(50);
        expect(links.some((c) => c.action === 'clear-link-fault' && c.id === f.id && c.atMs >= f.atMs)).toBe(true);
      }
      const crashes = randomFaults(failover, seed, { maxFaults: 4, kinds: ['crash', 'expire-session'] });
      for (const f of crashes) expect(['crash', 'restart', 'expire-session']).toContain(f.action);
    }
  });

  it('every kind gives a schedule the scenario format accepts', () => {
    for (const kind of faultKinds) {
      for (let seed = 1; seed <= 10; seed++) {
        const faults = randomFaults(failover, seed, { maxFaults: 5, kinds: [kind] });
        expect(() => validateScenario({ ...failover, faults }, `${kind} seed ${seed}`)).not.toThrow();
      }
    }
  });
});

describe('parseFaultKinds', () => {
  it('reads a comma-separated set, in a fixed order, and "all"', () => {
    expect(parseFaultKinds('pause,crash')).toEqual(['crash', 'pause']);
    expect(parseFaultKinds('link-fault, expire-session,link-fault')).toEqual(['link-fault', 'expire-session']);
    expect(parseFaultKinds('all')).toEqual([...faultKinds]);
  });

  it('names a bad kind, with a suggestion for a typo', () => {
    expect(() => parseFaultKinds('crash,paus')).toThrow('unknown fault kind "paus" (did you mean "pause"?); expected a comma-separated list of crash, pause, partition, link-fault, expire-session, or all');
    expect(() => parseFaultKinds('crash,')).toThrow('unknown fault kind ""');
    expect(() => parseFaultKinds('meteor')).toThrow('unknown fault kind "meteor";');
  });
});
