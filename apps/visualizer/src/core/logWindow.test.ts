import { describe, expect, it } from 'vitest';
import { logWindow } from './logWindow';

describe('the log window', () => {
  it('spans a lagging follower and the high watermark, not only the leader\'s newest offsets', () => {
    // Leader LEO 120, HW 100, followers at 100 and 98: 16 cells comfortable, 40 at most.
    const w = logWindow({ replicaMarks: [120, 100, 100, 100, 98, 98], consumerMarks: [], max: 120, size: 40, preferred: 16 });
    expect(w.from).toBeLessThanOrEqual(97);
    expect(w.to).toBeGreaterThanOrEqual(120);
  });

  it('follows the tail with the comfortable number of cells when every replica is caught up', () => {
    expect(logWindow({ replicaMarks: [50, 50, 50, 50], consumerMarks: [], max: 50, size: 40, preferred: 16 })).toEqual({ from: 35, to: 51 });
  });

  it('includes a consumer when it fits, and leaves it out when it would not', () => {
    const near = logWindow({ replicaMarks: [120, 118], consumerMarks: [105], max: 120, size: 40, preferred: 16 });
    expect(near.from).toBeLessThanOrEqual(104);
    const far = logWindow({ replicaMarks: [120, 118], consumerMarks: [10], max: 120, size: 40, preferred: 16 });
    expect(far.from).toBeGreaterThan(100);
  });

  it('keeps the lowest replica mark when the span is wider than the page', () => {
    const w = logWindow({ replicaMarks: [300, 100], consumerMarks: [], max: 300, size: 40, preferred: 16 });
    expect(w).toEqual({ from: 99, to: 139 });
  });

  it('starts at the offset asked for', () => {
    expect(logWindow({ replicaMarks: [300], consumerMarks: [], max: 300, from: 10, size: 40, preferred: 16 })).toEqual({ from: 10, to: 26 });
  });
});
