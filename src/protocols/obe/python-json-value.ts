/**
 * An integer as Python's `json` module sees it (`5`, not `5.0`). Plain JavaScript numbers stand for
 * Python floats, which is what the OBE engine replies with; wrap a value in `PythonInt` where the
 * original would send an `int` (e.g. constants written as integers in a run spec).
 */
export class PythonInt {
  /** The integer value (a safe integer, or the nearest double for larger ones). */
  readonly value: number;
  /** The decimal digits as written, for integers beyond 2^53 that must echo unchanged. */
  readonly digits: string;

  constructor(value: number | string) {
    if (typeof value === 'string') {
      this.digits = value;
      this.value = Number(value);
    } else {
      if (!Number.isInteger(value)) throw new RangeError(`PythonInt needs an integer, got ${value}`);
      this.value = value;
      this.digits = BigInt(value).toString();
    }
  }

  /** The number (so that arithmetic on a parsed value works). */
  valueOf(): number {
    return this.value;
  }
}

/**
 * A value that Python's `json.dumps` can write and `json.loads` can produce. Numbers are floats
 * (written `2.0`, `1e-05`, `NaN`), {@link PythonInt}s are ints, `Float64Array`s are lists of floats.
 */
export type PythonJson =
  | null
  | boolean
  | number
  | string
  | PythonInt
  | Float64Array
  | readonly PythonJson[]
  | { readonly [key: string]: PythonJson };

/** A JSON object as `json.loads` returns it (a Python dict). */
export type PythonJsonObject = { readonly [key: string]: PythonJson };

/** True for a plain JSON object (not an array, typed array, {@link PythonInt} or null). */
export function isJsonObject(value: PythonJson | undefined): value is PythonJsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof PythonInt) && !(value instanceof Float64Array);
}

/** The number a JSON value stands for (float or {@link PythonInt}), or undefined. */
export function jsonNumber(value: PythonJson | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof PythonInt) return value.value;
  return undefined;
}
