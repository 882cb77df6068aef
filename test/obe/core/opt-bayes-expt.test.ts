import { describe, expect, it } from 'vitest';
import {
  drawFromProbabilities,
  goodSettingProbabilities,
  InvalidArgumentError,
  linspace,
  ModelOutputError,
  OptBayesExpt,
  ShapeMismatchError,
  UnknownNameError,
  Xoshiro128StarStar,
  type ModelDefinition,
  type PointModel,
} from '../../../src/obe/core/index.js';
import { chiSquare, expectClose, vectors } from './fixtures/vectors.js';

/** `y = a + b·x` (a = row 0, b = row 1), the model of the likelihood vectors. */
const linear: PointModel = (s, p) => p[0] + p[1] * s[0];

function linearEngine(extra: Partial<ConstructorParameters<typeof OptBayesExpt>[0]> = {}): OptBayesExpt {
  return new OptBayesExpt({
    model: linear,
    settingValues: [[1, 2, 3]],
    prior: vectors.likelihood_linear.particles,
    autoResample: false,
    seed: 1,
    ...extra,
  });
}

function record(r: [number[], number, number]) {
  return { settings: r[0], y: r[1], sigma: r[2] };
}

describe('OptBayesExpt likelihood and pdfUpdate', () => {
  it('reproduces likelihood_linear (likelihood with 1/σ, weights after one update)', () => {
    const v = vectors.likelihood_linear;
    const obe = linearEngine();
    const rec = record(v.record);
    expectClose(obe.likelihood(obe.evalOverAllParameters(rec.settings), rec), v.likelihood);
    const { weights } = obe.pdfUpdate(rec);
    expectClose(weights, v.weights_after);
  });

  it("arithmetic 'fast' (fused one-pass update, and the general log-space path) gives the original's weights to rounding", () => {
    const prior = [linspace(-1, 1, 501), linspace(0.5, 1.5, 501).reverse()];
    const make = (choke: number | null, arithmetic: 'original' | 'fast') =>
      new OptBayesExpt({ model: 'line', settingValues: [linspace(0, 4, 9)], prior, autoResample: false, choke, arithmetic, seed: 3 });
    for (const [fused, general] of [
      [make(null, 'fast'), make(null, 'original')],
      // choke 1 leaves the likelihood unchanged but takes the general log-space path
      [make(1, 'fast'), make(null, 'original')],
    ]) {
      stepTogether(fused, general);
      expect(general.stats().logSpaceUpdates).toBe(0);
    }
  });

  function stepTogether(fused: OptBayesExpt, general: OptBayesExpt): void {
    const noise = new Xoshiro128StarStar(4);
    for (let step = 0; step < 25; step++) {
      const x = 4 * noise.nextDouble();
      const rec = { settings: [x], y: 0.3 * x - 0.2 + 0.05 * noise.nextNormal(), sigma: 0.05 };
      fused.pdfUpdate(rec);
      general.pdfUpdate(rec);
      const w = fused.weights;
      const max = Math.max(...general.weights);
      for (let j = 0; j < w.length; j++) expect(Math.abs(w[j] - general.weights[j])).toBeLessThanOrEqual(1e-12 * max);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
      expectClose(fused.mean(), general.mean(), 1e-12);
      expect(fused.effectiveSampleSize()).toBeCloseTo(general.effectiveSampleSize(), 8);
    }
  }

  it('reproduces likelihood_choke', () => {
    const v = vectors.likelihood_choke;
    const obe = linearEngine({ choke: v.choke });
    const rec = record(v.record);
    expectClose(obe.likelihood(obe.evalOverAllParameters(rec.settings), rec), v.likelihood);
    // The same choke through a full update (log space) gives the normalised likelihood.
    const total = v.likelihood.reduce((a: number, b: number) => a + b);
    expectClose(obe.pdfUpdate(rec).weights, v.likelihood.map((l: number) => l / total));
    expect(() => (obe.choke = -1)).toThrow(InvalidArgumentError);
    expect(() => linearEngine({ choke: Number.NaN })).toThrow(InvalidArgumentError);
  });

  it('zips channels to the shortest (a length-N sigma for one channel uses sigma[0])', () => {
    const obe = linearEngine();
    const ym = obe.evalOverAllParameters([1]);
    const a = obe.likelihood(ym, { settings: [1], y: 5, sigma: 1 });
    const b = obe.likelihood(ym, { settings: [1], y: [5, 99], sigma: [1, 7, 8, 9] });
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it('rejects bad records without changing state', () => {
    const obe = linearEngine();
    expect(() => obe.pdfUpdate({ settings: [1], y: 5, sigma: 0 })).toThrow(InvalidArgumentError);
    expect(() => obe.pdfUpdate({ settings: [1], y: 5 })).toThrow(InvalidArgumentError);
    expect(() => obe.pdfUpdate({ settings: [1], y: Number.NaN, sigma: 1 })).toThrow(InvalidArgumentError);
    expect(() => obe.pdfUpdate({ settings: [1, 2], y: 5, sigma: 1 })).toThrow(ShapeMismatchError);
    expect(Array.from(obe.weights)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('never dies on an all-underflow measurement (B4), and counts the log-space update', () => {
    const obe = linearEngine();
    obe.pdfUpdate({ settings: [1], y: 5, sigma: 1 });
    expect(obe.stats()).toEqual({ updates: 1, logSpaceUpdates: 0, resamples: 0 });
    obe.pdfUpdate({ settings: [1], y: 1e6, sigma: 1e-3 });
    expect(obe.stats()).toEqual({ updates: 2, logSpaceUpdates: 1, resamples: 0 });
    const w = Array.from(obe.weights);
    expect(w.every(Number.isFinite)).toBe(true);
    expectClose(w.reduce((a, b) => a + b), 1, 1e-15);
    // The particle predicting the largest y (a + b = 7) takes all the weight.
    expect(w[3]).toBe(1);
    expect(Array.from(obe.mean()).every(Number.isFinite)).toBe(true);
  });

  it('evaluates the model on the particles set by setPdf (B1 fixed)', () => {
    const obe = linearEngine();
    obe.setPdf([[10, 20], [0, 0]]);
    const { weights } = obe.pdfUpdate({ settings: [1], y: 10, sigma: 1 });
    expect(obe.parameters).toBe(obe.particles);
    expect(weights[0]).toBeGreaterThan(0.99);
    expect(() => obe.setPdf([[1, 2]])).toThrow(ShapeMismatchError);
    expect(obe.nDims).toBe(2);
  });

  it('NaN from the model: zero weight, or a named error when every particle (or policy throw)', () => {
    const nanForNegativeA: PointModel = (s, p) => (p[0] < 1 ? Number.NaN : p[0] + p[1] * s[0]);
    const obe = linearEngine({ model: nanForNegativeA });
    obe.pdfUpdate({ settings: [1], y: 5, sigma: 1 });
    expect(obe.weights[0]).toBe(0);
    expectClose(Array.from(obe.weights).reduce((a, b) => a + b), 1, 1e-15);

    const strict = linearEngine({ model: nanForNegativeA, nanPolicy: 'throw' });
    expect(() => strict.pdfUpdate({ settings: [1], y: 5, sigma: 1 })).toThrow(ModelOutputError);
    expect(Array.from(strict.weights)).toEqual([0.25, 0.25, 0.25, 0.25]);

    const broken = linearEngine({ model: () => Number.NaN });
    expect(() => broken.pdfUpdate({ settings: [1], y: 5, sigma: 1 })).toThrow(ModelOutputError);
    expect(() => broken.optSetting()).toThrow(ModelOutputError);
    expect(() => broken.goodSetting(3)).toThrow(ModelOutputError);
    expect(Array.from(broken.weights)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('runs enforceParameterConstraints only after a resample', () => {
    let calls = 0;
    class Counting extends OptBayesExpt {
      override enforceParameterConstraints(): void {
        calls++;
      }
    }
    const obe = new Counting({ model: linear, settingValues: [[1]], prior: [[0, 1, 2, 3], [1, 3, 2, 4]], seed: 3 });
    obe.pdfUpdate({ settings: [1], y: 4, sigma: 100 });
    expect(obe.justResampled).toBe(false);
    expect(calls).toBe(0);
    obe.pdfUpdate({ settings: [1], y: 7, sigma: 0.1 });
    expect(obe.justResampled).toBe(true);
    expect(calls).toBe(1);
  });
});

describe('OptBayesExpt utilities (utilities_fixed_draws)', () => {
  const v = vectors.utilities_fixed_draws;
  const lorentz: PointModel = (s, p) => {
    const x = ((s[0] - p[0]) * 2) / p[2];
    return 1 - p[1] / (x * x + 1);
  };

  function engine(utilityMethod: 'variance_approx' | 'pseudo_utility' | 'max_min' | 'full_kld_utility', model: PointModel | string = lorentz): OptBayesExpt {
    return new OptBayesExpt({
      model,
      settingValues: [v.grid],
      prior: v.draws_DxK,
      nDraws: v.draws_DxK[0].length,
      defaultNoiseStd: v.default_noise_std,
      utilityMethod,
      seed: 1,
    });
  }

  it('variance_approx, pseudo_utility and max_min match given fixed draws', () => {
    expectClose(engine('variance_approx').utilityForDraws(v.draws_DxK), v.variance_approx);
    expectClose(engine('pseudo_utility').utilityForDraws(v.draws_DxK), v.pseudo_utility);
    expectClose(engine('max_min').utilityForDraws(v.draws_DxK), v.max_min);
  });

  it('the built-in lorentzian-dip batch model gives the same utilities', () => {
    expectClose(engine('variance_approx', 'lorentzian-dip').utilityForDraws(v.draws_DxK), v.variance_approx);
  });

  it('full_kld_utility matches the original single-channel numbers given the noise draw', () => {
    const u = engine('full_kld_utility').utilityForDraws(v.draws_DxK, v.full_kld_std_normal_noise);
    expectClose(u, v.full_kld_utility_shape_1xG[0]);
  });

  it('good_setting probabilities follow u^p / Σ u^p for p = 1, 6, 15', () => {
    const obe = engine('variance_approx');
    for (const p of [1, 6, 15]) {
      expectClose(obe.goodSettingProbabilities(v.variance_approx, p), v[`good_setting_probs_pickiness_${p}`]);
    }
  });

  it('utility costs divide the utility; cost arrays must have G entries', () => {
    const obe = engine('variance_approx');
    obe.cost = Float64Array.from(v.grid, (_: number, i: number) => i + 1);
    expectClose(obe.utilityForDraws(v.draws_DxK), v.variance_approx.map((u: number, i: number) => u / (i + 1)), 1e-14);
    obe.cost = new Float64Array(3);
    expect(() => obe.utilityForDraws(v.draws_DxK)).toThrow(ShapeMismatchError);
  });

  it('full_kld and pseudo need at least 5 draws', () => {
    const obe = engine('pseudo_utility');
    obe.setNDraws(4);
    expect(() => obe.utility()).toThrow(/window/);
  });
});

describe('setting selection', () => {
  it('good-setting draws follow the probabilities (chi-square)', () => {
    const u = [0.5, 1, 0.2, 0.9, 0.05];
    const p = new Float64Array(u.length);
    goodSettingProbabilities(u, 3, p);
    const rng = new Xoshiro128StarStar(71);
    const cdf = new Float64Array(u.length);
    const counts = new Array(u.length).fill(0);
    const n = 50_000;
    for (let i = 0; i < n; i++) counts[drawFromProbabilities(p, rng, cdf)]++;
    expect(chiSquare(counts, p, n)).toBeLessThan(18.5);
  });

  it('goodSetting picks grid points with frequencies ∝ utility^pickiness (cost-shaped utility)', () => {
    // y does not depend on the setting, so Var_k(y) is the same at every grid point and the
    // utility is ∝ 1/cost whatever the draws: the choice frequencies must follow cost^-p.
    const rng = new Xoshiro128StarStar(75);
    const prior = [Float64Array.from({ length: 200 }, () => rng.nextNormal())];
    const cost = [1, 2, 1.5, 4];
    const obe = new OptBayesExpt({ model: (_s, q) => q[0], settingValues: [[10, 20, 30, 40]], prior, cost, seed: 76 });
    const counts = [0, 0, 0, 0];
    const n = 4000;
    for (let i = 0; i < n; i++) counts[obe.goodSetting(2)[0] / 10 - 1]++;
    const raw = cost.map((c) => c ** -2);
    const total = raw.reduce((a, b) => a + b);
    // 3 degrees of freedom: 0.1 % critical value 16.3.
    expect(chiSquare(counts, raw.map((r) => r / total), n)).toBeLessThan(16.3);
  });

  it('raises integer pickiness by products within a few ulp of Math.pow', () => {
    const rng = new Xoshiro128StarStar(77);
    const u = Array.from({ length: 2000 }, () => rng.nextDouble() * 10);
    const max = Math.max(...u);
    const out = new Float64Array(u.length);
    for (const p of [1, 2, 3, 6, 7, 33, 64]) {
      goodSettingProbabilities(u, p, out);
      const raw = u.map((v) => Math.pow(v / max, p));
      const sum = raw.reduce((a, b) => a + b);
      // p multiplications round at most about p times: a relative error below 2p ulp.
      out.forEach((q, i) => expect(Math.abs(q - raw[i] / sum)).toBeLessThanOrEqual((2 * p + 2) * Number.EPSILON * (raw[i] / sum)));
    }
  });

  it('is stable for huge pickiness and tiny or huge utilities (B5)', () => {
    const out = new Float64Array(3);
    goodSettingProbabilities([1e-300, 2e-300, 5e-301], 1000, out);
    expectClose(out, [2 ** -1000 / (1 + 2 ** -1000), 1 / (1 + 2 ** -1000), 0], 1e-12);
    goodSettingProbabilities([1e300, 1e308, Number.NaN], 6, out);
    expect(out[1]).toBeCloseTo(1, 12);
    expect(out[2]).toBe(0);
    goodSettingProbabilities([0, 0, 0], 6, out);
    expect(Array.from(out)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    goodSettingProbabilities([1, -2, 3], 0, out);
    expect(Array.from(out)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('optSetting returns the argmax as plain numbers, in ij order for two knobs', () => {
    // Utility = variance over draws of y = p0·s0 + p1·s1: largest at the largest |s|.
    const model: PointModel = (s, p) => p[0] * s[0] + p[1] * s[1];
    const rng = new Xoshiro128StarStar(81);
    const prior = [Float64Array.from({ length: 500 }, () => rng.nextNormal()), Float64Array.from({ length: 500 }, () => rng.nextNormal())];
    const obe = new OptBayesExpt({ model, settingValues: [[1, 3], [10, 20, 30]], prior, seed: 82 });
    expect(obe.optSetting()).toEqual([3, 30]);
    expect(obe.lastSettingIndex).toBe(5);
    expect(obe.allSettings.map((r) => Array.from(r))).toEqual([[1, 1, 1, 3, 3, 3], [10, 20, 30, 10, 20, 30]]);
  });

  it('goodSetting, randomSetting and getSetting return setting arrays from the grid', () => {
    const obe = linearEngine({ pickiness: 4, selectionMethod: 'good' });
    const calls = [() => obe.goodSetting(), () => obe.goodSetting(null), () => obe.goodSetting(0), () => obe.randomSetting(), () => obe.getSetting()];
    for (const call of calls) {
      const s = call();
      expect(Array.isArray(s)).toBe(true);
      expect([1, 2, 3]).toContain(s[0]);
      expect(obe.allSettings[0][obe.lastSettingIndex]).toBe(s[0]);
    }
    expect(() => obe.goodSetting(-1)).toThrow(InvalidArgumentError);
  });

  it('works with a one-point grid and a one-particle prior', () => {
    const obe = new OptBayesExpt({ model: linear, settingValues: [5], prior: [[1], [2]], seed: 1 });
    expect(obe.nSettings).toBe(1);
    expect(obe.optSetting()).toEqual([5]);
    expect(obe.goodSetting(6)).toEqual([5]);
    expect(obe.randomSetting()).toEqual([5]);
    obe.pdfUpdate({ settings: [5], y: 11, sigma: 1 });
    expect(Array.from(obe.mean())).toEqual([1, 2]);
    expect(Array.from(obe.weights)).toEqual([1]);
  });
});

describe('OptBayesExpt configuration', () => {
  it('detects the channel count from a point model and uses per-channel noise', () => {
    const twoChannel: PointModel = (s, p) => [p[0] * s[0], p[0] + s[0]];
    const obe = new OptBayesExpt({ model: twoChannel, settingValues: [[1, 2]], prior: [[1, 2, 3]], defaultNoiseStd: [1, 2], autoResample: false, seed: 1 });
    expect(obe.nChannels).toBe(2);
    expect(Array.from(obe.yvarNoiseModel())).toEqual([1, 4]);
    expect(() => new OptBayesExpt({ model: twoChannel, settingValues: [[1]], prior: [[1]], defaultNoiseStd: [1, 2, 3] })).toThrow(ShapeMismatchError);
    // Two channels, one update with a y per channel.
    obe.pdfUpdate({ settings: [2], y: [4, 4], sigma: [0.5, 0.5] });
    expect(obe.weights[1]).toBeGreaterThan(0.9);
  });

  it('rejects unknown names (the original raised SyntaxError)', () => {
    const base = { model: linear, settingValues: [[1]], prior: [[1], [1]] };
    // @ts-expect-error deliberately wrong
    expect(() => new OptBayesExpt({ ...base, utilityMethod: 'nope' })).toThrow(UnknownNameError);
    // @ts-expect-error deliberately wrong
    expect(() => new OptBayesExpt({ ...base, selectionMethod: 'nope' })).toThrow(UnknownNameError);
    expect(() => new OptBayesExpt({ ...base, model: 'no-such-model' })).toThrow(UnknownNameError);
    expect(() => new OptBayesExpt({ ...base, model: 'lorentzian-dip' })).toThrow(ShapeMismatchError);
  });

  it('setNDraws follows the original semantics', () => {
    const obe = linearEngine();
    expect(obe.nDraws).toBe(30);
    expect(obe.setNDraws(12)).toBe(12);
    expect(obe.setNDraws(null)).toBe(12);
    expect(obe.setNDraws(0)).toBe(12);
    expect(obe.setNDraws('default')).toBe(30);
    expect(() => obe.setNDraws(2.5)).toThrow(InvalidArgumentError);
    expect(obe.utility().length).toBe(3);
  });

  it('setSettingValues replaces the grid (for newrun) and keeps the particles', () => {
    const obe = linearEngine();
    obe.setSettingValues([linspace(0, 1, 11)]);
    expect(obe.nSettings).toBe(11);
    expect(obe.utility().length).toBe(11);
    expect(() => obe.setSettingValues([[1], [2]])).toThrow(ShapeMismatchError);
  });

  it('accepts a batch-only definition and checks declared dimensions', () => {
    const def: ModelDefinition = {
      nChannels: 1,
      nParameters: 2,
      batch(s, ss, p, ps, _c, out, n) {
        for (let i = 0; i < n; i++) out[0][i] = p[0][i * ps] + p[1][i * ps] * s[0][i * ss];
      },
    };
    const a = linearEngine({ model: def });
    const b = linearEngine();
    expect(Array.from(a.evalOverAllParameters([2])[0])).toEqual(Array.from(b.evalOverAllParameters([2])[0]));
    expect(a.evalOverAllSettings([1, 2]).map((r) => Array.from(r))).toEqual([[3, 5, 7]]);
    expect(() => linearEngine({ model: { batch: def.batch } })).toThrow(ShapeMismatchError);
    expect(() => linearEngine({ model: { ...def, nParameters: 3 } })).toThrow(ShapeMismatchError);
  });
});
