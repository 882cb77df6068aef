import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Xoshiro128StarStar } from '../../../src/obe/core/index.js';

describe('Xoshiro128StarStar', () => {
  it('matches the reference C implementation from state {1, 2, 3, 4}', () => {
    // Known-answer sequence of xoshiro128** 1.1 (Blackman & Vigna's xoshiro128starstar.c).
    const rng = new Xoshiro128StarStar([1, 2, 3, 4]);
    expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('expands integer seeds with SplitMix64', () => {
    // SplitMix64(42) outputs split into 32-bit words, computed with an independent Python script.
    expect(Array.from(new Xoshiro128StarStar(42).getState())).toEqual([803958421, 3184996902, 2993090819, 686809907]);
    expect(Array.from(new Xoshiro128StarStar(42n).getState())).toEqual([803958421, 3184996902, 2993090819, 686809907]);
  });

  it('jumps by 2^64 steps (state from an independent Python implementation)', () => {
    const rng = new Xoshiro128StarStar([1, 2, 3, 4]);
    rng.jump();
    expect(Array.from(rng.getState())).toEqual([2843103750, 2038079848, 1533207345, 44816753]);
  });

  it('is reproducible and restorable', () => {
    const a = new Xoshiro128StarStar(7);
    const saved = a.getState();
    const first = [a.nextDouble(), a.nextNormal(), a.nextUint32()];
    const b = new Xoshiro128StarStar(saved);
    expect([b.nextDouble(), b.nextNormal(), b.nextUint32()]).toEqual(first);
    expect(new Xoshiro128StarStar(8).nextUint32()).not.toBe(new Xoshiro128StarStar(7).nextUint32());
  });

  it('fills a buffer with the words nextUint32 would return, and ends in the same state', () => {
    const a = new Xoshiro128StarStar(11);
    const b = new Xoshiro128StarStar(11);
    const words = new Uint32Array(1000);
    a.fill(words, 999);
    expect(Array.from(words.subarray(0, 999))).toEqual(Array.from({ length: 999 }, () => b.nextUint32()));
    expect(words[999]).toBe(0);
    expect(Array.from(a.getState())).toEqual(Array.from(b.getState()));
    expect(a.nextNormal()).toBe(b.nextNormal());
  });

  it('rejects the all-zero state and non-integer seeds', () => {
    expect(() => new Xoshiro128StarStar([0, 0, 0, 0])).toThrow(InvalidArgumentError);
    expect(() => new Xoshiro128StarStar(1.5)).toThrow(InvalidArgumentError);
    expect(() => new Xoshiro128StarStar([1, 2, 3])).toThrow(InvalidArgumentError);
  });

  it('draws uniform doubles in [0, 1) with the right moments', () => {
    const rng = new Xoshiro128StarStar(11);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.nextDouble();
      s += u;
      s2 += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(s / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - 1 / 3)).toBeLessThan(0.003);
  });

  it('draws standard normals (moments and a Kolmogorov–Smirnov test)', () => {
    const rng = new Xoshiro128StarStar(12);
    const n = 100_000;
    const z = new Float64Array(n);
    for (let i = 0; i < n; i++) z[i] = rng.nextNormal();
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    for (const v of z) {
      s += v;
      s2 += v * v;
      s4 += v ** 4;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    z.sort();
    // Φ via the complementary error function (Abramowitz–Stegun 7.1.26 is too coarse; use erfc series).
    const phi = (x: number): number => 0.5 * erfc(-x / Math.SQRT2);
    let d = 0;
    for (let i = 0; i < n; i++) d = Math.max(d, Math.abs(phi(z[i]) - (i + 0.5) / n));
    // 1.95/sqrt(n) is the 0.1 % critical value of the KS statistic.
    expect(d).toBeLessThan(1.95 / Math.sqrt(n));
    // Tails beyond the ziggurat base (|z| > 3.44) occur at the right rate (2·Φ(−3.4426) ≈ 5.76e-4).
    const tail = z.filter((v) => Math.abs(v) > 3.442619855899).length / n;
    expect(Math.abs(tail - 5.76e-4)).toBeLessThan(5 * Math.sqrt(5.76e-4 / n));
  });
});

/** erfc with relative error below 1.2e-7 (Numerical Recipes' Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
