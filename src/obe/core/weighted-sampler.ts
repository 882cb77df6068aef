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
 * One draw from an alias table (`prob`, `alias` as {@link AliasTable} builds them over `n` entries)
 * with the uniform double `u` in [0, 1).
 */
export function aliasDraw(prob: Float64Array, alias: Float64Array, n: number, u: number): number {
  const x = u * n;
  const i = x | 0;
  // `take` is 1 when the fraction x − i reaches prob[i] (both in [0, 1], so 1 + difference is in
  // [0, 2) and truncates to the comparison): the select is arithmetic, because a branch here is
  // unpredictable and costs more than the rest of the draw. Rounding can flip it only when the two
  // agree to about 1e-16, and entries without an alias alias themselves.
  const take = (1 + (x - i - prob[i])) | 0;
  return i ^ ((i ^ alias[i]) & -take);
}

/**
 * Walker/Vose alias table over `n` weights: O(n) to build, then O(1) per draw with one uniform double.
 * Buffers are reused across builds (from `allocate`, e.g. the particle pool's shared memory, so
 * that its threads can draw), so resampling the particle cloud allocates nothing once warm.
 */
export class AliasTable {
  private probBuf: Float64Array = new Float64Array(0);
  private aliasBuf: Float64Array = new Float64Array(0);
  private work = new Int32Array(0);
  private size = 0;

  constructor(private readonly allocate: (n: number) => Float64Array = (n) => new Float64Array(n)) {}

  /** Acceptance probability per entry (valid until the next build). */
  get prob(): Float64Array {
    return this.probBuf;
  }

  /** The alias of each entry, as doubles (valid until the next build). */
  get alias(): Float64Array {
    return this.aliasBuf;
  }

  /**
   * Builds the table for `weights[0..n)` (non-negative, positive sum); `total` is their sum when the
   * caller has it already.
   */
  build(weights: ArrayLike<number>, n: number, total = sumRange(weights, 0, n)): void {
    if (this.probBuf.length !== n) {
      this.probBuf = this.allocate(n);
      this.aliasBuf = this.allocate(n);
      this.work = new Int32Array(n);
    }
    this.size = n;
    const prob = this.probBuf;
    const alias = this.aliasBuf;
    const work = this.work;
    const scale = n / total;
    // Small entries stack up from the front of `work`, large ones from the back. (A branch-free
    // form, each index written to both ends, measured 25 % slower on a posterior's weights.)
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
    return aliasDraw(this.probBuf, this.aliasBuf, this.size, rng.nextDouble());
  }
}

/**
 * Systematic resampling: `n` indices from one uniform offset and the CDF, in one sorted pass, into
 * `out` (integers, or doubles for the particle pool's arrays). Lower variance than multinomial
 * draws; the count of each index is within 1 of `n·p`.
 */
export function systematicIndices(cdf: ArrayLike<number>, n: number, rng: RandomSource, out: Int32Array | Float64Array): void {
  const u0 = rng.nextDouble();
  let j = 0;
  for (let i = 0; i < n; i++) {
    const u = (i + u0) / n;
    while (j < n - 1 && cdf[j] <= u) j++;
    out[i] = j;
  }
}

/**
 * Inverse-CDF sampling for a few draws from many weights: stores only the cumulative totals of
 * blocks of consecutive weights (the engine uses the pairwise-sum leaves, whose sums its moments
 * compute anyway), then resolves a draw by a binary search over the blocks and a short scan inside
 * one. Gives the same index as `searchsorted(cumsum(w)/Σw, u, side='right')` up to rounding at
 * block boundaries, and never returns a zero-weight index.
 */
export class BlockCdf {
  private totals = new Float64Array(0);
  private starts: ArrayLike<number> = [0];
  private nBlocks = 0;
  private n = 0;
  private total = 0;
  private w: ArrayLike<number> = [];

  /**
   * Indexes `weights[0..n)` (kept by reference: rebuild after they change) given its blocks: block
   * b is `[blockStart[b], blockStart[b + 1])` with sum `blockSums[b]`, `blockStart[nBlocks] = n`.
   * Returns the total.
   */
  build(weights: ArrayLike<number>, blockStart: ArrayLike<number>, blockSums: ArrayLike<number>, nBlocks: number): number {
    if (this.totals.length < nBlocks) this.totals = new Float64Array(nBlocks);
    let acc = 0;
    for (let b = 0; b < nBlocks; b++) {
      acc += blockSums[b];
      this.totals[b] = acc;
    }
    this.starts = blockStart;
    this.nBlocks = nBlocks;
    this.n = blockStart[nBlocks];
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
    const end = this.starts[b + 1];
    let lastPositive = -1;
    for (let i = this.starts[b]; i < end; i++) {
      const wi = w[i];
      if (wi > 0) {
        acc += wi;
        lastPositive = i;
        if (acc > target) return i;
      }
    }
    // Rounding left the in-block sum just short of the block total: take the block's last
    // positive weight (the block has one, or the search would not have chosen it).
    return lastPositive >= 0 ? lastPositive : this.lastPositiveBefore(this.starts[b]);
  }

  private lastPositiveBefore(i: number): number {
    for (let j = i - 1; j >= 0; j--) if (this.w[j] > 0) return j;
    return 0;
  }
}
