import { describe, expect, it } from 'vitest';
import { MeasurementSimulator, ShapeMismatchError, type PointModel } from '../../../src/obe/core/index.js';

describe('MeasurementSimulator', () => {
  it('adds Gaussian noise of the configured level to the true model', () => {
    const sim = new MeasurementSimulator('lorentzian-dip', [2.5, 0.02, 0.04], [], 0.005, { seed: 1 });
    const n = 20_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const [y] = sim.simdata([2.5]);
      s += y;
      s2 += y * y;
    }
    const mean = s / n;
    const sd = Math.sqrt(s2 / n - mean * mean);
    expect(Math.abs(mean - 0.98)).toBeLessThan((5 * 0.005) / Math.sqrt(n));
    expect(Math.abs(sd / 0.005 - 1)).toBeLessThan(0.03);
    expect(sim.simdata(2.5, { noiseLevel: 0 })[0]).toBeCloseTo(0.98, 15);
    expect(sim.simdata(2.5, { noiseLevel: 0, params: [2.5, 0.05, 0.04] })[0]).toBeCloseTo(0.95, 15);
    expect(() => sim.simdata(2.5, { params: [1] })).toThrow(ShapeMismatchError);
  });

  it('simulates over a grid and per channel', () => {
    const model: PointModel = (s, p) => [p[0] * s[0], -p[0] * s[0]];
    const sim = new MeasurementSimulator(model, [2], [], [0, 1], { seed: 2 });
    const out = sim.simdataOverSettings([[1, 2, 3]]);
    expect(out.length).toBe(2);
    expect(Array.from(out[0])).toEqual([2, 4, 6]);
    expect(out[1].some((v, i) => v !== -2 * (i + 1))).toBe(true);
  });
});
