import { describe, expect, it } from 'vitest';
import { pairwiseLeafCoDeviation, pairwiseLeafSquaredDeviation, pairwiseLeafSum, pairwiseSum } from '../../../src/obe/core/pairwise-sum.js';
import { PairwiseTree } from '../../../src/obe/core/pairwise-tree.js';
import { Xoshiro128StarStar } from '../../../src/obe/core/rng.js';

/**
 * The leaves of NumPy's pairwise summation, summed separately and combined by the tree, give the
 * bits of `pairwiseSum` (docs/OBE-NUMERICS.md): what lets the fused loops and the thread pool split
 * a sum without changing it.
 */
describe('PairwiseTree', () => {
  const rng = new Xoshiro128StarStar(17);
  // Values of very different magnitudes, so that any change of order shows in the last bits.
  const values = Float64Array.from({ length: 5000 }, () => (rng.nextDouble() - 0.3) * 10 ** (8 * rng.nextDouble() - 4));

  it('combines the leaf sums to the bits of pairwiseSum for every length around the block boundaries', () => {
    const lengths = [0, 1, 7, 8, 9, 127, 128, 129, 135, 136, 255, 256, 257, 1000, 1031, 4096, 4999, 5000];
    for (const n of lengths) {
      const tree = new PairwiseTree(n);
      const sums = new Float64Array(tree.leafCount + 3);
      for (let k = 0; k < tree.leafCount; k++) sums[3 + k] = pairwiseLeafSum(values, tree.leafStart[k], tree.leafLength(k));
      expect(Object.is(tree.combine(sums, 3), pairwiseSum(values, 0, n)), `n = ${n}`).toBe(true);
      expect(tree.leafStart[tree.leafCount]).toBe(n);
      for (let k = 0; k < tree.leafCount; k++) expect(tree.leafLength(k)).toBeLessThanOrEqual(128);
    }
  });

  it('returns +0 for a sum of negative zeros, as NumPy', () => {
    const tree = new PairwiseTree(3);
    expect(Object.is(tree.combine(Float64Array.of(-0)), 0)).toBe(true);
  });

  it('forms squared deviations with the bits of the co-deviation of a row with itself', () => {
    const w = Float64Array.from(values, (v) => Math.abs(v));
    for (const n of [3, 8, 13, 128]) {
      expect(Object.is(pairwiseLeafSquaredDeviation(values, 0.37, w, 5, n), pairwiseLeafCoDeviation(values, 0.37, values, 0.37, w, 5, n))).toBe(true);
    }
  });
});
