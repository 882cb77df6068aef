import { describe, expect, it } from 'vitest';
import { AliasTable, BlockCdf, buildCdf, searchSortedRight, systematicIndices, Xoshiro128StarStar } from '../../../src/obe/core/index.js';
import { sumRange } from '../../../src/obe/core/weighted-sums.js';
import { chiSquare, vectors } from './fixtures/vectors.js';

describe('inverse-CDF choice', () => {
  it('reproduces inverse_cdf_choice (searchsorted side=right)', () => {
    const { p, uniforms, indices } = vectors.inverse_cdf_choice;
    const cdf = new Float64Array(p.length);
    buildCdf(p, p.length, cdf);
    expect(uniforms.map((u: number) => searchSortedRight(cdf, p.length, u))).toEqual(indices);
  });

  it('never returns zero-weight entries', () => {
    const w = [0, 0.5, 0, 0, 0.5, 0];
    const cdf = new Float64Array(w.length);
    buildCdf(w, w.length, cdf);
    const rng = new Xoshiro128StarStar(3);
    for (let i = 0; i < 2000; i++) expect([1, 4]).toContain(searchSortedRight(cdf, w.length, rng.nextDouble()));
    expect(searchSortedRight(cdf, w.length, 0)).toBe(1);
  });
});

describe('AliasTable', () => {
  it('draws with frequencies proportional to the weights (chi-square)', () => {
    const w = [5, 0, 1, 3, 0.5, 10, 0, 2.5];
    const total = w.reduce((a, b) => a + b, 0);
    const table = new AliasTable();
    table.build(w, w.length);
    const rng = new Xoshiro128StarStar(4);
    const n = 200_000;
    const counts = new Array(w.length).fill(0);
    for (let i = 0; i < n; i++) counts[table.draw(rng)]++;
    expect(counts[1]).toBe(0);
    expect(counts[6]).toBe(0);
    // 5 degrees of freedom (6 non-zero cells): the 0.1 % critical value is 20.5.
    expect(chiSquare(counts, w.map((v) => v / total), n)).toBeLessThan(20.5);
  });

  it('can be rebuilt with a different size', () => {
    const table = new AliasTable();
    table.build([1, 1, 1, 1, 1], 5);
    table.build([0, 1], 2);
    const rng = new Xoshiro128StarStar(5);
    for (let i = 0; i < 100; i++) expect(table.draw(rng)).toBe(1);
  });
});

describe('systematicIndices', () => {
  it('gives each index a count within 1 of n·p, in sorted order', () => {
    const w = [0.1, 0.25, 0, 0.4, 0.25];
    const n = 1000;
    const cdf = new Float64Array(w.length);
    buildCdf(w, w.length, cdf);
    const out = new Int32Array(n);
    systematicIndices(cdf, n, new Xoshiro128StarStar(6), out);
    const counts = new Array(w.length).fill(0);
    for (let i = 0; i < n; i++) {
      counts[out[i]]++;
      if (i > 0) expect(out[i]).toBeGreaterThanOrEqual(out[i - 1]);
    }
    w.forEach((p, i) => expect(Math.abs(counts[i] - p * n)).toBeLessThanOrEqual(1));
  });
});

/** A block index over blocks of 256 weights, as a caller without pairwise leaves would build it. */
function blockCdfOf(weights: ArrayLike<number>, n: number): BlockCdf {
  const nb = Math.ceil(n / 256);
  const starts = Int32Array.from({ length: nb + 1 }, (_, b) => Math.min(n, 256 * b));
  const sums = Float64Array.from({ length: nb }, (_, b) => sumRange(weights, starts[b], starts[b + 1]));
  const cdf = new BlockCdf();
  cdf.build(weights, starts, sums, nb);
  return cdf;
}

describe('BlockCdf', () => {
  it('reproduces inverse_cdf_choice', () => {
    const { p, uniforms, indices } = vectors.inverse_cdf_choice;
    const b = blockCdfOf(p, p.length);
    expect(uniforms.map((u: number) => b.indexFor(u))).toEqual(indices);
  });

  it('agrees with the full CDF across many blocks and skips zero weights', () => {
    const rng = new Xoshiro128StarStar(8);
    const n = 5000;
    const w = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : rng.nextDouble() ** 4));
    const cdf = new Float64Array(n);
    buildCdf(w, n, cdf);
    const b = blockCdfOf(w, n);
    let differ = 0;
    for (let k = 0; k < 20_000; k++) {
      const u = rng.nextDouble();
      const i = b.indexFor(u);
      expect(w[i]).toBeGreaterThan(0);
      if (i !== searchSortedRight(cdf, n, u)) differ++;
    }
    // Only draws within rounding of a CDF step may differ.
    expect(differ).toBeLessThanOrEqual(2);
    expect(b.indexFor(0)).toBe(1);
    expect(w[b.indexFor(1 - 2 ** -53)]).toBeGreaterThan(0);
  });
});
