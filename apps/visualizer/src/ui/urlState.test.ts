import { describe, expect, it } from 'vitest';
import { readUrl, writeUrl } from './urlState';

describe('shareable URL', () => {
  it('round-trips scenario, seed, overrides, compare, forks and step', () => {
    const state = {
      scenario: 'leader-failover', seed: '42', overrides: { acks: '1', retries: 3 }, step: 120,
      compare: [{ acks: '1' }, { acks: 'all' }] as [Record<string, string>, Record<string, string>],
      forks: [{ type: 'crash' as const, node: 'broker-2', step: 80 }],
      predict: true, time: 4000, by: 'step',
    };
    expect(readUrl(writeUrl(state))).toEqual(state);
  });

  it('leaves out what is at its default', () => {
    const url = writeUrl({ scenario: 'x', seed: null, overrides: {}, step: null, compare: null, forks: [], predict: false, time: null, by: null });
    expect(url).toBe('?scenario=x');
    expect(readUrl(url)).toMatchObject({ predict: false, time: null, by: null });
  });

  it('keeps acks a string and reads numbers and booleans', () => {
    expect(readUrl('?set=acks=1,enable.idempotence=true,retries=0').overrides).toEqual({ acks: '1', 'enable.idempotence': true, retries: 0 });
  });
});
