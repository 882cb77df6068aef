/**
 * `exp(x)` for the likelihood, more accurate than `Math.exp` and about four times as fast in V8
 * (whose `Math.exp` is a call out to C). Correctly rounded except where the exact value lies within
 * about 0.003 ulp of a rounding boundary; the error never exceeds about 0.503 ulp, against fdlibm's
 * (V8's) bound of 1 ulp. See `docs/OBE-NUMERICS.md`.
 *
 * Method: x = (1024·k + j)·ln2/1024 + r with |r| <= ln2/2048, so e^x = 2^k · 2^(j/1024) · e^r. The
 * reduction is exact (ln2/1024 in two parts, the high one with 32 significant bits, so k·high is
 * exact); 2^(j/1024) comes from a table of double-double values (`hi + lo`, built at load time to
 * about 2^-100); e^r − 1 = r + r²/2 + r³/6 + r⁴/24 (truncation below 2^-64). The result is
 * `hi + (hi·p + lo)`: one final rounding plus errors far below an ulp.
 *
 * Module-private constants on purpose (see `fast-exp.ts`: exported bindings are read through their
 * module cell on every use).
 */

import { EXP_REDUCTION, powersOfTwo } from './exp-reduction.js';

const TABLE_BITS = 10;
const TABLE_SIZE = 1 << TABLE_BITS;
const TABLE_MASK = TABLE_SIZE - 1;

// Double-double helpers, only for building the table (no FMA in JavaScript: Dekker's split).
const SPLITTER = 134217729; // 2^27 + 1

function twoProd(a: number, b: number): [number, number] {
  const p = a * b;
  let c = SPLITTER * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function ddMul(ah: number, al: number, bh: number, bl: number): [number, number] {
  const [p, e] = twoProd(ah, bh);
  const t = e + (ah * bl + al * bh);
  const hi = p + t;
  return [hi, t - (hi - p)];
}

function ddSqrt(ah: number, al: number): [number, number] {
  const s = Math.sqrt(ah);
  const [p, e] = twoProd(s, s);
  const t = (ah - p - e + al) / (2 * s);
  const hi = s + t;
  return [hi, t - (hi - s)];
}

/** 2^(1/2^m) as a double-double, by m square roots of 2. */
function rootOfTwo(m: number): [number, number] {
  let v: [number, number] = [2, 0];
  for (let i = 0; i < m; i++) v = ddSqrt(v[0], v[1]);
  return v;
}

/** 2^(j/1024) = 2^(i/32) · 2^(l/1024) for j = 32·i + l, as hi and lo parts. */
const T_HI = new Float64Array(TABLE_SIZE);
const T_LO = new Float64Array(TABLE_SIZE);
{
  const coarse = rootOfTwo(5);
  const fine = rootOfTwo(TABLE_BITS);
  let a: [number, number] = [1, 0];
  for (let i = 0; i < 32; i++) {
    let b: [number, number] = [1, 0];
    for (let l = 0; l < 32; l++) {
      const [hi, lo] = ddMul(a[0], a[1], b[0], b[1]);
      T_HI[32 * i + l] = hi;
      T_LO[32 * i + l] = lo;
      b = ddMul(b[0], b[1], fine[0], fine[1]);
    }
    a = ddMul(a[0], a[1], coarse[0], coarse[1]);
  }
}

/** Entry `k + POW2_OFFSET` of `POW2` holds 2^k for k in [−1022, 0]. */
const POW2_OFFSET = 1022;
const POW2 = powersOfTwo(POW2_OFFSET);
const { invStep: INV_STEP, stepHi: STEP_HI, stepLo: STEP_LO, roundShift: ROUND_SHIFT } = EXP_REDUCTION;
/** Below this the result is subnormal (or 0): left to `Math.exp`. */
const LOW = -708;

/**
 * e^x, accurate to about 0.503 ulp for x in (−708, 0]; other arguments (positive, subnormal
 * results, NaN) go to `Math.exp`.
 */
export function accurateExp(x: number): number {
  if (!(x > LOW && x <= 0)) return Math.exp(x);
  const nf = x * INV_STEP + ROUND_SHIFT - ROUND_SHIFT;
  const n = nf | 0;
  const r = x - nf * STEP_HI - nf * STEP_LO;
  const p = r + r * r * (0.5 + r * (1 / 6 + r * (1 / 24)));
  const j = n & TABLE_MASK;
  const hi = T_HI[j];
  return (hi + (hi * p + T_LO[j])) * POW2[(n >> TABLE_BITS) + POW2_OFFSET];
}
