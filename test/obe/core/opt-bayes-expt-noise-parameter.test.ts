import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  OptBayesExptNoiseParameter,
  ShapeMismatchError,
  Xoshiro128StarStar,
  type PointModel,
} from '../../../src/obe/core/index.js';
import { expectClose } from './fixtures/vectors.js';

const prior = [
  [0, 1, 2, 3],
  [1, 3, 2, 4],
  [0.5, 1, 2, 0.25],
];

function engine(extra: Record<string, unknown> = {}): OptBayesExptNoiseParameter {
  return new OptBayesExptNoiseParameter({
    model: 'line',
    settingValues: [[0, 0.5, 1]],
    prior,
    noiseParameterIndex: 2,
    autoResample: false,
    seed: 1,
    ...extra,
  });
}

describe('OptBayesExptNoiseParameter', () => {
  it('uses each particle’s own sigma, with the 1/σ factor, and ignores the record sigma', () => {
    const obe = engine();
    const x = 1;
    const y = 3;
    // Independent evaluation of the original's formula for y = m·x + b (m = row 0, b = row 1).
    const expected = prior[0].map((m, j) => {
      const s = prior[2][j];
      const r = (m * x + prior[1][j] - y) / s;
      return Math.exp(-0.5 * r * r) / s;
    });
    const ym = obe.evalOverAllParameters([x]);
    expectClose(obe.likelihood(ym, { settings: [x], y, sigma: 123 }), expected, 1e-14);
    expectClose(obe.likelihood(ym, { settings: [x], y }), expected, 1e-14);
    const { weights } = obe.pdfUpdate({ settings: [x], y });
    const total = expected.reduce((a, b) => a + b);
    expectClose(weights, expected.map((l) => l / total), 1e-14);
  });

  it('noise variance is the weighted mean of σ²', () => {
    const obe = engine();
    obe.setWeights([0.1, 0.2, 0.3, 0.4]);
    expectClose(obe.yvarNoiseModel(), [0.1 * 0.25 + 0.2 * 1 + 0.3 * 4 + 0.4 * 0.0625], 1e-15);
  });

  it('gives zero likelihood (never negative weight) to σ <= 0, and enforces σ > 0 after a resample', () => {
    const rng = new Xoshiro128StarStar(5);
    const n = 2000;
    const p = [
      Float64Array.from({ length: n }, () => rng.nextNormal()),
      Float64Array.from({ length: n }, () => rng.nextNormal()),
      Float64Array.from({ length: n }, () => 0.3 * rng.nextNormal() + 0.1),
    ];
    const obe = new OptBayesExptNoiseParameter({ model: 'line', settingValues: [[0, 1]], prior: p, noiseParameterIndex: 2, seed: 6 });
    obe.pdfUpdate({ settings: [1], y: 0.2 });
    const w = obe.weights;
    for (let j = 0; j < n; j++) expect(w[j]).toBeGreaterThanOrEqual(0);
    if (!obe.justResampled) obe.tuningParameters.resampleThreshold = 1.01;
    obe.pdfUpdate({ settings: [0], y: 0.1 });
    expect(obe.justResampled).toBe(true);
    const sig = obe.particles[2];
    for (let j = 0; j < n; j++) if (!(sig[j] > 0)) expect(obe.weights[j]).toBe(0);
    expectClose(Array.from(obe.weights).reduce((a, b) => a + b), 1, 1e-12);
  });

  it('supports repeated indices for two channels (lockin) and checks the index list', () => {
    const twoCh: PointModel = (s, q) => [q[0] * s[0], q[1] * s[0]];
    const p2 = [[1, 2], [3, 4], [0.5, 2]];
    const obe = new OptBayesExptNoiseParameter({ model: twoCh, settingValues: [[1, 2]], prior: p2, noiseParameterIndex: [2, 2], seed: 1 });
    expect(Array.from(obe.noiseParameterIndex)).toEqual([2, 2]);
    expect(obe.yvarNoiseModel().length).toBe(2);
    expect(() => new OptBayesExptNoiseParameter({ model: twoCh, settingValues: [[1]], prior: p2, noiseParameterIndex: 2 })).toThrow(ShapeMismatchError);
    expect(() => new OptBayesExptNoiseParameter({ model: twoCh, settingValues: [[1]], prior: p2, noiseParameterIndex: [2, 7] })).toThrow(InvalidArgumentError);
  });

  it('learns the noise level of a line (line_plus_noise workload, short)', () => {
    const rng = new Xoshiro128StarStar(91);
    const n = 5000;
    const u = () => 2 * rng.nextDouble() - 1;
    const p = [Float64Array.from({ length: n }, u), Float64Array.from({ length: n }, u), Float64Array.from({ length: n }, () => -0.1 * Math.log(1 - rng.nextDouble()))];
    const obe = new OptBayesExptNoiseParameter({
      model: 'line',
      settingValues: [Float64Array.from({ length: 101 }, (_, i) => i / 100)],
      prior: p,
      noiseParameterIndex: 2,
      scale: false,
      seed: 92,
    });
    const truth = { m: 0.3, b: -0.2, sigma: 0.2 };
    for (let i = 0; i < 150; i++) {
      const [x] = obe.goodSetting(5);
      obe.pdfUpdate({ settings: [x], y: truth.m * x + truth.b + truth.sigma * rng.nextNormal() });
    }
    const mean = obe.mean();
    const std = obe.std();
    expect(Math.abs(mean[0] - truth.m)).toBeLessThan(4 * std[0] + 0.02);
    expect(Math.abs(mean[1] - truth.b)).toBeLessThan(4 * std[1] + 0.02);
    expect(Math.abs(mean[2] - truth.sigma)).toBeLessThan(0.05);
  });
});
