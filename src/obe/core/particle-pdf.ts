import { factorCovariance } from './covariance-factor.js';
import { InvalidArgumentError, ShapeMismatchError, ZeroWeightsError } from './errors.js';
import { expNonPositive } from './fast-exp.js';
import { resolveRandomSource, type RandomSource } from './rng.js';
import { AliasTable, BlockCdf, buildCdf, systematicIndices } from './weighted-sampler.js';
import { coDeviationLeaves, normaliseLeaves, weightedRowLeaves } from './leaf-reductions.js';
import { pairwiseDot, pairwiseSum } from './pairwise-sum.js';
import { PairwiseTree } from './pairwise-tree.js';
import { resampleBlockCount, resampleMoves, resampleNormals, ResampleScratch } from './resample-blocks.js';
import type { ParticlePool } from './parallel/particle-pool.js';
import { dot, sum } from './weighted-sums.js';

/** Particle samples, parameter-major: `D` rows of `N` values (`samples[d][j]` = parameter d of particle j). */
export type ParticleSamples = readonly ArrayLike<number>[];

/**
 * How {@link ParticlePDF.resample} draws the surviving particles: `'multinomial'` (the original's
 * independent draws, via an alias table) or `'systematic'` (one sorted pass, lower variance).
 */
export type ResampleScheme = 'multinomial' | 'systematic';

/**
 * The arithmetic of the Bayesian update inside `pdfUpdate` (see `docs/OBE-NUMERICS.md`):
 * - `'original'` (default): the original's formulas in the original's order: `L` with `Math.exp`,
 *   `w·L`, NumPy's pairwise sum, `w·L / Σ`; the weights equal NumPy's up to the last bit of `exp`.
 *   Log space only where that result would be all zeros or not finite (B4; counted in
 *   {@link ParticlePDF.stats}).
 * - `'fast'`: one-channel updates without choke fuse the model, the likelihood and the product in
 *   one sweep, in log space against an a-priori bound, with a table-based `exp` (about 1 ulp) and
 *   weights left unnormalised between reads; other updates run in log space with a max shift.
 *   Faster, but the weights differ from NumPy's in the last bits.
 */
export type UpdateArithmetic = 'original' | 'fast';

/** Counters of {@link ParticlePDF.stats}. */
export interface ParticlePdfStats {
  /** Bayesian updates applied. */
  readonly updates: number;
  /**
   * Of those, the updates that ran in log space because the original's direct arithmetic would
   * have left every weight zero or not finite (bug B4: every likelihood underflowing, say).
   */
  readonly logSpaceUpdates: number;
  /** Resamples. */
  readonly resamples: number;
}

/** Why the last {@link ParticlePDF.resampleTest} resampled. */
export type ResampleReason = 'none' | 'rejected-90' | 'threshold';

/**
 * The mutable tuning parameters (the original's `tuning_parameters` dict). Change them at any time;
 * they are read when used.
 */
export interface TuningParameters {
  /** Liu–West a; the resampling nudge has covariance (1 − a²)·cov. In [0, 1]. Default 0.98. */
  aParam: number;
  /** Resample when N_eff / N drops below this (strict). Default 0.5. */
  resampleThreshold: number;
  /** Run {@link ParticlePDF.resampleTest} after every Bayesian update. Default true. */
  autoResample: boolean;
  /** Contract resampled particles toward the mean (`a·x + (1 − a)·mean`). Default true. */
  scale: boolean;
  /** Resampling scheme. Default `'multinomial'`. */
  resampleScheme: ResampleScheme;
  /** The arithmetic of `pdfUpdate`. Default `'original'`. */
  arithmetic: UpdateArithmetic;
}

/** Options of {@link ParticlePDF}. `rng` wins over `seed`; with neither, the seed comes from OS entropy. */
export interface ParticlePdfOptions extends Partial<TuningParameters> {
  /** An injected random source. */
  rng?: RandomSource;
  /** Seed of a fresh {@link Xoshiro128StarStar}. */
  seed?: number | bigint;
  /**
   * A particle pool: the per-particle arrays live in its shared memory, and with the default
   * arithmetic the particle loops are split between its threads once N reaches
   * `poolMinParticles`. The results are the same bits for any pool size (docs/OBE-NUMERICS.md,
   * "The particle pool"). The PDF does not close the pool.
   */
  pool?: ParticlePool;
  /** Smallest N for which the pool is used. Default {@link DEFAULT_POOL_MIN_PARTICLES}. */
  poolMinParticles?: number;
}

/**
 * Below this many particles a pool is not used: handing a call to the other threads and waiting for
 * them costs more than it saves (measured crossover, docs/OBE-NUMERICS.md).
 */
export const DEFAULT_POOL_MIN_PARTICLES = 20_000;

const NO_INTS: readonly number[] = [];
const EMPTY = new Float64Array(0);
const NO_ROWS: readonly Float64Array[] = [];

/** Default tuning parameters, as in the original. */
export const DEFAULT_TUNING: Readonly<TuningParameters> = Object.freeze({
  aParam: 0.98,
  resampleThreshold: 0.5,
  autoResample: true,
  scale: true,
  resampleScheme: 'multinomial',
  arithmetic: 'original',
});

/**
 * One entry of the original's `nan_to_num(w·L)`: NaN becomes 0, +∞ the largest double; a negative
 * product (a negative likelihood) becomes 0 as well, where the original kept it.
 */
export function nanToNumProduct(w: number, l: number): number {
  const v = w * l;
  return v > 0 ? (v < Infinity ? v : Number.MAX_VALUE) : 0;
}

function copyRows(samples: ParticleSamples, what: string, alloc: (n: number) => Float64Array): { rows: Float64Array[]; n: number } {
  const d = samples.length;
  if (d === 0) throw new ShapeMismatchError(`${what} needs at least one parameter row`);
  const n = samples[0].length;
  if (n === 0) throw new ShapeMismatchError(`${what} needs at least one particle`);
  const rows = samples.map((row, i) => {
    if (row.length !== n) throw new ShapeMismatchError(`${what} row ${i} has ${row.length} values, row 0 has ${n}`);
    const r = alloc(n);
    for (let j = 0; j < n; j++) {
      r[j] = row[j];
      if (!Number.isFinite(r[j])) throw new InvalidArgumentError(`${what} value [${i}][${j}] is ${r[j]}`);
    }
    return r;
  });
  return { rows, n };
}

/**
 * A probability distribution over model parameters, represented by weighted particles
 * (optbayesexpt's `ParticlePDF`, spec §1). Particles are stored parameter-major as `Float64Array`s.
 *
 * The update, the mean, the covariance and the effective sample size use the original's formulas
 * in NumPy's order (sums in NumPy's pairwise order, divisions where NumPy divides), so the same
 * inputs give NumPy's bits; see `docs/OBE-NUMERICS.md`. Differences from the original, all
 * deliberate: an update whose direct result would be all zeros or not finite runs in log space
 * instead of zeroing the weights (B4; counted in {@link stats}); an update that would leave no weight
 * throws {@link ZeroWeightsError} and keeps the previous weights; negative likelihoods count as 0;
 * `std` is computed about the mean, never from raw sums of squares (B6); the covariance adds its
 * products in pairwise order rather than through BLAS; resampling draws with an alias table
 * instead of a cumulative sum per draw; the RNG is injectable and seedable.
 *
 * Arrays returned by {@link particles} and {@link weights} are live views owned by the PDF: do not
 * write into them (derived values such as the mean and the sampling tables are cached; use
 * {@link setPdf} / {@link setWeights}), and copy them before the next mutating call
 * (`pdfUpdate`, `resample`, `setPdf`) if you keep them.
 *
 * @example
 * ```ts
 * const pdf = new ParticlePDF([[0, 1, 2, 3], [1, 3, 2, 4]], { seed: 1 });
 * pdf.mean();        // Float64Array [1.5, 2.5]
 * pdf.covariance();  // [[5/3, 4/3], [4/3, 5/3]]
 * ```
 */
export class ParticlePDF {
  /** Mutable tuning parameters. */
  readonly tuningParameters: TuningParameters;
  /** The random source of randdraw, resampling and setting selection. */
  readonly rng: RandomSource;
  /** Whether the last {@link resampleTest} resampled. `setPdf` does not reset it (as in the original). */
  justResampled = false;
  /** Why the last {@link resampleTest} resampled (`'rejected-90'` is the original's RuntimeWarning case). */
  lastResampleReason: ResampleReason = 'none';
  /** Number of resamples so far. */
  resampleCount = 0;
  private updateCount = 0;
  private logSpaceCount = 0;

  private rows: Float64Array[] = [];
  private spare: Float64Array[] | undefined;
  /** The stored weights: proportional to the normalised ones, summing to `wTotal`. */
  private w: Float64Array = new Float64Array(0);
  private tmp: Float64Array = new Float64Array(0);
  private wTotal = 1;
  private wNormalised = true;
  /** The normalised copy that {@link weights} hands out while the stored weights are not normalised. */
  private normalised: Float64Array = new Float64Array(0);
  private normalisedVersion = -1;
  private nParams = 0;
  private nParts = 0;
  private weightsVersion = 0;
  private nEff = 0;
  private meanVersion = -1;
  private stdVersion = -1;
  private weightSumVersion = -1;
  private weightSumValue = 0;
  /** Pairwise leaf sums of the normalised weights (see {@link currentWeightLeaves}). */
  private weightLeaves: Float64Array = new Float64Array(0);
  private weightLeavesVersion = -1;
  private stdBuf: Float64Array = new Float64Array(0);
  private nEffVersion = -1;
  private particleVersion = 0;
  private cdfVersion = -1;
  private cdf: Float64Array = new Float64Array(0);
  private readonly alias = new AliasTable((n) => this.allocate(n));
  private readonly blockCdf = new BlockCdf();
  private blockCdfVersion = -1;
  private meanBuf: Float64Array = new Float64Array(0);
  private covBuf: Float64Array = new Float64Array(0);
  private factorBuf: Float64Array = new Float64Array(0);
  /** Systematic resampling's indices as doubles, in the pool's memory when there is a pool. */
  private drawnBuf: Float64Array = new Float64Array(0);
  private readonly resampleScratch = new ResampleScratch();
  /** Resampling's normals, `D` rows of N (pool memory when there is a pool). */
  private noise: Float64Array[] = [];
  /** The shape of NumPy's pairwise sums over N (leaves and their order), rebuilt when N changes. */
  private tree: PairwiseTree = new PairwiseTree(0);
  /** Leaf sums of the fused reductions, `reductions × leafCount`. */
  private leafBuf: Float64Array = new Float64Array(0);
  /** The (a, b) row pairs of the covariance (every pair) and of the std (the diagonal). */
  private covPairs: Int32Array = new Int32Array(0);
  private diagPairs: Int32Array = new Int32Array(0);

  /** The particle pool, when one was given. */
  protected readonly pool: ParticlePool | undefined;
  /** The pool arrays this PDF holds (see {@link dispose}). */
  private readonly owned = new Set<Float64Array>();
  private readonly poolMin: number;

  constructor(prior: ParticleSamples, options: ParticlePdfOptions = {}) {
    this.pool = options.pool;
    this.poolMin = options.poolMinParticles ?? DEFAULT_POOL_MIN_PARTICLES;
    this.tuningParameters = {
      aParam: options.aParam ?? DEFAULT_TUNING.aParam,
      resampleThreshold: options.resampleThreshold ?? DEFAULT_TUNING.resampleThreshold,
      autoResample: options.autoResample ?? DEFAULT_TUNING.autoResample,
      scale: options.scale ?? DEFAULT_TUNING.scale,
      resampleScheme: options.resampleScheme ?? DEFAULT_TUNING.resampleScheme,
      arithmetic: options.arithmetic ?? DEFAULT_TUNING.arithmetic,
    };
    this.rng = resolveRandomSource(options.rng, options.seed);
    this.installParticles(prior, undefined);
  }

  /** Number of model parameters D. */
  get nDims(): number {
    return this.nParams;
  }

  /** Number of particles N. */
  get nParticles(): number {
    return this.nParts;
  }

  /** The particles, `D` live rows of length `N`. */
  get particles(): readonly Float64Array[] {
    return this.rows;
  }

  /**
   * The normalised weights, length `N`: the stored weights themselves when they are normalised,
   * else a normalised copy kept until they next change. Reading never changes the stored weights,
   * so reads cannot change the bits of later updates or reads, whatever their order (the engine's
   * snapshot answers reads before later commands run). Do not write to the array.
   */
  get weights(): Float64Array {
    if (this.wNormalised) return this.w;
    if (this.normalisedVersion !== this.weightsVersion) {
      const n = this.nParts;
      if (this.normalised.length !== n) this.normalised = this.allocate(n);
      const inv = 1 / this.wTotal;
      const w = this.w;
      const out = this.normalised;
      for (let j = 0; j < n; j++) out[j] = w[j] * inv;
      this.normalisedVersion = this.weightsVersion;
    }
    return this.normalised;
  }

  /**
   * The stored weights, proportional to {@link weights} (their sum is not 1, but never below
   * 1e-100): the update leaves them unnormalised, because normalising costs a pass over N that most
   * steps never need, and everything inside the PDF is invariant to their scale.
   */
  protected get rawWeights(): Float64Array {
    return this.w;
  }

  /** Scales the stored weights to sum 1; returns `Σw²` of the result and caches n_eff from it. */
  private normaliseWeights(): number {
    const w = this.w;
    const n = this.nParts;
    const inv = 1 / this.wTotal;
    let sq0 = 0;
    let sq1 = 0;
    let j = 0;
    for (; j + 1 < n; j += 2) {
      const a = w[j] * inv;
      const b = w[j + 1] * inv;
      w[j] = a;
      w[j + 1] = b;
      sq0 += a * a;
      sq1 += b * b;
    }
    for (; j < n; j++) {
      const a = w[j] * inv;
      w[j] = a;
      sq0 += a * a;
    }
    this.wTotal = 1;
    this.wNormalised = true;
    // The values changed (the sampling tables hold absolute sums), the distribution did not.
    this.weightsVersion++;
    const sq = sq0 + sq1;
    this.nEff = 1 / sq;
    this.nEffVersion = this.weightsVersion;
    return sq;
  }

  /**
   * Increases whenever the particle coordinates change (resample, `setPdf`): caches derived from
   * particle values (e.g. per-particle log σ) key on it.
   */
  get particlesVersion(): number {
    return this.particleVersion;
  }

  /**
   * Replaces the particles (copied) and the weights: uniform when omitted, otherwise normalised to
   * sum 1. `justResampled` is left as it was, as in the original.
   * @throws {@link ShapeMismatchError} for ragged rows or a weight count that differs from N;
   *   {@link InvalidArgumentError} for non-finite values or negative weights;
   *   {@link ZeroWeightsError} if the weights sum to 0.
   */
  setPdf(samples: ParticleSamples, weights?: ArrayLike<number>): void {
    this.installParticles(samples, weights);
  }

  /**
   * Replaces the weights (normalised to sum 1) and keeps the particles.
   * @throws as {@link setPdf}.
   */
  setWeights(weights: ArrayLike<number>): void {
    const normalised = this.checkWeights(weights, this.nParts, (n) => new Float64Array(n));
    this.w.set(normalised);
    this.wTotal = 1;
    this.wNormalised = true;
    this.weightsVersion++;
  }

  private checkWeights(weights: ArrayLike<number>, n: number, alloc: (n: number) => Float64Array): Float64Array {
    if (weights.length !== n) throw new ShapeMismatchError(`got ${weights.length} weights for ${n} particles`);
    const out = alloc(n);
    for (let j = 0; j < n; j++) {
      const v = weights[j];
      if (!(v >= 0) || v === Infinity) throw new InvalidArgumentError(`weight ${j} is ${v}; weights must be finite and >= 0`);
      out[j] = v;
    }
    // weights / np.sum(weights), as the original's set_pdf.
    const sum = pairwiseSum(out, 0, n);
    if (!(sum > 0)) throw new ZeroWeightsError('the weights sum to 0');
    for (let j = 0; j < n; j++) out[j] /= sum;
    return out;
  }

  private installParticles(samples: ParticleSamples, weights: ArrayLike<number> | undefined): void {
    const alloc = (len: number): Float64Array => this.allocate(len);
    const { rows, n } = copyRows(samples, 'particle samples', alloc);
    const w = weights === undefined ? alloc(n).fill(1 / n) : this.checkWeights(weights, n, alloc);
    const d = rows.length;
    const reshaped = d !== this.nParams || n !== this.nParts;
    // The replaced rows and weights go back to the pool (their live views were valid until now).
    this.giveBack([...this.rows, this.w]);
    this.rows = rows;
    if (reshaped) this.spare = undefined;
    this.w = w;
    this.wTotal = 1;
    this.wNormalised = true;
    this.nParams = d;
    this.nParts = n;
    if (reshaped) {
      this.stdBuf = new Float64Array(d);
      this.tmp = this.allocate(n);
      this.cdf = new Float64Array(n);
      this.meanBuf = this.allocate(d);
      this.covBuf = new Float64Array(d * d);
      this.factorBuf = this.allocate(d * d);
      this.tree = new PairwiseTree(n);
      this.leafBuf = this.allocate((d * d + d + 2) * this.tree.leafCount);
      this.weightLeaves = this.allocate(this.tree.leafCount);
      this.covPairs = Int32Array.from({ length: 2 * d * d }, (_, i) => (i % 2 === 0 ? (i >> 1) / d : (i >> 1) % d) | 0);
      this.diagPairs = Int32Array.from({ length: 2 * d }, (_, i) => i >> 1);
    }
    this.weightsVersion++;
    this.particleVersion++;
    this.particlesReplaced(reshaped);
  }

  /** A zero-filled array of n doubles, in the pool's shared memory when there is a pool. */
  protected allocate(n: number): Float64Array {
    if (this.pool === undefined) return new Float64Array(n);
    const a = this.pool.allocate(n);
    this.owned.add(a);
    return a;
  }

  /** Gives arrays from {@link allocate} that this PDF no longer uses back to the pool. */
  protected giveBack(arrays: Iterable<Float64Array | undefined>): void {
    if (this.pool === undefined) return;
    const back: Float64Array[] = [];
    for (const a of arrays) if (a !== undefined && this.owned.delete(a)) back.push(a);
    this.pool.recycle(back);
  }

  /**
   * Gives the PDF's shared memory back to its pool, for the next engine (the OBE server calls it
   * when a run ends). The PDF must not be used afterwards. A no-op without a pool.
   */
  dispose(): void {
    this.giveBack([...this.owned]);
  }

  /**
   * The pool when the particle loops should use it: there is one, N reaches `poolMinParticles`, and
   * the stored weights are normalised (the default arithmetic).
   */
  protected activePool(): ParticlePool | undefined {
    return this.pool !== undefined && this.nParts >= this.poolMin && this.wNormalised ? this.pool : undefined;
  }

  /**
   * Called after `setPdf` (and construction) replaced the particles; `reshaped` tells whether N or D
   * changed. Subclasses resize their scratch buffers here.
   */
  protected particlesReplaced(_reshaped: boolean): void {}

  /**
   * Weighted mean of each parameter, `Σ w x / Σ w` (length D, a new array), as the original's
   * `np.average(particles, axis=1, weights=w)` computes it: both sums in NumPy's pairwise order,
   * then one division.
   */
  mean(): Float64Array {
    return this.computeMean().slice(0, this.nParams);
  }

  /**
   * `Σ_j w_j` of the normalised weights `w` (this.weights), pairwise (np.average's `scl`); one
   * pass per weight state, shared by the mean, the std and the covariance.
   */
  private weightSum(): number {
    if (this.weightSumVersion !== this.weightsVersion) {
      this.weightSumValue = this.tree.combine(this.currentWeightLeaves(), 0);
      this.weightSumVersion = this.weightsVersion;
    }
    return this.weightSumValue;
  }

  /**
   * The pairwise leaf sums of the normalised weights (this.weights), one pass per weight state,
   * unless the mean's pass already left them: the leaves of {@link weightSum} and the blocks of the
   * draw index ({@link drawIndices}). On this thread even with a pool: one sum per weight is less
   * work than handing it over (`randdraw` at 100 000 particles took 0.11-0.14 ms through the pool
   * against 0.09 ms without).
   */
  private currentWeightLeaves(): Float64Array {
    if (this.weightLeavesVersion !== this.weightsVersion) {
      weightedRowLeaves(this.tree, NO_ROWS, this.weights, true, 0, this.tree.leafCount, this.weightLeaves);
      this.weightLeavesVersion = this.weightsVersion;
    }
    return this.weightLeaves;
  }

  /**
   * The mean into `meanBuf`, cached until the weights or particles change: `Σw` and every row's
   * `Σ x·w` in one pass, leaf by leaf ({@link weightedRowLeaves}), each sum in NumPy's order.
   */
  private computeMean(): Float64Array {
    const mean = this.meanBuf;
    if (this.meanVersion === this.weightsVersion) return mean;
    const w = this.weights;
    const d = this.nParams;
    const tree = this.tree;
    const nl = tree.leafCount;
    const out = this.leafBuf;
    const needSum = this.weightLeavesVersion !== this.weightsVersion;
    const pool = this.activePool();
    if (pool !== undefined) pool.run('weightedRows', nl, { arrays: [w, out, ...this.rows], ints: NO_INTS, numbers: [this.nParts, needSum ? 1 : 0] });
    else weightedRowLeaves(tree, this.rows, w, needSum, 0, nl, out);
    if (needSum) {
      this.weightLeaves.set(out.subarray(d * nl, d * nl + nl));
      this.weightLeavesVersion = this.weightsVersion;
    }
    const sw = this.weightSum();
    for (let r = 0; r < d; r++) mean[r] = tree.combine(out, r * nl) / sw;
    this.meanVersion = this.weightsVersion;
    return mean;
  }

  /**
   * Weighted covariance with NumPy's `aweights`/`ddof=1` normalisation,
   * `Σ w (x_a − x̄_a)(x_b − x̄_b) / (V1 − V2/V1)`, as `D` rows of length D (always 2-D), in
   * `np.cov`'s operations: `fact = V1 − V2/V1` from pairwise sums, entry (a, b) the sum of
   * `(x_a − x̄_a)·((x_b − x̄_b)·w)` (in pairwise order; NumPy hands this product to BLAS, whose
   * order depends on the BLAS build), times `1/fact`. When all weight sits on one particle
   * (V1 − V2/V1 = 0, e.g. N = 1) the spread is zero and so is the result (NumPy returned inf/NaN).
   */
  covariance(): Float64Array[] {
    const d = this.nParams;
    const flat = this.computeCovariance(this.computeMean(), this.covBuf);
    return Array.from({ length: d }, (_, a) => Float64Array.from(flat.subarray(a * d, a * d + d)));
  }

  private computeCovariance(mean: Float64Array, out: Float64Array): Float64Array {
    const w = this.weights;
    const d = this.nParams;
    const v1 = this.weightSum();
    const tree = this.tree;
    const nl = tree.leafCount;
    const sums = this.leafBuf;
    // Every entry's numerator and Σw·w in one pass, leaf by leaf.
    this.coDeviations(mean, w, this.covPairs, true);
    const fact = v1 - tree.combine(sums, d * d * nl) / v1;
    const scale = fact > 0 ? 1 / fact : 0;
    for (let e = 0; e < d * d; e++) out[e] = tree.combine(sums, e * nl) * scale;
    return out;
  }

  /** The leaf sums of {@link coDeviationLeaves} for every leaf into `leafBuf`, by the pool when it applies. */
  private coDeviations(mean: Float64Array, w: Float64Array, pairs: Int32Array, withSquares: boolean): void {
    const pool = this.activePool();
    const nl = this.tree.leafCount;
    if (pool !== undefined) pool.run('coDeviation', nl, { arrays: [w, this.leafBuf, mean, ...this.rows], ints: pairs, numbers: [this.nParts, withSquares ? 1 : 0] });
    else coDeviationLeaves(this.tree, this.rows, mean, w, pairs, withSquares, 0, nl, this.leafBuf);
  }

  /**
   * Population (biased) weighted standard deviation of each parameter, as `getstd` reports it:
   * `sqrt(Σ w (x − x̄)² / Σ w)`, computed about the mean (two passes, no cancellation when
   * |mean| ≫ std; the original's one-pass `sqrt(Σ w x² − (Σ w x)²)` cancels, B6). The numerator
   * is the covariance's, `Σ (x − x̄)·((x − x̄)·w)` in pairwise order, so `std² · Σw` and
   * `cov_dd · fact` are the same bits; NumPy: `np.sqrt(np.sum(d * (d * w)) / np.sum(w))`. Note: this is NOT
   * `sqrt(diag(covariance()))`, which carries the ddof correction.
   */
  std(): Float64Array {
    const out = this.stdBuf;
    if (this.stdVersion !== this.weightsVersion) {
      const mean = this.computeMean();
      const w = this.weights;
      const sw = this.weightSum();
      const tree = this.tree;
      const nl = tree.leafCount;
      const sums = this.leafBuf;
      this.coDeviations(mean, w, this.diagPairs, false);
      for (let d = 0; d < this.nParams; d++) out[d] = Math.sqrt(tree.combine(sums, d * nl) / sw);
      this.stdVersion = this.weightsVersion;
    }
    return out.slice();
  }

  /** Effective sample size `1 / Σ w²` (the sum in NumPy's pairwise order). */
  effectiveSampleSize(): number {
    if (this.nEffVersion !== this.weightsVersion) {
      if (this.wNormalised) {
        this.nEff = 1 / pairwiseDot(this.w, this.w, this.nParts);
      } else {
        // (Σw)²/Σw²: the stored weights of the 'fast' update are not normalised.
        const s = sum(this.w, this.nParts);
        this.nEff = (s * s) / dot(this.w, this.w, this.nParts);
      }
      this.nEffVersion = this.weightsVersion;
    }
    return this.nEff;
  }

  /** Counters of updates, log-space updates and resamples. */
  stats(): ParticlePdfStats {
    return { updates: this.updateCount, logSpaceUpdates: this.logSpaceCount, resamples: this.resampleCount };
  }

  /** Threads the particle loops use now: the pool's when it applies (see `poolMinParticles`), else 1. */
  get threadsInUse(): number {
    return this.activePool()?.threads ?? 1;
  }

  /** Counts an update that left the direct arithmetic for log space (see {@link stats}). */
  protected countLogSpaceUpdate(): void {
    this.logSpaceCount++;
  }

  /**
   * Bayesian update with a (linear) likelihood per particle, as the original's `bayesian_update`:
   * `tmp = nan_to_num(w·L)`, `w' = tmp / Σ tmp` with the sum in NumPy's pairwise order, so the
   * weights are NumPy's bit for bit. Negative likelihoods count as 0 (the original kept negative
   * weights). Where that result would be all zeros or not finite (B4: every product underflowing,
   * or two overflowing), the update runs in log space instead ({@link updateWithLogLikelihood}) and
   * is counted in {@link stats}. Runs {@link resampleTest} if `autoResample` is set.
   * @throws {@link ZeroWeightsError} (weights unchanged) if no particle keeps a positive weight.
   */
  bayesianUpdate(likelihood: ArrayLike<number>): void {
    const n = this.nParts;
    if (likelihood.length !== n) {
      throw new ShapeMismatchError(`got ${likelihood.length} likelihoods for ${n} particles`);
    }
    const w = this.weights;
    const tmp = this.tmp;
    for (let j = 0; j < n; j++) tmp[j] = nanToNumProduct(w[j], likelihood[j]);
    if (this.commitProducts()) return;
    const ll = new Float64Array(n);
    for (let j = 0; j < n; j++) ll[j] = Math.log(likelihood[j]);
    this.updateWithLogLikelihood(ll);
    this.countLogSpaceUpdate();
  }

  /**
   * Bayesian update from log-likelihoods: `w_j ∝ w_j · exp(ℓ_j − max ℓ)`, the max taken over
   * particles with positive weight (or `upperBound`, any finite value at least that max). NaN counts
   * as −∞. If the products still underflow to an all-zero sum, the update is redone with the log
   * weights included, so only a posterior that is truly empty fails.
   * Runs {@link resampleTest} if `autoResample` is set.
   * @throws {@link ZeroWeightsError} (weights unchanged) if no particle with positive weight has a
   *   log-likelihood above −∞.
   */
  updateWithLogLikelihood(ll: ArrayLike<number>, upperBound?: number): void {
    const w = this.w;
    const tmp = this.tmp;
    const n = this.nParts;
    // Any finite m >= max ℓ over weighted particles works (a larger m only scales every product);
    // callers that computed the maximum anyway pass it and save a pass.
    let m = upperBound !== undefined && Number.isFinite(upperBound) ? upperBound : -Infinity;
    if (m === -Infinity) {
      for (let j = 0; j < n; j++) {
        const l = ll[j];
        if (l > m && w[j] > 0) m = l;
      }
    }
    if (m === -Infinity) {
      throw new ZeroWeightsError('every particle with positive weight has zero (or NaN) likelihood; update refused');
    }
    if (m === Infinity) {
      for (let j = 0; j < n; j++) tmp[j] = ll[j] === Infinity ? w[j] : 0;
    } else {
      for (let j = 0; j < n; j++) {
        const x = ll[j] - m;
        tmp[j] = w[j] * expNonPositive(x > 0 ? 0 : x);
      }
    }
    if (this.commitProducts()) return;
    // Every product underflowed: redo them with the log weights included.
    this.logWeightedProducts(ll, tmp);
    this.commitProducts();
  }

  /** The shape of NumPy's pairwise sums over the N particles (see {@link commitProducts}). */
  protected get pairwiseTree(): PairwiseTree {
    return this.tree;
  }

  /**
   * Scratch of length N where a subclass with a fused likelihood loop writes the unnormalised
   * products `w_j · L_j` before calling {@link commitProducts}.
   */
  protected get productScratch(): Float64Array {
    return this.tmp;
  }

  /**
   * Makes the products in {@link productScratch} (finite, >= 0) the new weights as the original
   * does, `w' = tmp / Σ tmp` with the sum in NumPy's pairwise order, and `n_eff = 1 / Σ w'²` (pairwise
   * too); then runs the resample test if `autoResample` is set. `productSum` is `Σ tmp` in that order
   * when the caller formed it already ({@link pairwiseTree}). Returns false, having changed
   * nothing, if the sum is 0 or not finite (where the original's weights would all be 0).
   */
  protected commitProducts(productSum?: number): boolean {
    const w = this.w;
    const tmp = this.tmp;
    const total = productSum ?? pairwiseSum(tmp, 0, this.nParts);
    if (!(total > 0 && total < Infinity)) return false;
    const tree = this.tree;
    const sums = this.leafBuf;
    // The division and Σw'² leaf by leaf, while each leaf is in cache.
    const pool = this.activePool();
    if (pool !== undefined) pool.run('normalise', tree.leafCount, { arrays: [tmp, w, sums], ints: NO_INTS, numbers: [this.nParts, total] });
    else normaliseLeaves(tree, tmp, total, w, 0, tree.leafCount, sums);
    this.wTotal = 1;
    this.wNormalised = true;
    this.weightsVersion++;
    this.nEff = 1 / tree.combine(sums);
    this.nEffVersion = this.weightsVersion;
    this.updateCount++;
    if (this.tuningParameters.autoResample) this.resampleTest();
    return true;
  }

  /**
   * Makes the products in {@link productScratch} the new weights without a normalising pass: the
   * scratch and the weights swap buffers. `sum` (> 0) and `sumSq` are the sum of the products and
   * of their squares, computed by the caller in the same loop (they give n_eff). The products are
   * those of {@link rawWeights} (any scale), and `sum` should be well above the subnormal range
   * (the caller checks); when it falls below 1e-100 the weights are normalised here, so the stored
   * scale never drifts toward underflow. Runs the resample test if `autoResample` is set.
   */
  protected commitUnnormalisedProducts(sum: number, sumSq: number): void {
    const old = this.w;
    this.w = this.tmp;
    this.tmp = old;
    this.wTotal = sum;
    this.wNormalised = false;
    this.weightsVersion++;
    this.updateCount++;
    if (sum < 1e-100) {
      // Keep the stored scale far from underflow (squares, the next products).
      this.normaliseWeights();
    } else {
      this.nEff = (sum * sum) / sumSq;
      this.nEffVersion = this.weightsVersion;
    }
    if (this.tuningParameters.autoResample) this.resampleTest();
  }

  /** The underflow fallback: products computed as exp(ln w + ℓ − max). */
  private logWeightedProducts(ll: ArrayLike<number>, out: Float64Array): void {
    const w = this.w;
    const n = this.nParts;
    let m = -Infinity;
    for (let j = 0; j < n; j++) {
      const t = Math.log(w[j]) + ll[j];
      out[j] = t;
      if (t > m) m = t;
    }
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const x = out[j] - m;
      const v = expNonPositive(x > 0 ? 0 : x);
      out[j] = v;
      sum += v;
    }
    if (!(sum > 0)) throw new ZeroWeightsError('the posterior underflows everywhere; update refused');
  }

  /**
   * The original's resample test: with `n_eff = 1/Σw²`, resample if `n_eff < 0.1·N` (the original's
   * "> 90 % rejected" warning; reported as `lastResampleReason = 'rejected-90'`), else if
   * `n_eff/N < resampleThreshold`. Both comparisons are strict, and the 10 % branch comes first, so
   * `resampleThreshold = 0` does not disable resampling (B7: set `autoResample = false` for that).
   * Sets and returns `justResampled`.
   */
  resampleTest(): boolean {
    const nEff = this.effectiveSampleSize();
    const n = this.nParts;
    if (nEff < 0.1 * n) {
      this.resample();
      this.lastResampleReason = 'rejected-90';
      this.justResampled = true;
    } else if (nEff / n < this.tuningParameters.resampleThreshold) {
      this.resample();
      this.lastResampleReason = 'threshold';
      this.justResampled = true;
    } else {
      this.lastResampleReason = 'none';
      this.justResampled = false;
    }
    return this.justResampled;
  }

  /**
   * Resamples: N particles drawn ∝ weight, each moved by an MVN(0, (1 − a²)·cov) nudge using the
   * covariance of the pre-resample cloud (Cholesky, eigen fallback for singular covariances), then
   * contracted toward the pre-resample mean if `scale` is set (`a·x + (1 − a)·mean`, applied after
   * the nudge as in the original). Weights become uniform. Does not set `justResampled`.
   * @throws {@link InvalidArgumentError} if `aParam` is outside [0, 1];
   *   {@link CovarianceFactorError} if the covariance has non-finite entries.
   */
  resample(): void {
    const { aParam: a, scale, resampleScheme } = this.tuningParameters;
    if (!(a >= 0 && a <= 1)) throw new InvalidArgumentError(`aParam must be in [0, 1], got ${a}`);
    const n = this.nParts;
    const d = this.nParams;
    const mean = this.computeMean();
    const cov = this.computeCovariance(mean, this.covBuf);
    const f = this.factorBuf;
    factorCovariance(cov, d, 1 - a * a, f);

    const rng = this.rng;
    // The key of this resample's block streams: the engine's stream moves by two words.
    const key0 = rng.nextUint32();
    const key1 = rng.nextUint32();
    if (this.noise.length !== d || this.noise[0].length !== n) {
      this.giveBack(this.noise);
      this.noise = this.rows.map(() => this.allocate(n));
    }
    const noise = this.noise;
    if (this.spare === undefined) this.spare = this.rows.map(() => this.allocate(n));
    const src = this.rows;
    const dst = this.spare;
    const blocks = resampleBlockCount(n);
    const scratch = this.resampleScratch;
    // The normals need nothing but the key: the pool's threads draw them while this one prepares
    // the source indices.
    const sources = { prob: EMPTY, alias: EMPTY, drawn: EMPTY };
    const prepareSources = (): void => {
      Object.assign(sources, this.resampleSources(resampleScheme));
    };
    const pool = this.activePool();
    if (pool !== undefined) {
      pool.run('resampleNormals', blocks, { arrays: noise, ints: NO_INTS, numbers: [n, key0, key1] }, prepareSources);
      const { prob, alias, drawn } = sources;
      pool.run('resampleMoves', blocks, {
        arrays: [prob, alias, drawn, f, mean, ...src, ...dst, ...noise],
        ints: NO_INTS,
        numbers: [n, d, a, scale ? 1 : 0, key0, key1],
      });
    } else {
      resampleNormals({ n, noise, key0, key1 }, scratch, 0, blocks);
      prepareSources();
      resampleMoves({ n, noise, key0, key1, src, dst, ...sources, factor: f, mean, a, scale }, scratch, 0, blocks);
    }
    // Double buffering: the old rows become the scratch of the next resample.
    this.spare = src;
    this.rows = dst;
    this.w.fill(1 / n);
    this.wTotal = 1;
    this.wNormalised = true;
    this.weightsVersion++;
    this.particleVersion++;
    this.resampleCount++;
  }

  /**
   * Where resampled particles come from: the alias table of the weights (multinomial), or the
   * systematic indices drawn from the engine's stream, as {@link resampleMoves} reads them (pool
   * arrays; the unused ones are empty views of a used one).
   */
  private resampleSources(scheme: ResampleScheme): { prob: Float64Array; alias: Float64Array; drawn: Float64Array } {
    const n = this.nParts;
    if (scheme === 'systematic') {
      if (this.drawnBuf.length !== n) this.drawnBuf = this.allocate(n);
      const drawn = this.drawnBuf;
      systematicIndices(this.currentCdf(), n, this.rng, drawn);
      return { prob: drawn.subarray(0, 0), alias: drawn.subarray(0, 0), drawn };
    }
    this.alias.build(this.weights, n, this.weightSum());
    return { prob: this.alias.prob, alias: this.alias.alias, drawn: this.alias.prob.subarray(0, 0) };
  }

  /** The normalised CDF of the current weights, rebuilt only when the weights changed. */
  private currentCdf(): Float64Array {
    if (this.cdfVersion !== this.weightsVersion) {
      buildCdf(this.w, this.nParts, this.cdf);
      this.cdfVersion = this.weightsVersion;
    }
    return this.cdf;
  }

  /**
   * Writes `count` particle indices drawn with replacement ∝ weight into `out` (inverse-CDF sampling
   * as NumPy's `choice`, through a {@link BlockCdf} cached until the weights change: the original
   * rebuilt a full cumulative sum per call, which dominated `utility()` at 100k particles).
   */
  drawIndices(count: number, out: Int32Array): void {
    if (this.blockCdfVersion !== this.weightsVersion) {
      const tree = this.tree;
      this.blockCdf.build(this.weights, tree.leafStart, this.currentWeightLeaves(), tree.leafCount);
      this.blockCdfVersion = this.weightsVersion;
    }
    for (let i = 0; i < count; i++) out[i] = this.blockCdf.indexFor(this.rng.nextDouble());
  }

  /**
   * `nDraws` particles drawn with replacement ∝ weight, as `D` rows of length `nDraws` (new arrays).
   */
  randdraw(nDraws = 1): Float64Array[] {
    if (!(Number.isInteger(nDraws) && nDraws >= 0)) throw new InvalidArgumentError(`nDraws must be an integer >= 0, got ${nDraws}`);
    const idx = new Int32Array(nDraws);
    this.drawIndices(nDraws, idx);
    return this.rows.map((row) => Float64Array.from(idx, (j) => row[j]));
  }
}
