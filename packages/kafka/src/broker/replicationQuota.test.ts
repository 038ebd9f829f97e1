import { describe, expect, it } from 'vitest';
import { measuredRate } from './replicationQuota';

describe("the replication quota's rate (Kafka's windowed Rate: 11 windows of 1 s)", () => {
  it('divides by at least 10 windows, so a burst right after a quiet spell counts as a burst over 10 s', () => {
    expect(measuredRate({ samples: [{ startMs: 1000, bytes: 50_000 }] }, 1500)).toBeCloseTo(50_000 / 10.5, 6);
  });

  it('divides by the elapsed time once it spans more, and forgets windows older than 11 s', () => {
    const q = { samples: [{ startMs: 0, bytes: 60_000 }, { startMs: 5000, bytes: 60_000 }] };
    expect(measuredRate(q, 10_999)).toBeCloseTo(120_000 / 10.999, 6);
    // The window from 0 is gone; the one from 5 s is 6 s old, so the minimum of 10 windows applies again.
    expect(measuredRate(q, 11_000)).toBeCloseTo(60_000 / 10, 6);
    expect(q.samples).toHaveLength(1);
    expect(measuredRate({ samples: [] }, 5000)).toBe(0);
  });
});
