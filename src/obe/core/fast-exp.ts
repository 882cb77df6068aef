/**
 * `exp(x)` for `x <= 0`, about twice as fast as `Math.exp` in V8 and accurate to about 1 ulp for
 * normal results (max relative error measured below 6e-16 on x in [-708, 0]). The likelihood update
 * exponentiates one value per particle, so this is the hottest function of `pdf_update`.
 *
 * Method: x = (1024q + j)·ln2/1024 + r with |r| <= ln2/2048; exp(x) = 2^q · 2^(j/1024) · p(r), where
 * p is a cubic as accurate as the degree-4 Taylor polynomial on that range (see `P2`), and
 * ln2/1024 is split in two parts so that n·ln2/1024 is exact (n has at most 21 bits, the high part
 * of ln 2 32 significant bits). The 8 KiB fraction table buys the cubic: one multiply-add less per
 * call than the quartic a 256-entry table needs.
 *
 * Everything here is module-private on purpose: V8 reads an exported binding through its module
 * cell on every use, and exporting these constants made the update loop half again as slow.
 */

import { EXP_REDUCTION, powersOfTwo } from './exp-reduction.js';

const TABLE_BITS = 10;
const TABLE_SIZE = 1 << TABLE_BITS;
const TABLE_MASK = TABLE_SIZE - 1;
/** 2^(j/1024) for j in [0, 1024). */
const POW2_FRACTION = new Float64Array(TABLE_SIZE);
for (let j = 0; j < TABLE_SIZE; j++) POW2_FRACTION[j] = Math.pow(2, j / TABLE_SIZE);
/** Entry `q + POW2_OFFSET` of `POW2_INTEGER` holds 2^q, q in [−1100, 0] (below the smallest subnormal). */
const POW2_OFFSET = 1100;
const POW2_INTEGER = powersOfTwo(POW2_OFFSET);
const { invStep: INV_STEP, stepHi: STEP_HI, stepLo: STEP_LO, roundShift: ROUND_SHIFT } = EXP_REDUCTION;
/** Half-width of the reduced range, ln2/2048. */
const H = Math.LN2 / (2 * TABLE_SIZE);
// e^r = 1 + r + r²/2 + r³/6 + r⁴/24 + … on |r| <= H, with r⁴ replaced by H²r² (so e^0 stays exactly
// 1): a cubic whose error r²(H² − r²)/24 <= H⁴/96 ≈ 1.4e-16 matches the quartic's truncation.
const P2 = 0.5 + H ** 2 / 24;
/** Below this, e^x is 0 in double precision. */
const CUTOFF = -745.2;

/**
 * e^x for x <= 0; below -745.2 the result is 0, and so is the result for NaN (a NaN log-likelihood
 * means zero likelihood, as `nan_to_num` made it in the original). Positive x is not supported.
 */
export function expNonPositive(x: number): number {
  if (!(x > CUTOFF)) return 0;
  const nf = x * INV_STEP + ROUND_SHIFT - ROUND_SHIFT;
  const n = nf | 0;
  const r = x - nf * STEP_HI - nf * STEP_LO;
  const p = 1 + r * (1 + r * (P2 + r * (1 / 6)));
  return p * POW2_FRACTION[n & TABLE_MASK] * POW2_INTEGER[(n >> TABLE_BITS) + POW2_OFFSET];
}
