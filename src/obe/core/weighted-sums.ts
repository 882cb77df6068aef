/**
 * Weighted reductions over particle rows. Each loop keeps independent accumulators: a plain
 * `s += w·x` loop is bound by the latency of the floating-point add (one chain), several chains run
 * in parallel and also round better (a step toward NumPy's pairwise summation).
 */

/** `Σ_j x[j]` for `j < n`. */
export function sum(x: Float64Array, n: number): number {
  return sumRange(x, 0, n);
}

/** `Σ_j x[j]` for `from <= j < to`. */
export function sumRange(x: ArrayLike<number>, from: number, to: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = from;
  for (; j + 3 < to; j += 4) {
    s0 += x[j];
    s1 += x[j + 1];
    s2 += x[j + 2];
    s3 += x[j + 3];
  }
  for (; j < to; j++) s0 += x[j];
  return s0 + s1 + (s2 + s3);
}

/** `Σ_j w[j]·x[j]` for `j < n`. */
export function dot(w: Float64Array, x: Float64Array, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    s0 += w[j] * x[j];
    s1 += w[j + 1] * x[j + 1];
    s2 += w[j + 2] * x[j + 2];
    s3 += w[j + 3] * x[j + 3];
  }
  for (; j < n; j++) s0 += w[j] * x[j];
  return s0 + s1 + (s2 + s3);
}

/** `Σ_j w[j]·(x[j] − mx)·(y[j] − my)` for `j < n` (x and y may be the same row). */
export function weightedCoDeviation(w: Float64Array, x: Float64Array, mx: number, y: Float64Array, my: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    s0 += w[j] * (x[j] - mx) * (y[j] - my);
    s1 += w[j + 1] * (x[j + 1] - mx) * (y[j + 1] - my);
    s2 += w[j + 2] * (x[j + 2] - mx) * (y[j + 2] - my);
    s3 += w[j + 3] * (x[j + 3] - mx) * (y[j + 3] - my);
  }
  for (; j < n; j++) s0 += w[j] * (x[j] - mx) * (y[j] - my);
  return s0 + s1 + (s2 + s3);
}

/**
 * One pass over a row for its weighted mean and population variance about a shift `k`: writes
 * `Σw`, `Σw·d` and `Σw·d²` with `d = x − k` into `out[0..3)`. The caller forms
 * `mean = k + Σw·d / Σw` and `var = (Σw·d² − (Σw·d)²/Σw) / Σw`, the corrected two-pass formula: exact
 * up to rounding for any k, and as accurate as two passes when k is close to the mean.
 */
export function shiftedMoments(w: Float64Array, x: Float64Array, k: number, n: number, out: Float64Array): void {
  let w0 = 0;
  let w1 = 0;
  let a0 = 0;
  let a1 = 0;
  let b0 = 0;
  let b1 = 0;
  let j = 0;
  for (; j + 1 < n; j += 2) {
    const u = w[j];
    const v = w[j + 1];
    const d = x[j] - k;
    const e = x[j + 1] - k;
    const ud = u * d;
    const ve = v * e;
    w0 += u;
    w1 += v;
    a0 += ud;
    a1 += ve;
    b0 += ud * d;
    b1 += ve * e;
  }
  if (j < n) {
    const u = w[j];
    const d = x[j] - k;
    w0 += u;
    a0 += u * d;
    b0 += u * d * d;
  }
  out[0] = w0 + w1;
  out[1] = a0 + a1;
  out[2] = b0 + b1;
}
