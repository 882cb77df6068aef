import { describe, expect, it } from 'vitest';
import {
  autoEntropyMethod,
  defaultEntropyWindow,
  differentialEntropy,
  EntropyWindowError,
  Xoshiro128StarStar,
} from '../../../src/obe/core/index.js';
import { expectClose, vectors } from './fixtures/vectors.js';

describe('differentialEntropy', () => {
  for (const key of ['5', '8', '30', '1200']) {
    it(`reproduces SciPy's auto estimate for n = ${key}`, () => {
      const v = vectors.differential_entropy[key];
      const n = v.samples.length;
      expect(autoEntropyMethod(n)).toBe(v.method_used);
      expect(defaultEntropyWindow(n)).toBe(v.window_m);
      expectClose(differentialEntropy(v.samples), v.auto);
      expectClose(differentialEntropy(v.samples, { method: v.method_used }), v.auto);
    });
  }

  it('estimates the entropy of a normal sample with every method', () => {
    const rng = new Xoshiro128StarStar(21);
    const x = Float64Array.from({ length: 5000 }, () => rng.nextNormal());
    const exact = 0.5 * Math.log(2 * Math.PI * Math.E);
    // Spacing estimators are biased low at finite n (Vasicek most, about 0.06 here).
    for (const method of ['vasicek', 'van es', 'ebrahimi', 'correa'] as const) {
      expect(Math.abs(differentialEntropy(x, { method }) - exact)).toBeLessThan(0.1);
    }
    expectClose(differentialEntropy(x, { base: 2 }), differentialEntropy(x) / Math.LN2, 1e-14);
  });

  it('gives -Infinity for ties and rejects too-small samples', () => {
    expect(differentialEntropy([1, 1, 1, 1, 1, 1])).toBe(-Infinity);
    expect(() => differentialEntropy([1, 2, 3, 4])).toThrow(EntropyWindowError);
    expect(() => differentialEntropy([1, 2, 3, 4, 5, 6], { windowLength: 3 })).toThrow(EntropyWindowError);
  });
});
