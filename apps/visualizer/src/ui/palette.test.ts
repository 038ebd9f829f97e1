import { describe, expect, it } from 'vitest';
import { fadedOnWhite } from './palette';

describe('fadedOnWhite', () => {
  it('mixes a colour with white as CSS opacity over a white page does', () => {
    // 0.45 * c + 0.55 * 255, per channel, rounded.
    expect(fadedOnWhite('#000000', 0.45)).toBe('#8c8c8c');
    expect(fadedOnWhite('#0072b2', 0.45)).toBe('#8cc0dc');
    expect(fadedOnWhite('#ffffff', 0.45)).toBe('#ffffff');
    expect(fadedOnWhite('#333333', 0.45)).toBe('#a3a3a3');
  });

  it('reads the short form and keeps full opacity as is', () => {
    expect(fadedOnWhite('#fff', 0.45)).toBe('#ffffff');
    expect(fadedOnWhite('#000', 0.45)).toBe(fadedOnWhite('#000000', 0.45));
    expect(fadedOnWhite('#d55e00', 1)).toBe('#d55e00');
  });
});
