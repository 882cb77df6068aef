/**
 * Tables and slow path of the Marsaglia–Tsang ziggurat for the standard normal distribution
 * (128 layers). The fast path lives in {@link Xoshiro128StarStar.nextNormal}; it accepts about 98.8 %
 * of draws with one 32-bit word, a table lookup and a multiply.
 *
 * Bit use of one 32-bit word `u`: bits 0–6 pick the layer, bit 7 the sign, bits 8–31 (24 bits) the
 * abscissa inside the layer. Keeping the three fields disjoint avoids the sign/layer correlation of
 * the original 1999 code.
 */

import { accurateExp } from './accurate-exp.js';

/** Number of ziggurat layers. */
export const ZIGGURAT_LAYERS = 128;
/** Right edge of the base layer. */
const R = 3.442619855899;
/** Area of each layer. */
const V = 9.91256303526217e-3;
/** Resolution of the abscissa field (24 bits). */
const M = 16777216;

/** Acceptance thresholds: `u >>> 8 < K[i]` accepts immediately. */
export const ZIGGURAT_K = new Uint32Array(ZIGGURAT_LAYERS);
/** Abscissa scale per layer: `x = (u >>> 8) * W[i]`. */
export const ZIGGURAT_W = new Float64Array(ZIGGURAT_LAYERS);
/** Density at the right edge of each layer (`F[0] = 1` stands for the density at 0). */
export const ZIGGURAT_F = new Float64Array(ZIGGURAT_LAYERS);
/**
 * `W` with the sign folded in, indexed by the low 8 bits of `u` (layer and sign bit):
 * `x = (u >>> 8) * ZIGGURAT_SIGNED_W[u & 255]`. A branch on the sign bit would be mispredicted half
 * the time, which used to cost more than the rest of the draw.
 */
export const ZIGGURAT_SIGNED_W = new Float64Array(2 * ZIGGURAT_LAYERS);

(function buildTables(): void {
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  ZIGGURAT_K[0] = Math.floor((dn / q) * M);
  ZIGGURAT_K[1] = 0;
  ZIGGURAT_W[0] = q / M;
  ZIGGURAT_W[ZIGGURAT_LAYERS - 1] = dn / M;
  ZIGGURAT_F[0] = 1;
  ZIGGURAT_F[ZIGGURAT_LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = ZIGGURAT_LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    ZIGGURAT_K[i + 1] = Math.floor((dn / tn) * M);
    tn = dn;
    ZIGGURAT_F[i] = Math.exp(-0.5 * dn * dn);
    ZIGGURAT_W[i] = dn / M;
  }
  for (let i = 0; i < ZIGGURAT_LAYERS; i++) {
    ZIGGURAT_SIGNED_W[i] = ZIGGURAT_W[i];
    ZIGGURAT_SIGNED_W[i + ZIGGURAT_LAYERS] = -ZIGGURAT_W[i];
  }
})();

/** The two primitives the slow path needs from a generator. */
export interface ZigguratSource {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform double in [0, 1). */
  nextDouble(): number;
}

// Module-private aliases: V8 reads an exported binding through its module cell on every use.
const LAYER_K = ZIGGURAT_K;
const LAYER_W = ZIGGURAT_W;
const LAYER_F = ZIGGURAT_F;

/**
 * Completes a draw whose fast-path test failed: the wedge test for layers 1..127, the exponential
 * tail sampler for the base layer, or a fresh attempt. The wedge test's density uses
 * {@link accurateExp} (about four times as fast as `Math.exp` in V8, and more accurate).
 */
export function zigguratSlowPath(src: ZigguratSource, u: number): number {
  for (;;) {
    const i = u & 127;
    const j = u >>> 8;
    const neg = (u & 128) !== 0;
    if (j < LAYER_K[i]) {
      const x = j * LAYER_W[i];
      return neg ? -x : x;
    }
    if (i === 0) {
      // Tail beyond R (Marsaglia 1964): x = -ln(U1)/R, accept if -2 ln(U2) > x².
      let x: number;
      let y: number;
      do {
        x = -Math.log(1 - src.nextDouble()) / R;
        y = -Math.log(1 - src.nextDouble());
      } while (y + y < x * x);
      return neg ? -(R + x) : R + x;
    }
    const x = j * LAYER_W[i];
    if (LAYER_F[i] + src.nextDouble() * (LAYER_F[i - 1] - LAYER_F[i]) < accurateExp(-0.5 * x * x)) {
      return neg ? -x : x;
    }
    u = src.nextUint32();
  }
}
