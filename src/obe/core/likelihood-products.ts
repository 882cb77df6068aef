/**
 * The products `nan_to_num(w·L)` of the Bayesian update (spec §2.5, §1.5) on the default path,
 * chunk by chunk, with the sums of NumPy's pairwise leaves formed while each chunk is in cache
 * (docs/OBE-NUMERICS.md, "Speed of the default path"). Plain functions over typed arrays and a
 * {@link LikelihoodPlan} of plain data, so that a pool worker (`parallel/`) runs exactly the same
 * code on its share of the chunks.
 */

import { accurateExp } from './accurate-exp.js';
import type { ModelEvaluator } from './model.js';
import { pairwiseLeafSum } from './pairwise-sum.js';
import type { PairwiseTree } from './pairwise-tree.js';

/** The elementary functions of the likelihood (see `LikelihoodMath` of `opt-bayes-expt.ts`). */
export interface LikelihoodFunctions {
  exp(x: number): number;
  pow(x: number, y: number): number;
}

/**
 * The likelihood of one measurement as plain data: `L_j = Π_c exp(−((y_model_c − y_c)/σ_cj)²/2)/σ_cj`
 * for the first `nc` channels, then `** choke` when `choke` is not NaN. Channel c's σ is
 * `sigmas[c]`, or, when `sigmaRows[c] >= 0`, each particle's own value in that parameter row (the
 * noise-parameter engine), a σ <= 0 or NaN giving 0.
 */
export interface LikelihoodPlan {
  readonly nc: number;
  readonly ys: Float64Array;
  readonly sigmas: Float64Array;
  readonly sigmaRows: Int32Array;
  /** The exponent, or NaN for none. */
  readonly choke: number;
}

const MAX = Number.MAX_VALUE;

/**
 * `L_j` of {@link LikelihoodPlan} for particles `from..from + len` into `out[0..len)`, the model
 * output of particle j at `yModel[c][j − from + yOffset]`; each factor in the original's order of
 * operations, the channels multiplied left to right starting from 1.
 */
export function likelihoodRange(
  plan: LikelihoodPlan,
  yModel: readonly Float64Array[],
  yOffset: number,
  rows: readonly Float64Array[],
  from: number,
  len: number,
  out: Float64Array,
  math: LikelihoodFunctions,
): void {
  const exp = math.exp;
  out.fill(1, 0, len);
  for (let c = 0; c < plan.nc; c++) {
    const ym = yModel[c];
    const y = plan.ys[c];
    const row = plan.sigmaRows[c];
    if (row < 0) {
      const sigma = plan.sigmas[c];
      for (let i = 0; i < len; i++) {
        const q = (ym[yOffset + i] - y) / sigma;
        out[i] *= exp(-(q * q) / 2) / sigma;
      }
    } else {
      const sig = rows[row];
      for (let i = 0; i < len; i++) {
        const s = sig[from + i];
        const q = (ym[yOffset + i] - y) / s;
        out[i] *= s > 0 ? exp(-(q * q) / 2) / s : 0;
      }
    }
  }
  const choke = plan.choke;
  if (choke === choke) {
    const pow = math.pow;
    for (let i = 0; i < len; i++) out[i] = pow(out[i], choke);
  }
}

/**
 * The common case in one loop: one channel with a fixed σ, no choke, {@link accurateExp}:
 * `tmp[j] = nan_to_num(w_j · (exp(−q²/2)/σ))` with `q = (y_model − y)/σ`, the same operations (and
 * bits) as {@link likelihoodRange} followed by the product (`1·L = L` exactly), without the
 * intermediate array.
 */
function directProducts(ym: Float64Array, yOffset: number, y: number, sigma: number, w: Float64Array, tmp: Float64Array, from: number, to: number): void {
  const shift = yOffset - from;
  for (let j = from; j < to; j++) {
    const q = (ym[j + shift] - y) / sigma;
    const v = w[j] * (accurateExp(-(q * q) / 2) / sigma);
    tmp[j] = v > 0 ? (v < Infinity ? v : MAX) : 0;
  }
}

/** Particles per model evaluation at most: the chunk's model output stays in the L1 cache. */
const CHUNK = 1024;

/**
 * The update's chunks: runs of whole pairwise leaves of at most 1024 particles, so that a chunk's
 * leaf sums are complete when the chunk is done. Also caches subarray views of the particle rows
 * per chunk (for the model's batch form), for the two row buffers resampling alternates between.
 */
export class UpdateChunks {
  /** Number of chunks. */
  readonly count: number;
  /** First particle of chunk c at index c; entry `count` is N. */
  readonly start: Int32Array;
  /** First leaf of chunk c at index c; entry `count` is the leaf count. */
  readonly firstLeaf: Int32Array;
  /** Largest chunk length. */
  readonly maxLength: number;
  /** Keyed by the first row's buffer: a pool thread gets new views of the same buffers per call. */
  private readonly views = new Map<ArrayBufferLike, Float64Array[][]>();

  constructor(readonly tree: PairwiseTree) {
    const starts = [0];
    const leaves = [0];
    const ls = tree.leafStart;
    for (let k = 0; k < tree.leafCount; k++) {
      const chunkStart = starts[starts.length - 1];
      if (ls[k + 1] - chunkStart > CHUNK && ls[k] > chunkStart) {
        starts.push(ls[k]);
        leaves.push(k);
      }
    }
    starts.push(tree.n);
    leaves.push(tree.leafCount);
    this.start = Int32Array.from(starts);
    this.firstLeaf = Int32Array.from(leaves);
    this.count = starts.length - 1;
    let max = 0;
    for (let c = 0; c < this.count; c++) max = Math.max(max, starts[c + 1] - starts[c]);
    this.maxLength = max;
  }

  /** Views of `rows` for chunk c (cached per row buffer; a third buffer evicts the others). */
  rowsOf(rows: readonly Float64Array[], c: number): Float64Array[] {
    let per = this.views.get(rows[0].buffer);
    if (per === undefined || per[0][0].byteOffset !== rows[0].byteOffset) {
      if (this.views.size >= 2) this.views.clear();
      per = [];
      for (let k = 0; k < this.count; k++) per.push(rows.map((row) => row.subarray(this.start[k], this.start[k + 1])));
      this.views.set(rows[0].buffer, per);
    }
    return per[c];
  }
}

/** Everything {@link productLeaves} reads and writes; scratch buffers are `maxLength` long. */
export interface ProductJob {
  readonly chunks: UpdateChunks;
  readonly plan: LikelihoodPlan;
  readonly math: LikelihoodFunctions;
  /** True when the plan is the {@link directProducts} case and `math` is the native one. */
  readonly direct: boolean;
  readonly evaluator: ModelEvaluator;
  /** The measured setting as one-value rows (broadcast by the evaluator). */
  readonly settingRows: readonly Float64Array[];
  readonly rows: readonly Float64Array[];
  /** Model outputs given by the caller (`C` rows of N), or undefined to evaluate the model per chunk. */
  readonly yModel: readonly Float64Array[] | undefined;
  readonly w: Float64Array;
  readonly tmp: Float64Array;
  readonly yChunk: readonly Float64Array[];
  readonly lChunk: Float64Array;
}

/**
 * Chunks `[c0, c1)` of the update: the model (unless given), the likelihood, `tmp = nan_to_num(w·L)`
 * (negative products count as 0), and each leaf's sum of `tmp` into `out[k]`.
 */
export function productLeaves(job: ProductJob, c0: number, c1: number, out: Float64Array): void {
  const { chunks, plan, w, tmp, yModel } = job;
  const tree = chunks.tree;
  const ls = tree.leafStart;
  const l = job.lChunk;
  for (let c = c0; c < c1; c++) {
    const from = chunks.start[c];
    const to = chunks.start[c + 1];
    let ym: readonly Float64Array[];
    let yOffset: number;
    if (yModel === undefined) {
      job.evaluator.evaluate(job.settingRows, 0, chunks.rowsOf(job.rows, c), 1, job.yChunk, to - from);
      ym = job.yChunk;
      yOffset = 0;
    } else {
      ym = yModel;
      yOffset = from;
    }
    if (job.direct) {
      directProducts(ym[0], yOffset, plan.ys[0], plan.sigmas[0], w, tmp, from, to);
    } else {
      likelihoodRange(plan, ym, yOffset, job.rows, from, to - from, l, job.math);
      for (let j = from; j < to; j++) {
        const v = w[j] * l[j - from];
        tmp[j] = v > 0 ? (v < Infinity ? v : MAX) : 0;
      }
    }
    for (let k = chunks.firstLeaf[c]; k < chunks.firstLeaf[c + 1]; k++) out[k] = pairwiseLeafSum(tmp, ls[k], ls[k + 1] - ls[k]);
  }
}

/** True when `plan` is the one-loop case (one channel, fixed σ, no choke). */
export function isDirectPlan(plan: LikelihoodPlan): boolean {
  return plan.nc === 1 && plan.sigmaRows[0] < 0 && plan.choke !== plan.choke;
}
