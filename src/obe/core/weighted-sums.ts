/**
 * Weighted reductions over particle rows, with four independent accumulators: a plain `s += w·x`
 * loop is bound by the latency of the floating-point add (one chain), four chains run in parallel
 * and also round better (a step toward NumPy's pairwise summation).
 */

/** `Σ_j x[j]` for `j < n`. */
export function sum(x: ArrayLike<number>, n: number): number {
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
export function dot(w: ArrayLike<number>, x: ArrayLike<number>, n: number): number {
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
export function weightedCoDeviation(w: ArrayLike<number>, x: ArrayLike<number>, mx: number, y: ArrayLike<number>, my: number, n: number): number {
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
