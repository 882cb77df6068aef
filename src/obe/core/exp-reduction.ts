/**
 * The argument reduction shared by `fast-exp.ts` and `accurate-exp.ts`: x = n·ln2/1024 + r with n
 * an integer and |r| <= ln2/2048. Importers copy the constants into module-private `const`s (an
 * imported binding is read through its module cell on every use, which slows the hot loops).
 */
export const EXP_REDUCTION = Object.freeze({
  /** 1024/ln 2: x times this, rounded, is n. */
  invStep: 1024 / Math.LN2,
  // fdlibm's split of ln 2: the high part has 32 significant bits, so n·stepHi is exact for |n| < 2^21.
  stepHi: 6.9314718036912381649e-1 / 1024,
  stepLo: 1.90821492927058770002e-10 / 1024,
  /** Adding and subtracting 1.5·2^52 rounds a double to the nearest integer. */
  roundShift: 6755399441055744.0,
});

/**
 * 2^q for q in [−lowest, 0] at index `q + lowest`. Indexed by an offset rather than by −q, because
 * negating 0 gives −0, which V8 cannot use as an integer index without leaving its fast path.
 */
export function powersOfTwo(lowest: number): Float64Array {
  const out = new Float64Array(lowest + 1);
  for (let q = 0; q <= lowest; q++) out[q] = Math.pow(2, q - lowest);
  return out;
}
