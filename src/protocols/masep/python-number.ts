/**
 * Python's text forms of numbers, as the masep value codec writes and reads them: `str(int)`,
 * `repr(float)`, and what `int(text)` / `float(text)` accept.
 */

const INT_TEXT = /^[+-]?\d(?:_?\d)*$/;
const DIGIT_PART = String.raw`\d(?:_?\d)*`;
const FLOAT_TEXT = new RegExp(
  String.raw`^[+-]?(?:(?:${DIGIT_PART})?\.${DIGIT_PART}|${DIGIT_PART}\.?)(?:[eE][+-]?${DIGIT_PART})?$`,
);
const FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * An integer as the API represents it: a `number` when it is a safe integer, a `bigint` beyond
 * ±(2^53 - 1). Returns `undefined` for a `number` that is not an integer or not safe.
 */
export function canonicalInt(value: number | bigint): number | bigint | undefined {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  }
  if (!Number.isSafeInteger(value)) return undefined;
  return value === 0 ? 0 : value; // folds -0 into 0: Python ints have no negative zero
}

/**
 * Parses what Python's `int(text)` accepts in base 10 (surrounding whitespace, a sign, single
 * `_` between digits) into a canonical int (see {@link canonicalInt}); `undefined` otherwise.
 */
export function parsePythonInt(text: string): number | bigint | undefined {
  const trimmed = text.trim();
  if (!INT_TEXT.test(trimmed)) return undefined;
  return canonicalInt(BigInt(trimmed.replaceAll('_', '')));
}

/**
 * Parses what Python's `float(text)` accepts (decimal and exponent forms with `_` separators,
 * `inf`, `infinity`, `nan` in any case, surrounding whitespace); `undefined` otherwise.
 */
export function parsePythonFloat(text: string): number | undefined {
  const trimmed = text.trim();
  const special = FLOAT_SPECIAL.exec(trimmed);
  if (special) {
    if (special[2].toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!FLOAT_TEXT.test(trimmed)) return undefined;
  return Number(trimmed.replaceAll('_', ''));
}

/**
 * Python's `repr(x)` of a float: the shortest digits that round-trip (as in JS), but in fixed
 * notation with a trailing `.0` when the decimal exponent is in [-4, 16), and otherwise
 * `d.ddde±XX` with at least two exponent digits; `inf`, `-inf`, `nan`, `-0.0`.
 *
 * @example
 * ```ts
 * pythonFloatRepr(1);     // '1.0'
 * pythonFloatRepr(1e-5);  // '1e-05'
 * pythonFloatRepr(1e16);  // '1e+16'
 * ```
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  // Position of the decimal point relative to the first digit, as CPython's float_repr counts it.
  const point = Number(exponent) + 1;
  if (point > -4 && point <= 16) {
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const e = point - 1;
  const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
  return `${sign}${digits[0]}${fraction}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}
