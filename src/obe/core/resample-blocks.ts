/**
 * Resampling's draws, normals and moves (spec §1.7) by fixed blocks of particles, each block with
 * random streams of its own derived from a key the resample takes from the engine's stream
 * (docs/OBE-NUMERICS.md, "Resampling by blocks"). A block's particles depend only on the key, the
 * block's index and the shared inputs, so the particle pool's threads can resample blocks apart
 * and any split (or none) gives the same particles. Two phases: the normals (which need nothing
 * but the key, so they run while the calling thread builds the alias table), then the draws and
 * the moves.
 */

import { doubleFromWords, normalFromWord, Xoshiro128StarStar } from './rng.js';
import { aliasDraw } from './weighted-sampler.js';

/** Particles per block, fixed: the block boundaries fix the streams. */
export const RESAMPLE_BLOCK = 1024;

/** Number of blocks over N particles. */
export function resampleBlockCount(n: number): number {
  return Math.ceil(n / RESAMPLE_BLOCK);
}

/** A resample's key: two 32-bit words from the engine's stream. */
export interface ResampleKey {
  readonly key0: number;
  readonly key1: number;
}

/** Which of a block's two streams. */
const NORMALS = 0;
const DRAWS = 1;

/** What the normals phase writes: `D` rows of N standard normals. */
export interface ResampleNormals extends ResampleKey {
  readonly n: number;
  readonly noise: readonly Float64Array[];
}

/** What the moves phase reads and writes. */
export interface ResampleMoves extends ResampleNormals {
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
}

/** One thread's reusable state: the block generator, the block's words and its source indices. */
export class ResampleScratch {
  /** Reseeded for each block's stream ({@link seed}). */
  readonly generator = new Xoshiro128StarStar(1);
  /** The current block's source indices. */
  readonly indices = new Int32Array(RESAMPLE_BLOCK);
  /** Words taken from a block's stream in bulk: a row of normals, or two per draw. */
  readonly words = new Uint32Array(2 * RESAMPLE_BLOCK);
  private readonly seedWords = new Uint32Array(4);

  /** Seeds the generator with stream `lane` of block `block` under the key. */
  seed(key: ResampleKey, block: number, lane: number): Xoshiro128StarStar {
    const words = this.seedWords;
    let x = key.key0 ^ Math.imul(2 * block + lane + 1, 0x9e3779b9);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x6d2b79f5) | 0;
      words[i] = mix32(x ^ mix32(key.key1 + i));
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
 * Normals of blocks `[b0, b1)`: row by row, one word of the block's normals stream per normal (the
 * ziggurat's rare rejections continue the stream after the row's words).
 */
export function resampleNormals(input: ResampleNormals, scratch: ResampleScratch, b0: number, b1: number): void {
  const { n, noise } = input;
  const words = scratch.words;
  for (let b = b0; b < b1; b++) {
    const from = b * RESAMPLE_BLOCK;
    const len = Math.min(n, from + RESAMPLE_BLOCK) - from;
    const rng = scratch.seed(input, b, NORMALS);
    for (const z of noise) {
      rng.fill(words, len);
      for (let i = 0; i < len; i++) z[from + i] = normalFromWord(words[i], rng);
    }
  }
}

/**
 * Draws and moves of blocks `[b0, b1)`: the source indices (an alias draw from two words of the
 * block's draws stream each, unless given), then particle i becomes
 * `src_r[idx_i] + Σ_k factor[r·D + k]·z_k,i` (k in order, zero factors skipped), contracted to
 * `a·x + (1 − a)·mean_r` when `scale` is set.
 */
export function resampleMoves(input: ResampleMoves, scratch: ResampleScratch, b0: number, b1: number): void {
  const { n, src, dst, noise, prob, alias, drawn, factor, mean, a, scale } = input;
  const d = src.length;
  const idx = scratch.indices;
  const words = scratch.words;
  for (let b = b0; b < b1; b++) {
    const from = b * RESAMPLE_BLOCK;
    const len = Math.min(n, from + RESAMPLE_BLOCK) - from;
    if (drawn.length === 0) {
      scratch.seed(input, b, DRAWS).fill(words, 2 * len);
      for (let i = 0; i < len; i++) idx[i] = aliasDraw(prob, alias, n, doubleFromWords(words[2 * i], words[2 * i + 1]));
    } else {
      for (let i = 0; i < len; i++) idx[i] = drawn[from + i];
    }
    for (let r = 0; r < d; r++) {
      const source = src[r];
      const out = dst[r];
      for (let i = 0; i < len; i++) out[from + i] = source[idx[i]];
      for (let k = 0; k < d; k++) {
        const c = factor[r * d + k];
        if (c === 0) continue;
        const z = noise[k];
        for (let i = from; i < from + len; i++) out[i] += c * z[i];
      }
      if (scale) {
        const shift = (1 - a) * mean[r];
        for (let i = from; i < from + len; i++) out[i] = a * out[i] + shift;
      }
    }
  }
}
