import type { RandomSource } from './rng.js';
import { sumRange } from './weighted-sums.js';

/**
 * Writes the normalised cumulative sum of `weights[0..n)` into `cdf` (NumPy `cumsum(p) / cumsum(p)[-1]`),
 * the table that {@link searchSortedRight} inverts. Returns the total.
 */
export function buildCdf(weights: ArrayLike<number>, n: number, cdf: Float64Array): number {
  let acc = 0;
  for (let i = 0; i < n; i++) {
    acc += weights[i];
    cdf[i] = acc;
  }
  const inv = 1 / acc;
  for (let i = 0; i < n; i++) cdf[i] *= inv;
  return acc;
}

/**
 * First index `i < n` with `cdf[i] > u` (NumPy `searchsorted(cdf, u, side='right')`), clamped to
 * `n − 1`. Zero-weight entries (flat steps of the CDF) are never returned for u in [0, 1).
 */
export function searchSortedRight(cdf: ArrayLike<number>, n: number, u: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid] <= u) lo = mid + 1;
    else hi = mid;
  }
  return lo < n ? lo : n - 1;
}

/**
 * Walker/Vose alias table over `n` weights: O(n) to build, then O(1) per draw with one uniform double.
 * Buffers are reused across builds, so resampling the particle cloud allocates nothing once warm.
 */
export class AliasTable {
  private prob = new Float64Array(0);
  private alias = new Int32Array(0);
  private work = new Int32Array(0);
  private size = 0;

  /** Builds the table for `weights[0..n)` (non-negative, positive sum). */
  build(weights: ArrayLike<number>, n: number): void {
    if (this.prob.length < n) {
      this.prob = new Float64Array(n);
      this.alias = new Int32Array(n);
      this.work = new Int32Array(n);
    }
    this.size = n;
    const prob = this.prob;
    const alias = this.alias;
    const work = this.work;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i];
    const scale = n / total;
    // Small entries stack up from the front of `work`, large ones from the back.
    let small = 0;
    let large = n;
    for (let i = 0; i < n; i++) {
      const p = weights[i] * scale;
      prob[i] = p;
      alias[i] = i;
      if (p < 1) work[small++] = i;
      else work[--large] = i;
    }
    let s = 0;
    let l = large;
    while (s < small && l < n) {
      const si = work[s++];
      const li = work[l];
      alias[si] = li;
      const rest = prob[li] + prob[si] - 1;
      prob[li] = rest;
      if (rest < 1) {
        // `li` turns small: it leaves the large stack and takes the freed slot of the small one.
        l++;
        work[--s] = li;
      }
    }
    // Leftovers differ from 1 only by rounding; they alias themselves (set above).
    while (s < small) prob[work[s++]] = 1;
    while (l < n) prob[work[l++]] = 1;
  }

  /** One index drawn with probability proportional to its weight. */
  draw(rng: RandomSource): number {
    const x = rng.nextDouble() * this.size;
    const i = x | 0;
    // `take` is 1 when the fraction x − i reaches prob[i] (both in [0, 1], so 1 + difference is in
    // [0, 2) and truncates to the comparison): the select is arithmetic, because a branch here is
    // unpredictable and costs more than the rest of the draw. Rounding can flip it only when the two
    // agree to about 1e-16, and entries without an alias alias themselves.
    const take = (1 + (x - i - this.prob[i])) | 0;
    return i ^ ((i ^ this.alias[i]) & -take);
  }
}

/**
 * Systematic resampling: `n` indices from one uniform offset and the CDF, in one sorted pass.
 * Lower variance than multinomial draws; the count of each index is within 1 of `n·p`.
 */
export function systematicIndices(cdf: ArrayLike<number>, n: number, rng: RandomSource, out: Int32Array): void {
  const u0 = rng.nextDouble();
  let j = 0;
  for (let i = 0; i < n; i++) {
    const u = (i + u0) / n;
    while (j < n - 1 && cdf[j] <= u) j++;
    out[i] = j;
  }
}

/** Block size of {@link BlockCdf}. */
const BLOCK = 256;

/**
 * Inverse-CDF sampling for a few draws from many weights: stores only the cumulative totals of
 * blocks of 256 weights (each block summed with independent accumulators, so building costs a
 * fraction of a full cumulative sum), then resolves a draw by a binary search over the blocks and a
 * short scan inside one. Gives the same index as `searchsorted(cumsum(w)/Σw, u, side='right')` up to
 * rounding at block boundaries, and never returns a zero-weight index.
 */
export class BlockCdf {
  private totals = new Float64Array(0);
  private nBlocks = 0;
  private n = 0;
  private total = 0;
  private w: ArrayLike<number> = [];

  /** Indexes `weights[0..n)` (kept by reference: rebuild after they change). Returns their sum. */
  build(weights: ArrayLike<number>, n: number): number {
    const nb = Math.ceil(n / BLOCK);
    if (this.totals.length < nb) this.totals = new Float64Array(nb);
    let acc = 0;
    for (let b = 0; b < nb; b++) {
      const start = b * BLOCK;
      acc += sumRange(weights, start, Math.min(n, start + BLOCK));
      this.totals[b] = acc;
    }
    this.nBlocks = nb;
    this.n = n;
    this.total = acc;
    this.w = weights;
    return acc;
  }

  /** The index drawn by the uniform `u` in [0, 1). */
  indexFor(u: number): number {
    const target = u * this.total;
    const totals = this.totals;
    const b = searchSortedRight(totals, this.nBlocks, target);
    const w = this.w;
    let acc = b > 0 ? totals[b - 1] : 0;
    const end = Math.min(this.n, (b + 1) * BLOCK);
    let lastPositive = -1;
    for (let i = b * BLOCK; i < end; i++) {
      const wi = w[i];
      if (wi > 0) {
        acc += wi;
        lastPositive = i;
        if (acc > target) return i;
      }
    }
    // Rounding left the in-block sum just short of the block total: take the block's last
    // positive weight (the block has one, or the search would not have chosen it).
    return lastPositive >= 0 ? lastPositive : this.lastPositiveBefore(b * BLOCK);
  }

  private lastPositiveBefore(i: number): number {
    for (let j = i - 1; j >= 0; j--) if (this.w[j] > 0) return j;
    return 0;
  }
}
