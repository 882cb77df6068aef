import type { RandomSource } from './rng.js';
import { searchSortedRight } from './weighted-sampler.js';

/** How `getSetting` chooses (the original's `selection_method`). */
export type SelectionMethod = 'optimal' | 'good' | 'random';

/** All selection method names. */
export const SELECTION_METHODS: readonly SelectionMethod[] = ['optimal', 'good', 'random'];

/**
 * Index of the largest utility, first on ties, NaN ignored (NumPy would pick the NaN). Returns −1
 * when every entry is NaN.
 */
export function argmaxUtility(u: ArrayLike<number>): number {
  let best = -1;
  let max = -Infinity;
  for (let g = 0; g < u.length; g++) {
    const v = u[g];
    if (v > max || (best < 0 && v === -Infinity)) {
      max = v;
      best = g;
    }
  }
  return best;
}

/** Integer pickiness up to this is raised by products, not `Math.pow` (a call out to C in V8). */
const MAX_PRODUCT_POWER = 64;

/** `x^p` for an integer p >= 1 by repeated squaring: within a few ulp of `Math.pow`, several times as fast. */
function integerPower(x: number, p: number): number {
  let result = 1;
  let base = x;
  for (let e = p; e > 0; e >>= 1) {
    if (e & 1) result *= base;
    base *= base;
  }
  return result;
}

/**
 * The probabilities with which `good_setting` picks each grid point: `u^p / Σ u^p`, computed as
 * `(u / max u)^p` so that nothing under- or overflows whatever the scale of u or the size of p
 * (B5); an integer p up to 64 by products. NaN and non-positive utilities get probability 0;
 * if no utility is positive, or p = 0, the choice is uniform over the non-NaN entries. Writes
 * into `out` and returns the number of entries with a defined (non-NaN) utility (0 means no
 * defined choice).
 */
export function goodSettingProbabilities(u: ArrayLike<number>, pickiness: number, out: Float64Array): number {
  const g = u.length;
  let max = -Infinity;
  let defined = 0;
  for (let i = 0; i < g; i++) {
    const v = u[i];
    if (v === v) {
      defined++;
      if (v > max) max = v;
    }
  }
  let sum = 0;
  if (pickiness === 0 || !(max > 0)) {
    for (let i = 0; i < g; i++) out[i] = u[i] === u[i] ? 1 : 0;
    sum = defined;
  } else if (max === Infinity) {
    for (let i = 0; i < g; i++) sum += out[i] = u[i] === Infinity ? 1 : 0;
  } else {
    const inv = 1 / max;
    const byProducts = Number.isInteger(pickiness) && pickiness > 0 && pickiness <= MAX_PRODUCT_POWER;
    for (let i = 0; i < g; i++) {
      const v = u[i];
      sum += out[i] = v > 0 ? (byProducts ? integerPower(v * inv, pickiness) : Math.pow(v * inv, pickiness)) : 0;
    }
  }
  if (sum > 0) for (let i = 0; i < g; i++) out[i] /= sum;
  return defined;
}

/** Draws an index from normalised probabilities by inverse CDF; `cdf` is scratch of the same length. */
export function drawFromProbabilities(p: ArrayLike<number>, rng: RandomSource, cdf: Float64Array): number {
  const n = p.length;
  let acc = 0;
  for (let i = 0; i < n; i++) cdf[i] = acc += p[i];
  return searchSortedRight(cdf, n, rng.nextDouble() * acc);
}
