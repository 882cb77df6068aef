import { autoEntropyMethod, checkEntropyWindow, defaultEntropyWindow, entropyOfSorted } from './differential-entropy.js';

/** The four utility methods of the original (`utility_method` names). */
export type UtilityMethod = 'variance_approx' | 'pseudo_utility' | 'max_min' | 'full_kld_utility';

/** All utility method names. */
export const UTILITY_METHODS: readonly UtilityMethod[] = ['variance_approx', 'pseudo_utility', 'max_min', 'full_kld_utility'];

/**
 * Model outputs of K parameter draws over the grid: `values[(k·C + c)·G + g]` is channel c of draw k
 * at grid point g (the original's `utility_y_space`, K × C × G, flattened).
 */
export interface DrawSpace {
  readonly values: Float64Array;
  readonly nDraws: number;
  readonly nChannels: number;
  readonly nSettings: number;
}

/** Reusable buffers of the utility computations (length G, and K for sorting). */
export interface UtilityScratch {
  readonly perSetting: Float64Array;
  readonly sample: Float64Array;
}

/** Allocates {@link UtilityScratch} for K draws over G settings. */
export function createUtilityScratch(nDraws: number, nSettings: number): UtilityScratch {
  return { perSetting: new Float64Array(nSettings), sample: new Float64Array(nDraws) };
}

function costAt(cost: number | ArrayLike<number>, g: number): number {
  return typeof cost === 'number' ? cost : cost[g];
}

/** Adds `spread[g] / noiseVar` into `out` (the per-channel term of the original's utility sums). */
function accumulate(out: Float64Array, spread: Float64Array, noiseVar: number, g0: number): void {
  const inv = 1 / noiseVar;
  for (let g = 0; g < g0; g++) out[g] += spread[g] * inv;
}

function divideByCost(out: Float64Array, cost: number | ArrayLike<number>, from = 0, to = out.length): void {
  for (let g = from; g < to; g++) out[g] /= costAt(cost, g);
}

/**
 * `variance_approx`: `U[g] = Σ_c Var_k(Y[k,c,g]) / noiseVar[c] / cost[g]`, population variance over
 * the K draws, computed in two passes. Writes into `out` (length G), for the grid points
 * `[from, to)` only when a range is given (each point's arithmetic is its own, so ranges computed
 * apart, by the particle pool's threads, give the same bits).
 */
export function varianceUtility(
  y: DrawSpace,
  noiseVar: ArrayLike<number>,
  cost: number | ArrayLike<number>,
  scratch: UtilityScratch,
  out: Float64Array,
  from = 0,
  to = y.nSettings,
): void {
  const { values, nDraws: k, nChannels: nc, nSettings: g } = y;
  const mean = scratch.perSetting;
  out.fill(0, from, to);
  for (let c = 0; c < nc; c++) {
    mean.fill(0, from, to);
    // Draws four at a time, each point's sum still in draw order (the same bits as one draw at a
    // time): a quarter of the loads and stores of the per-point accumulators.
    const stride = nc * g;
    let i = 0;
    for (; i + 3 < k; i += 4) {
      const b0 = (i * nc + c) * g;
      const b1 = b0 + stride;
      const b2 = b1 + stride;
      const b3 = b2 + stride;
      for (let s = from; s < to; s++) mean[s] = mean[s] + values[b0 + s] + values[b1 + s] + values[b2 + s] + values[b3 + s];
    }
    for (; i < k; i++) {
      const base = (i * nc + c) * g;
      for (let s = from; s < to; s++) mean[s] += values[base + s];
    }
    for (let s = from; s < to; s++) mean[s] /= k;
    const inv = 1 / (k * noiseVar[c]);
    i = 0;
    for (; i + 3 < k; i += 4) {
      const b0 = (i * nc + c) * g;
      const b1 = b0 + stride;
      const b2 = b1 + stride;
      const b3 = b2 + stride;
      for (let s = from; s < to; s++) {
        const m = mean[s];
        const d0 = values[b0 + s] - m;
        const d1 = values[b1 + s] - m;
        const d2 = values[b2 + s] - m;
        const d3 = values[b3 + s] - m;
        out[s] = out[s] + d0 * d0 * inv + d1 * d1 * inv + d2 * d2 * inv + d3 * d3 * inv;
      }
    }
    for (; i < k; i++) {
      const base = (i * nc + c) * g;
      for (let s = from; s < to; s++) {
        const dv = values[base + s] - mean[s];
        out[s] += dv * dv * inv;
      }
    }
  }
  divideByCost(out, cost, from, to);
}

/**
 * `max_min`: `U[g] = Σ_c (max_k Y − min_k Y)² / noiseVar[c] / cost[g]`. Writes into `out`.
 */
export function maxMinUtility(y: DrawSpace, noiseVar: ArrayLike<number>, cost: number | ArrayLike<number>, scratch: UtilityScratch, out: Float64Array): void {
  const { values, nDraws: k, nChannels: nc, nSettings: g } = y;
  const spread = scratch.perSetting;
  out.fill(0);
  for (let c = 0; c < nc; c++) {
    for (let s = 0; s < g; s++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < k; i++) {
        const v = values[(i * nc + c) * g + s];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      spread[s] = (hi - lo) * (hi - lo);
    }
    accumulate(out, spread, noiseVar[c], g);
  }
  divideByCost(out, cost);
}

/** Differential entropy (SciPy `method='auto'`) of the K draws of channel c at grid point s. */
function entropyAt(y: DrawSpace, c: number, s: number, sample: Float64Array, m: number, offset?: ArrayLike<number>): number {
  const { values, nDraws: k, nChannels: nc, nSettings: g } = y;
  for (let i = 0; i < k; i++) sample[i] = values[(i * nc + c) * g + s] + (offset === undefined ? 0 : offset[i]);
  sample.sort();
  return entropyOfSorted(sample, k, m, autoEntropyMethod(k));
}

/**
 * `pseudo_utility`: per channel and grid point, the variance of the Gaussian with the same
 * differential entropy as the K draws, `exp(2H)/(2πe)`; then summed as `variance_approx`. Ties give
 * H = −∞ and a zero contribution.
 * @throws {@link EntropyWindowError} for K < 5.
 */
export function pseudoUtility(y: DrawSpace, noiseVar: ArrayLike<number>, cost: number | ArrayLike<number>, scratch: UtilityScratch, out: Float64Array): void {
  const { nDraws: k, nChannels: nc, nSettings: g } = y;
  const m = defaultEntropyWindow(k);
  checkEntropyWindow(m, k);
  const spread = scratch.perSetting;
  const twoPiE = 2 * Math.PI * Math.E;
  out.fill(0);
  for (let c = 0; c < nc; c++) {
    for (let s = 0; s < g; s++) spread[s] = Math.exp(2 * entropyAt(y, c, s, scratch.sample, m)) / twoPiE;
    accumulate(out, spread, noiseVar[c], g);
  }
  divideByCost(out, cost);
}

/**
 * `full_kld_utility`, fixed (B2): with one noise sample per draw and channel, `noise[c·K + k]`
 * (already scaled by the noise std), `U[g] = Σ_c (exp(H(Y[:,c,g] + noise[c]) − H(noise[c])) − 1) / cost[g]`.
 * For one channel and unit cost this is exactly the original's (1 × G) result; channels add up; the
 * result can be negative.
 * @throws {@link EntropyWindowError} for K < 5.
 */
export function fullKldUtility(y: DrawSpace, noise: ArrayLike<number>, cost: number | ArrayLike<number>, scratch: UtilityScratch, out: Float64Array): void {
  const { nDraws: k, nChannels: nc, nSettings: g } = y;
  const m = defaultEntropyWindow(k);
  checkEntropyWindow(m, k);
  const method = autoEntropyMethod(k);
  out.fill(0);
  const sample = scratch.sample;
  for (let c = 0; c < nc; c++) {
    const offset = Float64Array.from({ length: k }, (_, i) => noise[c * k + i]);
    for (let i = 0; i < k; i++) sample[i] = offset[i];
    sample.sort();
    const hn = entropyOfSorted(sample, k, m, method);
    for (let s = 0; s < g; s++) out[s] += Math.exp(entropyAt(y, c, s, sample, m, offset) - hn) - 1;
  }
  divideByCost(out, cost);
}
