/**
 * The particle reductions of the moments and of the update's normalisation, one leaf of NumPy's
 * pairwise summation at a time ({@link PairwiseTree}, docs/OBE-NUMERICS.md): each function walks the
 * leaves `[k0, k1)` once and writes one partial sum per leaf and per reduction into
 * `out[r · leafCount + k]`, the layout {@link PairwiseTree.combine} reads with offset
 * `r · leafCount`. Summing every reduction of a leaf while the leaf is in the L1 cache reads each
 * array once instead of once per reduction; and since a leaf's sum does not depend on who computes
 * it, the leaves can be split between threads (`parallel/`) without changing a bit.
 */

import { pairwiseLeafCoDeviation, pairwiseLeafDot, pairwiseLeafSquaredDeviation, pairwiseLeafSum } from './pairwise-sum.js';
import type { PairwiseTree } from './pairwise-tree.js';

/**
 * Reductions of `np.average(rows, axis=1, weights=w)` per leaf: `Σ x_d·w` into reduction `d`
 * (d < D), and, when `withWeightSum`, `Σ w` into reduction D.
 */
export function weightedRowLeaves(
  tree: PairwiseTree,
  rows: readonly Float64Array[],
  w: Float64Array,
  withWeightSum: boolean,
  k0: number,
  k1: number,
  out: Float64Array,
): void {
  const starts = tree.leafStart;
  const nl = tree.leafCount;
  const d = rows.length;
  for (let k = k0; k < k1; k++) {
    const from = starts[k];
    const len = starts[k + 1] - from;
    for (let r = 0; r < d; r++) out[r * nl + k] = pairwiseLeafDot(rows[r], w, from, len);
    if (withWeightSum) out[d * nl + k] = pairwiseLeafSum(w, from, len);
  }
}

/**
 * Co-deviations per leaf: for each pair p (`pairs[2p]`, `pairs[2p + 1]` = rows a, b), reduction p
 * is `Σ (x_a − mean_a)·((x_b − mean_b)·w)`, the numerator of `np.cov` with `aweights` (and of the
 * centred std when a = b); when `withSquares`, reduction `pairs.length / 2` is `Σ w·w`.
 */
export function coDeviationLeaves(
  tree: PairwiseTree,
  rows: readonly Float64Array[],
  mean: Float64Array,
  w: Float64Array,
  pairs: Int32Array,
  withSquares: boolean,
  k0: number,
  k1: number,
  out: Float64Array,
): void {
  const starts = tree.leafStart;
  const nl = tree.leafCount;
  const np = pairs.length >> 1;
  for (let k = k0; k < k1; k++) {
    const from = starts[k];
    const len = starts[k + 1] - from;
    for (let p = 0; p < np; p++) {
      const a = pairs[2 * p];
      const b = pairs[2 * p + 1];
      out[p * nl + k] = a === b ? pairwiseLeafSquaredDeviation(rows[a], mean[a], w, from, len) : pairwiseLeafCoDeviation(rows[a], mean[a], rows[b], mean[b], w, from, len);
    }
    if (withSquares) out[np * nl + k] = pairwiseLeafDot(w, w, from, len);
  }
}

/**
 * The update's normalisation per leaf: `w_j = tmp_j / total` (a division, as NumPy divides), then
 * `Σ w_j²` of the leaf into reduction 0, while the leaf is still in cache.
 */
export function normaliseLeaves(tree: PairwiseTree, tmp: Float64Array, total: number, w: Float64Array, k0: number, k1: number, out: Float64Array): void {
  const starts = tree.leafStart;
  for (let k = k0; k < k1; k++) {
    const from = starts[k];
    const to = starts[k + 1];
    for (let j = from; j < to; j++) w[j] = tmp[j] / total;
    out[k] = pairwiseLeafDot(w, w, from, to - from);
  }
}
