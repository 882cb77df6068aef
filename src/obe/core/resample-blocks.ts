/**
 * Resampling's draws, normals and moves (spec §1.7) by fixed blocks of particles, each block with
 * its own random stream derived from a key the resample takes from the engine's stream
 * (docs/OBE-NUMERICS.md, "Resampling by blocks"). A block's particles depend only on the key, the
 * block's index and the shared inputs, so the particle pool's threads can resample blocks apart
 * and any split (or none) gives the same particles.
 */

import { Xoshiro128StarStar } from './rng.js';
import { aliasDraw } from './weighted-sampler.js';

/** Particles per block, fixed: the block boundaries fix the streams. */
export const RESAMPLE_BLOCK = 1024;

/** Number of blocks over N particles. */
export function resampleBlockCount(n: number): number {
  return Math.ceil(n / RESAMPLE_BLOCK);
}

/** What every block reads and writes. */
export interface ResampleInputs {
  readonly n: number;
  /** Rows of the cloud before resampling (read) and after (written), D each. */
  readonly src: readonly Float64Array[];
  readonly dst: readonly Float64Array[];
  /**
   * The alias table of the weights ({@link AliasTable}'s `prob` and `alias`), used when `drawn` is
   * empty; otherwise `drawn[i]` is particle i's source index (systematic resampling draws them
   * all from the engine's stream first).
   */
  readonly prob: Float64Array;
  readonly alias: Float64Array;
  readonly drawn: Float64Array;
  /** Factor of the nudge covariance, `D × D` row-major (`factorCovariance`). */
  readonly factor: Float64Array;
  readonly mean: Float64Array;
  readonly a: number;
  readonly scale: boolean;
  /** The resample's key, two 32-bit words from the engine's stream. */
  readonly key0: number;
  readonly key1: number;
}

/** One thread's reusable state: the block generator and the block's indices and normals. */
export class ResampleScratch {
  readonly generator = new Xoshiro128StarStar(1);
  readonly indices = new Int32Array(RESAMPLE_BLOCK);
  private normals = new Float64Array(0);
  private readonly words = new Uint32Array(4);

  /** `D × RESAMPLE_BLOCK` normals, row k at `k · RESAMPLE_BLOCK`. */
  normalsFor(d: number): Float64Array {
    if (this.normals.length < d * RESAMPLE_BLOCK) this.normals = new Float64Array(d * RESAMPLE_BLOCK);
    return this.normals;
  }

  /** Seeds the generator with block `block`'s stream under the key. */
  seed(key0: number, key1: number, block: number): Xoshiro128StarStar {
    const words = this.words;
    let x = key0 ^ Math.imul(block + 1, 0x9e3779b9);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x6d2b79f5) | 0;
      words[i] = mix32(x ^ mix32(key1 + i));
    }
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
    this.generator.setState(words);
    return this.generator;
  }
}

/** A 32-bit finaliser with full avalanche (lowbias32's constants). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Blocks `[b0, b1)`: per block, from its own stream, the source indices (alias draws, unless given)
 * and then `D` rows of standard normals; then each particle i of the block becomes
 * `src_r[idx_i] + Σ_k factor[r·D + k]·z_k,i` (k in order, zero factors skipped), contracted to
 * `a·x + (1 − a)·mean_r` when `scale` is set.
 */
export function resampleBlocks(input: ResampleInputs, scratch: ResampleScratch, b0: number, b1: number): void {
  const { n, src, dst, prob, alias, drawn, factor, mean, a, scale } = input;
  const d = src.length;
  const idx = scratch.indices;
  const z = scratch.normalsFor(d);
  for (let b = b0; b < b1; b++) {
    const from = b * RESAMPLE_BLOCK;
    const len = Math.min(n, from + RESAMPLE_BLOCK) - from;
    const rng = scratch.seed(input.key0, input.key1, b);
    if (drawn.length === 0) for (let i = 0; i < len; i++) idx[i] = aliasDraw(prob, alias, n, rng.nextDouble());
    else for (let i = 0; i < len; i++) idx[i] = drawn[from + i];
    for (let k = 0; k < d; k++) {
      const base = k * RESAMPLE_BLOCK;
      for (let i = 0; i < len; i++) z[base + i] = rng.nextNormal();
    }
    for (let r = 0; r < d; r++) {
      const source = src[r];
      const out = dst[r];
      for (let i = 0; i < len; i++) out[from + i] = source[idx[i]];
      for (let k = 0; k < d; k++) {
        const c = factor[r * d + k];
        if (c === 0) continue;
        const base = k * RESAMPLE_BLOCK;
        for (let i = 0; i < len; i++) out[from + i] += c * z[base + i];
      }
      if (scale) {
        const shift = (1 - a) * mean[r];
        for (let i = 0; i < len; i++) out[from + i] = a * out[from + i] + shift;
      }
    }
  }
}
