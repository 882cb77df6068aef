import { describe, expect, it } from 'vitest';
import { expNonPositive, Xoshiro128StarStar } from '../../../src/obe/core/index.js';

describe('expNonPositive', () => {
  it('agrees with Math.exp to a few ulps on normal results', () => {
    const rng = new Xoshiro128StarStar(1);
    let worst = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = -708 * rng.nextDouble() ** 3;
      const e = Math.exp(x);
      worst = Math.max(worst, Math.abs(expNonPositive(x) - e) / e);
    }
    expect(worst).toBeLessThan(1e-15);
  });

  it('is exact at 0 and handles the underflow range and NaN', () => {
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(-0)).toBe(1);
    expect(expNonPositive(-1e-300)).toBe(1);
    expect(expNonPositive(-746)).toBe(0);
    expect(expNonPositive(-Infinity)).toBe(0);
    expect(expNonPositive(Number.NaN)).toBe(0);
    expect(expNonPositive(-740)).toBeGreaterThan(0);
    expect(Math.abs(expNonPositive(-740) - Math.exp(-740)) / Math.exp(-740)).toBeLessThan(1e-6);
  });
});
