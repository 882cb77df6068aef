import { InvalidArgumentError } from './errors.js';
import { ZIGGURAT_K, ZIGGURAT_SIGNED_W, zigguratSlowPath, type ZigguratSource } from './normal-ziggurat.js';

/**
 * The random source every stochastic part of the OBE core draws from. Nothing in `src/obe/core`
 * calls `Math.random`.
 */
export interface RandomSource {
  /** A uniform integer in [0, 2³²). */
  nextUint32(): number;
  /** A uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number;
  /** A standard normal deviate. */
  nextNormal(): number;
}

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;
const MASK64 = (1n << 64n) - 1n;

/** SplitMix64 step, used only to expand a seed into generator state (as Vigna recommends). */
function splitMix64(state: { x: bigint }): bigint {
  state.x = (state.x + 0x9e3779b97f4a7c15n) & MASK64;
  let z = state.x;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
// Module-private aliases of the ziggurat tables: V8 reads an imported binding through its module
// cell on every use, a private constant it can fold into the optimised code.
const LAYER_K = ZIGGURAT_K;
const LAYER_SIGNED_W = ZIGGURAT_SIGNED_W;

/**
 * The loop of {@link Xoshiro128StarStar.fill} on a state array: a function of its own, so that the
 * loop's on-stack compilation never meets the generator's property stores (V8 deoptimised it at
 * the write-back on every call).
 */
function fillWords(state: Int32Array, out: Uint32Array, count: number): void {
  let s0 = state[0];
  let s1 = state[1];
  let s2 = state[2];
  let s3 = state[3];
  for (let i = 0; i < count; i++) {
    out[i] = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/** The uniform double in [0, 1) that {@link RandomSource.nextDouble} makes of two words: 53 random bits. */
export function doubleFromWords(first: number, second: number): number {
  return ((first >>> 5) * TWO_POW_26 + (second >>> 6)) / TWO_POW_53;
}

/**
 * The standard normal that {@link RandomSource.nextNormal} makes of the word `u` (ziggurat, 128
 * layers); the rare draws the fast path rejects continue from `source`.
 */
export function normalFromWord(u: number, source: ZigguratSource): number {
  const j = u >>> 8;
  // Branch-free sign (bit 7 selects the negated half of the table): same value as ±j·W[layer].
  if (j < LAYER_K[u & 127]) return j * LAYER_SIGNED_W[u & 255];
  return zigguratSlowPath(source, u);
}

/**
 * xoshiro128** 1.1 (Blackman & Vigna): a small, fast generator with 128 bits of state and period
 * 2¹²⁸ − 1, using only 32-bit integer operations (cheap in JavaScript). Normal deviates come from a
 * 128-layer ziggurat. The state is four plain 32-bit words, so it can be saved, restored and sent to
 * another thread ({@link Xoshiro128StarStar.getState}); {@link Xoshiro128StarStar.jump} gives
 * non-overlapping streams for parallel workers.
 *
 * @example
 * ```ts
 * const rng = new Xoshiro128StarStar(42);
 * const u = rng.nextDouble();
 * const z = rng.nextNormal();
 * ```
 */
export class Xoshiro128StarStar implements RandomSource {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private readonly fillState = new Int32Array(4);

  /**
   * @param seed an integer (number or bigint) expanded with SplitMix64, or a saved 4-word state.
   */
  constructor(seed: number | bigint | ArrayLike<number>) {
    if (typeof seed === 'number' || typeof seed === 'bigint') {
      if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
        throw new InvalidArgumentError(`seed must be a safe integer, got ${seed}`);
      }
      const st = { x: BigInt.asUintN(64, BigInt(seed)) };
      const a = splitMix64(st);
      const b = splitMix64(st);
      this.setState([Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)]);
    } else {
      this.setState(seed);
    }
  }

  /** Generator seeded from the operating system's entropy (`crypto.getRandomValues`). */
  static fromEntropy(): Xoshiro128StarStar {
    const words = new Uint32Array(4);
    globalThis.crypto.getRandomValues(words);
    if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
    return new Xoshiro128StarStar(words);
  }

  /** The current state as four unsigned 32-bit words (a copy; transferable). */
  getState(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  /** Restores a state saved by {@link getState}. The all-zero state is invalid. */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) throw new InvalidArgumentError('a xoshiro128** state has 4 words');
    const w0 = state[0] | 0;
    const w1 = state[1] | 0;
    const w2 = state[2] | 0;
    const w3 = state[3] | 0;
    if ((w0 | w1 | w2 | w3) === 0) {
      throw new InvalidArgumentError('the all-zero xoshiro128** state is invalid');
    }
    this.s0 = w0;
    this.s1 = w1;
    this.s2 = w2;
    this.s3 = w3;
  }

  /** {@inheritDoc RandomSource.nextUint32} */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /**
   * Writes the next `count` words into `out[0..count)`, the values `count` calls of
   * {@link nextUint32} would return, with the state held in locals (several times as fast per word).
   */
  fill(out: Uint32Array, count: number): void {
    const state = this.fillState;
    state[0] = this.s0;
    state[1] = this.s1;
    state[2] = this.s2;
    state[3] = this.s3;
    fillWords(state, out, count);
    this.s0 = state[0];
    this.s1 = state[1];
    this.s2 = state[2];
    this.s3 = state[3];
  }

  /** {@inheritDoc RandomSource.nextDouble} */
  nextDouble(): number {
    return doubleFromWords(this.nextUint32(), this.nextUint32());
  }

  /** {@inheritDoc RandomSource.nextNormal} */
  nextNormal(): number {
    return normalFromWord(this.nextUint32(), this);
  }

  /**
   * Advances the state by 2⁶⁴ steps: calling it once per worker on copies of one generator gives
   * 2⁶⁴ non-overlapping streams.
   */
  jump(): void {
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (const word of JUMP) {
      for (let b = 0; b < 32; b++) {
        if ((word & (1 << b)) !== 0) {
          t0 ^= this.s0;
          t1 ^= this.s1;
          t2 ^= this.s2;
          t3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = t0;
    this.s1 = t1;
    this.s2 = t2;
    this.s3 = t3;
  }
}

/**
 * Resolves the `rng`/`seed` pair of the option objects: an injected source wins, then a seed, then
 * OS entropy.
 */
export function resolveRandomSource(rng: RandomSource | undefined, seed: number | bigint | undefined): RandomSource {
  if (rng !== undefined) return rng;
  if (seed !== undefined) return new Xoshiro128StarStar(seed);
  return Xoshiro128StarStar.fromEntropy();
}
