/**
 * NumPy's pairwise summation, in NumPy's order: the sum `np.sum` (and `np.add.reduce` along a
 * contiguous float64 row, as in `np.average`) returns, bit for bit. The order is documented in
 * NumPy's source (`pairwise_sum` in the umath loops): a block of fewer than 8 values is added left
 * to right; a block of 8 to 128 values is added with 8 accumulators, one per position modulo 8,
 * started from the first 8 values, combined as `((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))`,
 * after which the values past the last multiple of 8 are added one by one; a longer range is cut at
 * half its length rounded down to a multiple of 8, and the two halves are summed the same way and
 * added. The reduction starts from its identity 0, so a sum of negative zeros is +0.
 *
 * The error grows as O(log n)·ε instead of the O(n)·ε of a running sum, and the order depends only
 * on n, never on the values: the same inputs always give the same bits. See `docs/OBE-NUMERICS.md`.
 */

/** Largest range summed by one 8-accumulator block (NumPy's `PW_BLOCKSIZE`). */
export const PAIRWISE_BLOCK_SIZE = 128;
const BLOCK_SIZE = PAIRWISE_BLOCK_SIZE;

/**
 * Where NumPy cuts a range of n > 128 values: at half its length rounded down to a multiple of 8
 * (the left part's length).
 */
export function pairwiseSplit(n: number): number {
  const half = Math.floor(n / 2);
  return half - (half % 8);
}

/**
 * `Σ x[from..from + n)` for n <= 128 (one leaf of the pairwise recursion), in NumPy's block order:
 * left to right below 8 values, else 8 accumulators. See {@link PairwiseTree} for combining leaves.
 */
export function pairwiseLeafSum(x: Float64Array, from: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += x[from + i];
    return res;
  }
  let r0 = x[from];
  let r1 = x[from + 1];
  let r2 = x[from + 2];
  let r3 = x[from + 3];
  let r4 = x[from + 4];
  let r5 = x[from + 5];
  let r6 = x[from + 6];
  let r7 = x[from + 7];
  const end = from + n - (n % 8);
  let i = from + 8;
  for (; i < end; i += 8) {
    r0 += x[i];
    r1 += x[i + 1];
    r2 += x[i + 2];
    r3 += x[i + 3];
    r4 += x[i + 4];
    r5 += x[i + 5];
    r6 += x[i + 6];
    r7 += x[i + 7];
  }
  let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
  for (; i < from + n; i++) res += x[i];
  return res;
}

/** Sums `[from, from + n)` in NumPy's order; `leaf` sums one block of at most BLOCK_SIZE. */
function rangeSum(from: number, n: number, leaf: (from: number, n: number) => number): number {
  if (n <= BLOCK_SIZE) return leaf(from, n);
  const half = pairwiseSplit(n);
  return rangeSum(from, half, leaf) + rangeSum(from + half, n - half, leaf);
}

/**
 * `Σ x[from..from + n)` added in NumPy's pairwise order (as `np.sum(x[from:from + n])`).
 * @example
 * ```ts
 * pairwiseSum(Float64Array.of(0.1, 0.2, 0.3), 0, 3); // 0.6000000000000001, as np.sum gives
 * ```
 */
export function pairwiseSum(x: Float64Array, from: number, n: number): number {
  // 0 + s: the reduction's identity, which turns a −0 sum into +0 as NumPy's does.
  return 0 + rangeSum(from, n, (f, m) => pairwiseLeafSum(x, f, m));
}

/**
 * `Σ x_j·w_j` (`np.sum(x * w)`) in NumPy's pairwise order: the bits of summing the products
 * materialised, without writing them (the rows of 100k particles do not fit in the cache).
 */
export function pairwiseDot(x: Float64Array, w: Float64Array, n: number): number {
  return 0 + rangeSum(0, n, (f, m) => pairwiseLeafDot(x, w, f, m));
}

/** `Σ x_j·w_j` over one leaf `[from, from + n)`, n <= 128, in NumPy's block order. */
export function pairwiseLeafDot(x: Float64Array, w: Float64Array, from: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = from; i < from + n; i++) res += x[i] * w[i];
    return res;
  }
  let r0 = x[from] * w[from];
  let r1 = x[from + 1] * w[from + 1];
  let r2 = x[from + 2] * w[from + 2];
  let r3 = x[from + 3] * w[from + 3];
  let r4 = x[from + 4] * w[from + 4];
  let r5 = x[from + 5] * w[from + 5];
  let r6 = x[from + 6] * w[from + 6];
  let r7 = x[from + 7] * w[from + 7];
  const end = from + n - (n % 8);
  let i = from + 8;
  for (; i < end; i += 8) {
    r0 += x[i] * w[i];
    r1 += x[i + 1] * w[i + 1];
    r2 += x[i + 2] * w[i + 2];
    r3 += x[i + 3] * w[i + 3];
    r4 += x[i + 4] * w[i + 4];
    r5 += x[i + 5] * w[i + 5];
    r6 += x[i + 6] * w[i + 6];
    r7 += x[i + 7] * w[i + 7];
  }
  let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
  for (; i < from + n; i++) res += x[i] * w[i];
  return res;
}

/**
 * `Σ (x_j − mx)·((y_j − my)·w_j)` in NumPy's pairwise order, without writing the terms: entry
 * (x, y) of the numerator of `np.cov(…, aweights=w)`, whose product `X · (X·w)ᵀ` multiplies in
 * this order (x and y may be the same row).
 */
export function pairwiseCoDeviation(x: Float64Array, mx: number, y: Float64Array, my: number, w: Float64Array, n: number): number {
  return 0 + rangeSum(0, n, (f, len) => pairwiseLeafCoDeviation(x, mx, y, my, w, f, len));
}

/** `Σ (x_j − mx)·((y_j − my)·w_j)` over one leaf `[from, from + n)`, n <= 128, in NumPy's block order. */
export function pairwiseLeafCoDeviation(x: Float64Array, mx: number, y: Float64Array, my: number, w: Float64Array, from: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = from; i < from + n; i++) res += (x[i] - mx) * ((y[i] - my) * w[i]);
    return res;
  }
  let r0 = (x[from] - mx) * ((y[from] - my) * w[from]);
  let r1 = (x[from + 1] - mx) * ((y[from + 1] - my) * w[from + 1]);
  let r2 = (x[from + 2] - mx) * ((y[from + 2] - my) * w[from + 2]);
  let r3 = (x[from + 3] - mx) * ((y[from + 3] - my) * w[from + 3]);
  let r4 = (x[from + 4] - mx) * ((y[from + 4] - my) * w[from + 4]);
  let r5 = (x[from + 5] - mx) * ((y[from + 5] - my) * w[from + 5]);
  let r6 = (x[from + 6] - mx) * ((y[from + 6] - my) * w[from + 6]);
  let r7 = (x[from + 7] - mx) * ((y[from + 7] - my) * w[from + 7]);
  const end = from + n - (n % 8);
  let i = from + 8;
  for (; i < end; i += 8) {
    r0 += (x[i] - mx) * ((y[i] - my) * w[i]);
    r1 += (x[i + 1] - mx) * ((y[i + 1] - my) * w[i + 1]);
    r2 += (x[i + 2] - mx) * ((y[i + 2] - my) * w[i + 2]);
    r3 += (x[i + 3] - mx) * ((y[i + 3] - my) * w[i + 3]);
    r4 += (x[i + 4] - mx) * ((y[i + 4] - my) * w[i + 4]);
    r5 += (x[i + 5] - mx) * ((y[i + 5] - my) * w[i + 5]);
    r6 += (x[i + 6] - mx) * ((y[i + 6] - my) * w[i + 6]);
    r7 += (x[i + 7] - mx) * ((y[i + 7] - my) * w[i + 7]);
  }
  let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
  for (; i < from + n; i++) res += (x[i] - mx) * ((y[i] - my) * w[i]);
  return res;
}

/**
 * `Σ (x_j − m)·((x_j − m)·w_j)` over one leaf `[from, from + n)`, n <= 128: the same operations and
 * bits as {@link pairwiseLeafCoDeviation} with y = x, forming the deviation once.
 */
export function pairwiseLeafSquaredDeviation(x: Float64Array, m: number, w: Float64Array, from: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = from; i < from + n; i++) {
      const d = x[i] - m;
      res += d * (d * w[i]);
    }
    return res;
  }
  let d = x[from] - m;
  let r0 = d * (d * w[from]);
  d = x[from + 1] - m;
  let r1 = d * (d * w[from + 1]);
  d = x[from + 2] - m;
  let r2 = d * (d * w[from + 2]);
  d = x[from + 3] - m;
  let r3 = d * (d * w[from + 3]);
  d = x[from + 4] - m;
  let r4 = d * (d * w[from + 4]);
  d = x[from + 5] - m;
  let r5 = d * (d * w[from + 5]);
  d = x[from + 6] - m;
  let r6 = d * (d * w[from + 6]);
  d = x[from + 7] - m;
  let r7 = d * (d * w[from + 7]);
  const end = from + n - (n % 8);
  let i = from + 8;
  for (; i < end; i += 8) {
    const d0 = x[i] - m;
    const d1 = x[i + 1] - m;
    const d2 = x[i + 2] - m;
    const d3 = x[i + 3] - m;
    const d4 = x[i + 4] - m;
    const d5 = x[i + 5] - m;
    const d6 = x[i + 6] - m;
    const d7 = x[i + 7] - m;
    r0 += d0 * (d0 * w[i]);
    r1 += d1 * (d1 * w[i + 1]);
    r2 += d2 * (d2 * w[i + 2]);
    r3 += d3 * (d3 * w[i + 3]);
    r4 += d4 * (d4 * w[i + 4]);
    r5 += d5 * (d5 * w[i + 5]);
    r6 += d6 * (d6 * w[i + 6]);
    r7 += d7 * (d7 * w[i + 7]);
  }
  let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
  for (; i < from + n; i++) {
    const dt = x[i] - m;
    res += dt * (dt * w[i]);
  }
  return res;
}
