import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  ParticlePDF,
  ShapeMismatchError,
  Xoshiro128StarStar,
  ZeroWeightsError,
} from '../../../src/obe/core/index.js';
import { chiSquare, expectClose, vectors } from './fixtures/vectors.js';

function normalCloud(n: number, seed: number, means: number[], sds: number[]): Float64Array[] {
  const rng = new Xoshiro128StarStar(seed);
  return means.map((m, d) => Float64Array.from({ length: n }, () => m + sds[d] * rng.nextNormal()));
}

describe('ParticlePDF statistics', () => {
  for (const key of ['stats_uniform', 'stats_weighted', 'stats_1d']) {
    it(`reproduces ${key}: mean, covariance (aweights, ddof 1), population std`, () => {
      const v = vectors[key];
      const pdf = new ParticlePDF(v.particles, { seed: 1 });
      if (v.weights !== undefined) pdf.setWeights(v.weights);
      expectClose(pdf.mean(), v.mean);
      const cov = pdf.covariance();
      expect(cov.length).toBe(v.covariance.length);
      cov.forEach((row, i) => expectClose(row, v.covariance[i]));
      expectClose(pdf.std(), v.std);
    });
  }

  it('std is the population value sqrt(cov·(1 − Σw²)), not sqrt(cov)', () => {
    const pdf = new ParticlePDF(vectors.stats_weighted.particles, { seed: 1 });
    pdf.setWeights(vectors.stats_weighted.weights);
    const w2 = vectors.stats_weighted.weights.reduce((a: number, w: number) => a + w * w, 0);
    const cov = pdf.covariance();
    const std = pdf.std();
    for (let d = 0; d < 2; d++) expectClose(std[d], Math.sqrt(cov[d][d] * (1 - w2)), 1e-13);
  });

  it('std does not cancel when |mean| >> std (frequency in Hz)', () => {
    const base = 2.87e9;
    const offsets = [-3, -1, 0.5, 1.5, 2];
    const pdf = new ParticlePDF([offsets.map((o) => base + o)], { seed: 1 });
    const mean = offsets.reduce((a, b) => a + b) / offsets.length;
    const expected = Math.sqrt(offsets.reduce((a, o) => a + (o - mean) ** 2, 0) / offsets.length);
    expectClose(pdf.std(), [expected], 1e-6);
  });

  it('mean and std stay exact through updates of a cloud far from zero (moments about a cached mean)', () => {
    const n = 2000;
    const pdf = new ParticlePDF(normalCloud(n, 5, [2.87e9, -4e6], [3, 0.02]), { seed: 1, autoResample: false });
    const rng = new Xoshiro128StarStar(9);
    for (let step = 0; step < 12; step++) {
      const x0 = pdf.particles[0];
      const centre = 2.87e9 + 2 * (rng.nextDouble() - 0.5);
      pdf.bayesianUpdate(Float64Array.from(x0, (x) => Math.exp(-0.5 * ((x - centre) / 4) ** 2)));
      // Ask for the statistics first (so that they come from the shifted pass), then recompute
      // them by the textbook two-pass method from the normalised weights.
      const mean = pdf.mean();
      const std = pdf.std();
      const w = pdf.weights;
      pdf.particles.forEach((row, d) => {
        let m = 0;
        for (let j = 0; j < n; j++) m += w[j] * row[j];
        let v = 0;
        for (let j = 0; j < n; j++) v += w[j] * (row[j] - m) ** 2;
        expectClose(mean[d], m, 1e-14);
        expectClose(std[d], Math.sqrt(v), 1e-9);
      });
    }
  });

  it('a single particle has zero covariance and std instead of NaN', () => {
    const pdf = new ParticlePDF([[2], [3]], { seed: 1 });
    expect(pdf.covariance().map((r) => Array.from(r))).toEqual([[0, 0], [0, 0]]);
    expect(Array.from(pdf.std())).toEqual([0, 0]);
    expect(Array.from(pdf.mean())).toEqual([2, 3]);
  });
});

describe('ParticlePDF.setPdf / setWeights', () => {
  it('normalises weights and validates shapes and values', () => {
    const pdf = new ParticlePDF([[0, 1, 2]], { seed: 1 });
    pdf.setPdf([[5, 6], [7, 8]], [1, 3]);
    expect(pdf.nDims).toBe(2);
    expect(pdf.nParticles).toBe(2);
    expect(Array.from(pdf.weights)).toEqual([0.25, 0.75]);
    expect(() => pdf.setWeights([1])).toThrow(ShapeMismatchError);
    expect(() => pdf.setWeights([0, 0])).toThrow(ZeroWeightsError);
    expect(() => pdf.setWeights([-1, 2])).toThrow(InvalidArgumentError);
    expect(() => pdf.setWeights([Number.NaN, 2])).toThrow(InvalidArgumentError);
    expect(() => pdf.setPdf([[1, 2], [3]])).toThrow(ShapeMismatchError);
    expect(() => pdf.setPdf([[1, Number.NaN]])).toThrow(InvalidArgumentError);
    expect(() => pdf.setPdf([])).toThrow(ShapeMismatchError);
    // Failed calls leave the state alone.
    expect(Array.from(pdf.weights)).toEqual([0.25, 0.75]);
  });

  it('copies the samples it is given', () => {
    const row = [1, 2, 3];
    const pdf = new ParticlePDF([row], { seed: 1 });
    row[0] = 100;
    expect(pdf.particles[0][0]).toBe(1);
  });
});

describe('ParticlePDF.resampleTest', () => {
  it('reproduces resample_test_threshold_0.5 (n_eff and decision)', () => {
    for (const c of vectors['resample_test_threshold_0.5']) {
      const pdf = new ParticlePDF([[0, 1, 2, 3]], { seed: 1, resampleThreshold: 0.5 });
      pdf.setWeights(c.weights);
      expectClose(pdf.effectiveSampleSize(), c.n_eff);
      expect(pdf.resampleTest()).toBe(c.resampled);
      expect(pdf.justResampled).toBe(c.resampled);
      if (c.resampled) expect(Array.from(pdf.weights)).toEqual([0.25, 0.25, 0.25, 0.25]);
    }
  });

  it('resamples below 10 % N_eff even with threshold 0 (the original quirk)', () => {
    const n = 100;
    const pdf = new ParticlePDF([Float64Array.from({ length: n }, (_, i) => i)], { seed: 2, resampleThreshold: 0 });
    const w = new Float64Array(n);
    w.fill(1e-6);
    w[0] = 1;
    pdf.setWeights(w);
    expect(pdf.resampleTest()).toBe(true);
    expect(pdf.lastResampleReason).toBe('rejected-90');
  });
});

describe('ParticlePDF.bayesianUpdate', () => {
  it('multiplies and normalises, treating NaN and negative likelihoods as 0', () => {
    const pdf = new ParticlePDF([[0, 1, 2, 3]], { seed: 1, autoResample: false });
    pdf.bayesianUpdate([1, Number.NaN, 3, -2]);
    expectClose(pdf.weights, [0.25, 0, 0.75, 0], 1e-15);
  });

  it('survives a likelihood that underflows for every particle (B4)', () => {
    const pdf = new ParticlePDF([[0, 1, 2, 3]], { seed: 1, autoResample: false });
    pdf.updateWithLogLikelihood([-5000, -5001, -5000, -5003]);
    const e = Math.exp(-1);
    const z = 2 + e + Math.exp(-3);
    expectClose(pdf.weights, [1 / z, e / z, 1 / z, Math.exp(-3) / z], 1e-14);
  });

  it('uses the log-weight fallback when every product underflows against the given bound', () => {
    const pdf = new ParticlePDF([[0, 1]], { seed: 1, autoResample: false });
    pdf.setWeights([0.25, 0.75]);
    // An upper bound far above the true maximum makes every w·exp(ℓ − bound) underflow to 0.
    pdf.updateWithLogLikelihood([-800, -801], 0);
    const z = 0.25 + 0.75 * Math.exp(-1);
    // Rounding of ln w + ℓ near −800 limits this path to about 1e-13 relative.
    expectClose(pdf.weights, [0.25 / z, (0.75 * Math.exp(-1)) / z], 1e-12);
  });

  it('a tiny-weight particle with the best likelihood keeps its weight', () => {
    const pdf = new ParticlePDF([[0, 1]], { seed: 1, autoResample: false });
    pdf.setWeights([1, 1e-300]);
    pdf.updateWithLogLikelihood([-1000, 0]);
    expect(pdf.weights[0]).toBe(0);
    expectClose(pdf.weights[1], 1, 1e-15);
  });

  it('refuses an update that leaves no weight and keeps the previous weights', () => {
    const pdf = new ParticlePDF([[0, 1, 2, 3]], { seed: 1, autoResample: false });
    pdf.setWeights([0.1, 0.2, 0.3, 0.4]);
    expect(() => pdf.bayesianUpdate([0, 0, 0, 0])).toThrow(ZeroWeightsError);
    expect(() => pdf.updateWithLogLikelihood([Number.NaN, -Infinity, Number.NaN, Number.NaN])).toThrow(ZeroWeightsError);
    expectClose(pdf.weights, [0.1, 0.2, 0.3, 0.4], 1e-15);
    expect(() => pdf.bayesianUpdate([1, 2])).toThrow(ShapeMismatchError);
  });

  it('splits the weight among particles with infinite likelihood', () => {
    const pdf = new ParticlePDF([[0, 1, 2]], { seed: 1, autoResample: false });
    // One infinite product becomes the largest double (nan_to_num), as in the original.
    pdf.bayesianUpdate([Infinity, 1, 1]);
    expect(Array.from(pdf.weights)).toEqual([1, 1 / 3 / Number.MAX_VALUE, 1 / 3 / Number.MAX_VALUE]);
    expect(pdf.stats().logSpaceUpdates).toBe(0);
    // Two overflow the sum: the original's weights would all be 0; log space splits the weight.
    pdf.setWeights([1, 1, 1]);
    pdf.bayesianUpdate([Infinity, 1, Infinity]);
    expectClose(pdf.weights, [0.5, 0, 0.5], 1e-15);
    expect(pdf.stats()).toEqual({ updates: 2, logSpaceUpdates: 1, resamples: 0 });
  });

  it('falls back to log space only when every product underflows (B4), and counts it', () => {
    const pdf = new ParticlePDF([[0, 1, 2, 3]], { seed: 1, autoResample: false });
    pdf.bayesianUpdate([1e-300, 2e-300, 0, 1e-300]);
    expect(pdf.stats().logSpaceUpdates).toBe(0);
    expect(Array.from(pdf.weights)).toEqual([0.25, 0.5, 0, 0.25]);
    // The smallest subnormal times a weight <= 0.5 rounds to 0 for every particle.
    pdf.bayesianUpdate([5e-324, 5e-324, 5e-324, 5e-324]);
    expect(pdf.stats()).toEqual({ updates: 2, logSpaceUpdates: 1, resamples: 0 });
    expectClose(pdf.weights, [0.25, 0.5, 0, 0.25], 1e-15);
  });
});

describe('ParticlePDF.resample', () => {
  const n = 40_000;

  function weightedCloud(scheme: 'multinomial' | 'systematic', scale: boolean): ParticlePDF {
    const pdf = new ParticlePDF(normalCloud(n, 31, [2.5, 0.05, -1], [0.3, 0.01, 2]), { seed: 32, scale, resampleScheme: scheme });
    // Tilt the cloud with a Gaussian likelihood in parameter 0 so that the weights matter.
    const x = pdf.particles[0];
    pdf.setWeights(Float64Array.from(x, (v) => Math.exp(-0.5 * ((v - 2.7) / 0.2) ** 2)));
    return pdf;
  }

  for (const scheme of ['multinomial', 'systematic'] as const) {
    it(`${scheme}: preserves the mean and the covariance of the weighted cloud (scale=true)`, () => {
      const pdf = weightedCloud(scheme, true);
      const mean0 = pdf.mean();
      const cov0 = pdf.covariance();
      const std0 = pdf.std();
      pdf.resample();
      expect(Array.from(pdf.weights).every((w) => w === 1 / n)).toBe(true);
      const mean1 = pdf.mean();
      const cov1 = pdf.covariance();
      for (let d = 0; d < 3; d++) {
        expect(Math.abs(mean1[d] - mean0[d])).toBeLessThan((6 * std0[d]) / Math.sqrt(n / 3));
        // a²(2 − a²) = 0.9984: the variance is kept to within sampling error.
        expect(Math.abs(cov1[d][d] / cov0[d][d] - 0.9984)).toBeLessThan(0.05);
      }
      const corr = (c: Float64Array[]) => c[0][2] / Math.sqrt(c[0][0] * c[2][2]);
      expect(Math.abs(corr(cov1) - corr(cov0))).toBeLessThan(0.05);
    });
  }

  it('scale=false inflates the variance by (1 + 1 − a²) and keeps the mean', () => {
    const pdf = weightedCloud('multinomial', false);
    const cov0 = pdf.covariance();
    const mean0 = pdf.mean();
    pdf.resample();
    const cov1 = pdf.covariance();
    for (let d = 0; d < 3; d++) expect(Math.abs(cov1[d][d] / cov0[d][d] - 1.0396)).toBeLessThan(0.05);
    expect(Math.abs(pdf.mean()[0] - mean0[0])).toBeLessThan(0.01);
  });

  it('draws survivors in proportion to weight (chi-square over 4 particles, no nudge)', () => {
    const pdf = new ParticlePDF([[0, 1, 2, 3], [5, 5, 5, 5]], { seed: 41, aParam: 1 });
    const probs = [0.1, 0.2, 0.3, 0.4];
    const counts = [0, 0, 0, 0];
    for (let r = 0; r < 2000; r++) {
      pdf.setPdf([[0, 1, 2, 3], [5, 5, 5, 5]], probs);
      pdf.resample();
      for (const x of pdf.particles[0]) counts[x]++;
      // a = 1: no nudge, and the constant parameter stays exactly constant.
      expect(Array.from(pdf.particles[1])).toEqual([5, 5, 5, 5]);
    }
    // 3 degrees of freedom: 0.1 % critical value 16.3.
    expect(chiSquare(counts, probs, 8000)).toBeLessThan(16.3);
  });

  it('handles a singular covariance (a parameter constant across the cloud)', () => {
    const cloud = normalCloud(5000, 51, [1, 0], [0.5, 0]);
    cloud[1].fill(7);
    const pdf = new ParticlePDF(cloud, { seed: 52, scale: false });
    pdf.resample();
    expect(Array.from(pdf.particles[1]).every((v) => Math.abs(v - 7) < 1e-9)).toBe(true);
    expect(Array.from(pdf.particles[0]).every(Number.isFinite)).toBe(true);
  });

  it('resamples a one-particle cloud to itself', () => {
    const pdf = new ParticlePDF([[3], [4]], { seed: 1 });
    pdf.resample();
    expect(pdf.particles.map((r) => r[0])).toEqual([3, 4]);
  });

  it('rejects aParam outside [0, 1] without touching the state', () => {
    const pdf = new ParticlePDF([[0, 1, 2]], { seed: 1 });
    pdf.tuningParameters.aParam = 1.5;
    expect(() => pdf.resample()).toThrow(InvalidArgumentError);
    expect(Array.from(pdf.particles[0])).toEqual([0, 1, 2]);
  });

  it('is reproducible under a fixed seed', () => {
    const run = () => {
      const pdf = weightedCloud('multinomial', true);
      pdf.resample();
      return Array.from(pdf.particles[0].subarray(0, 5));
    };
    expect(run()).toEqual(run());
  });
});

describe('ParticlePDF.randdraw', () => {
  it('returns D × n draws in proportion to weight', () => {
    const pdf = new ParticlePDF([[0, 1, 2, 3], [10, 11, 12, 13]], { seed: 61 });
    const probs = [0.4, 0, 0.5, 0.1];
    pdf.setWeights(probs);
    const draws = pdf.randdraw(20_000);
    expect(draws.length).toBe(2);
    expect(draws[0].length).toBe(20_000);
    const counts = [0, 0, 0, 0];
    draws[0].forEach((x, i) => {
      counts[x]++;
      expect(draws[1][i]).toBe(x + 10);
    });
    expect(counts[1]).toBe(0);
    expect(chiSquare(counts, probs, 20_000)).toBeLessThan(13.8);
    expect(pdf.randdraw().map((r) => r.length)).toEqual([1, 1]);
    expect(() => pdf.randdraw(-1)).toThrow(InvalidArgumentError);
  });
});

describe('ParticlePDF properties (fast-check)', () => {
  it('the log-space update equals the naive normalised product whenever that is finite', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: -300, max: 0, noNaN: true })), { minLength: 1, maxLength: 30 }),
        fc.double({ min: -400, max: 400, noNaN: true }),
        (pairs, shift) => {
          const pdf = new ParticlePDF([pairs.map((_, i) => i)], { seed: 1, autoResample: false });
          pdf.setWeights(pairs.map(([w]) => w));
          const w0 = Float64Array.from(pdf.weights);
          // A common shift of the log-likelihoods must not matter (it would overflow a naive exp).
          pdf.updateWithLogLikelihood(pairs.map(([, l]) => l + shift));
          const raw = pairs.map(([, l], i) => w0[i] * Math.exp(l));
          const total = raw.reduce((a, b) => a + b);
          fc.pre(total > 1e-250);
          raw.forEach((r, i) => expect(Math.abs(pdf.weights[i] - r / total)).toBeLessThan(1e-12));
        },
      ),
      { seed: 4242, numRuns: 300 },
    );
  });
});
