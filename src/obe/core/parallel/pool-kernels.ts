/**
 * The loops the particle pool splits between threads (docs/OBE-NUMERICS.md, "The particle pool"):
 * each kernel works on a range of units (pairwise leaves, update chunks or grid points) and writes
 * only what belongs to its units, so any split gives the same bits as one thread doing every unit.
 * The calling thread runs its share through the same table as the workers.
 *
 * Arguments travel as plain typed data ({@link KernelArgs}); array layouts per kernel:
 * - `weightedRows` (units: leaves): arrays `[w, out, ...rows]`, numbers `[n, withWeightSum]`.
 * - `coDeviation` (leaves): arrays `[w, out, mean, ...rows]`, ints = the (a, b) pairs, numbers `[n, withSquares]`.
 * - `normalise` (leaves): arrays `[tmp, w, out]`, numbers `[n, total]`.
 * - `products` (update chunks): arrays `[w, tmp, out, ...rows]`, ints `[model, direct, nc, ...sigmaRows]`,
 *   numbers `[n, choke, ...setting, ...ys, ...sigmas]`.
 * - `resampleNormals` (resampling blocks): arrays = the D noise rows, numbers `[n, key0, key1]`
 *   ({@link resampleNormals}).
 * - `resampleMoves` (resampling blocks): arrays `[prob, alias, drawn, factor, mean, ...src, ...dst,
 *   ...noise]`, numbers `[n, D, a, scale, key0, key1]`: the draws and moves ({@link resampleMoves}).
 * - `drawSpace` (grid points): arrays `[values, draws, ...grid]` (draws `K × D`, draw-major), ints
 *   `[model, K, 0]`: the model for every draw over the grid points, into `values[(k·C + c)·G + g]`;
 *   with ints `[model, K, 1]`, arrays `[values, draws, utility, noiseVar, cost, ...grid]` and
 *   numbers `[cost]` (used when the cost array is empty), then `variance_approx` into `utility`.
 */

import { coDeviationLeaves, normaliseLeaves, weightedRowLeaves } from '../leaf-reductions.js';
import { productLeaves, type LikelihoodPlan, type UpdateChunks } from '../likelihood-products.js';
import type { ModelEvaluator } from '../model.js';
import type { PairwiseTree } from '../pairwise-tree.js';
import { resampleMoves, resampleNormals, type ResampleScratch } from '../resample-blocks.js';
import { varianceUtility } from '../utility-methods.js';
import { accurateExp } from '../accurate-exp.js';

/** The arguments of one kernel call. */
export interface KernelArgs {
  readonly arrays: readonly Float64Array[];
  readonly ints: ArrayLike<number>;
  readonly numbers: ArrayLike<number>;
}

/** What a thread keeps between calls: shapes per particle count, models, scratch. */
export interface KernelContext {
  tree(n: number): PairwiseTree;
  chunks(n: number): UpdateChunks;
  model(id: number): ModelEvaluator;
  /** Scratch rows for one chunk: `channels` model rows and one likelihood row, `length` long. */
  chunkScratch(channels: number, length: number): { readonly y: readonly Float64Array[]; readonly l: Float64Array };
  /** One-value rows, reused: `count` rows of length 1. */
  unitRows(count: number): Float64Array[];
  /** Scratch of at least `length` values (one per grid point). */
  settingScratch(length: number): Float64Array;
  /** The thread's resampling generator and block buffers. */
  readonly resampleScratch: ResampleScratch;
}

/** A kernel: units `[from, to)` of one call. */
export type Kernel = (ctx: KernelContext, args: KernelArgs, from: number, to: number) => void;

const NATIVE = Object.freeze({ exp: accurateExp, pow: Math.pow });

function weightedRows(ctx: KernelContext, a: KernelArgs, from: number, to: number): void {
  const [w, out, ...rows] = a.arrays;
  weightedRowLeaves(ctx.tree(a.numbers[0]), rows, w, a.numbers[1] === 1, from, to, out);
}

function coDeviation(ctx: KernelContext, a: KernelArgs, from: number, to: number): void {
  const [w, out, mean, ...rows] = a.arrays;
  coDeviationLeaves(ctx.tree(a.numbers[0]), rows, mean, w, Int32Array.from(a.ints), a.numbers[1] === 1, from, to, out);
}

function normalise(ctx: KernelContext, a: KernelArgs, from: number, to: number): void {
  const [tmp, w, out] = a.arrays;
  normaliseLeaves(ctx.tree(a.numbers[0]), tmp, a.numbers[1], w, from, to, out);
}

function products(ctx: KernelContext, a: KernelArgs, from: number, to: number): void {
  const [w, tmp, out, ...rows] = a.arrays;
  const { ints, numbers } = a;
  const evaluator = ctx.model(ints[0]);
  const nc = ints[2];
  const nSettings = numbers.length - 2 - 2 * nc;
  const setting = ctx.unitRows(nSettings);
  for (let s = 0; s < nSettings; s++) setting[s][0] = numbers[2 + s];
  const plan: LikelihoodPlan = {
    nc,
    ys: Float64Array.from({ length: nc }, (_, c) => numbers[2 + nSettings + c]),
    sigmas: Float64Array.from({ length: nc }, (_, c) => numbers[2 + nSettings + nc + c]),
    sigmaRows: Int32Array.from({ length: nc }, (_, c) => ints[3 + c]),
    choke: numbers[1],
  };
  const chunks = ctx.chunks(numbers[0]);
  const scratch = ctx.chunkScratch(evaluator.nChannels, chunks.maxLength);
  productLeaves(
    { chunks, plan, math: NATIVE, direct: ints[1] === 1, evaluator, settingRows: setting, rows, yModel: undefined, w, tmp, yChunk: scratch.y, lChunk: scratch.l },
    from,
    to,
    out,
  );
}

function resampleNormalsKernel(ctx: KernelContext, a: KernelArgs, from: number, to: number): void {
  const m = a.numbers;
  resampleNormals({ n: m[0], noise: a.arrays, key0: m[1], key1: m[2] }, ctx.resampleScratch, from, to);
}

function resampleMovesKernel(ctx: KernelContext, a: KernelArgs, from: number, to: number): void {
  const [prob, alias, drawn, factor, mean, ...rows] = a.arrays;
  const m = a.numbers;
  const d = m[1];
  const input = {
    n: m[0],
    src: rows.slice(0, d),
    dst: rows.slice(d, 2 * d),
    noise: rows.slice(2 * d, 3 * d),
    prob,
    alias,
    drawn,
    factor,
    mean,
    a: m[2],
    scale: m[3] === 1,
    key0: m[4],
    key1: m[5],
  };
  resampleMoves(input, ctx.resampleScratch, from, to);
}

function drawSpace(ctx: KernelContext, a: KernelArgs, from: number, to: number): void {
  const withVariance = a.ints[2] === 1;
  const [values, draws, ...rest] = a.arrays;
  const grid = withVariance ? rest.slice(3) : rest;
  const evaluator = ctx.model(a.ints[0]);
  const k = a.ints[1];
  const nc = evaluator.nChannels;
  const g = grid[0].length;
  const d = draws.length / k;
  const params = ctx.unitRows(d);
  const settings = grid.map((row) => row.subarray(from, to));
  for (let i = 0; i < k; i++) {
    for (let p = 0; p < d; p++) params[p][0] = draws[i * d + p];
    const out = Array.from({ length: nc }, (_, c) => values.subarray((i * nc + c) * g + from, (i * nc + c) * g + to));
    evaluator.evaluate(settings, 1, params, 0, out, to - from);
  }
  if (withVariance) {
    const [utility, noiseVar, cost] = rest;
    const space = { values, nDraws: k, nChannels: nc, nSettings: g };
    varianceUtility(space, noiseVar, cost.length === 0 ? a.numbers[0] : cost, { perSetting: ctx.settingScratch(g), sample: values.subarray(0, 0) }, utility, from, to);
  }
}

/** The kernels by name. */
export const KERNELS = Object.freeze({
  weightedRows,
  coDeviation,
  normalise,
  products,
  resampleNormals: resampleNormalsKernel,
  resampleMoves: resampleMovesKernel,
  drawSpace,
});

/** A kernel's name. */
export type KernelName = keyof typeof KERNELS;

/** Kernel names by their index on the wire (the pool's control block). */
export const KERNEL_NAMES: readonly KernelName[] = Object.keys(KERNELS) as KernelName[];
