import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from '../../src/actors/backoff.js';

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

describe('Backoff', () => {
  it('gives the growing delays of one series of retries, each within its jitter, and starts over on reset', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 12, maxLength: 12 }), (randoms) => {
        let i = 0;
        const backoff = new Backoff({ initialDelayMs: 100, maxDelayMs: 2000, random: () => randoms[i++] });
        for (const step of [100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000, 2000]) {
          const delay = backoff.next();
          expect(delay).toBeGreaterThanOrEqual(step / 2);
          expect(delay).toBeLessThanOrEqual(step);
        }
        backoff.reset();
        expect(backoff.next()).toBeLessThanOrEqual(100);
      }),
      { seed: 5 },
    );
  });
});
