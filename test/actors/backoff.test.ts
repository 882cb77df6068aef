import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/actors/backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially up to the maximum without jitter', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { initialDelayMs: 100, maxDelayMs: 2000, factor: 2, jitter: 0 }));
    expect(delays).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it('spreads each delay over [d(1-jitter), d]', () => {
    const options = { initialDelayMs: 1000, jitter: 0.5 };
    expect(backoffDelay(0, { ...options, random: () => 0 })).toBe(1000);
    expect(backoffDelay(0, { ...options, random: () => 0.999999 })).toBeCloseTo(500, 2);
    expect(backoffDelay(0, { ...options, random: () => 0.5 })).toBe(750);
  });
});
