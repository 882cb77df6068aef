import { PythonInt, type PythonJson } from './python-json-value.js';

/**
 * A Python float as `repr()` writes it: the shortest digits that round-trip, a `.0` on integral
 * values, exponent form (`1e-05`, `1.5e+16`) below 1e-4 and from 1e16 on, and the tokens `NaN`,
 * `Infinity`, `-Infinity` that `json.dumps` emits by default.
 */
export function pythonFloatRepr(x: number): string {
  if (x !== x) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = x < 0 ? -x : x;
  if (abs >= 1e-4 && abs < 1e16) {
    // JavaScript writes this range in plain decimal with the same shortest digits as Python.
    const s = String(x);
    return Number.isInteger(x) ? s + '.0' : s;
  }
  // toExponential() without digits gives the shortest round-trip mantissa, e.g. "1.5e-5".
  const e = x.toExponential();
  const at = e.indexOf('e');
  const mantissa = e.slice(0, at);
  const sign = e[at + 1];
  const exponent = e.slice(at + 2);
  return `${mantissa}e${sign}${exponent.length < 2 ? '0' + exponent : exponent}`;
}

/** A JSON string as `json.dumps` writes it with `ensure_ascii=True`: every non-ASCII char escaped. */
export function pythonJsonString(s: string): string {
  const quoted = JSON.stringify(s);
  // JSON.stringify already escapes control characters and lone surrogates the way Python does;
  // what remains is DEL and everything above it, which Python writes as \uXXXX (UTF-16 units).
  return /[\u007f-\uffff]/.test(quoted) ? quoted.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) : quoted;
}

function writeFloats(values: ArrayLike<number>, parts: string[]): void {
  if (values.length === 0) {
    parts.push('[]');
    return;
  }
  let line = '[' + pythonFloatRepr(values[0]);
  for (let i = 1; i < values.length; i++) line += ', ' + pythonFloatRepr(values[i]);
  parts.push(line + ']');
}

function write(value: PythonJson, parts: string[]): void {
  if (value === null) {
    parts.push('null');
  } else if (typeof value === 'number') {
    parts.push(pythonFloatRepr(value));
  } else if (typeof value === 'string') {
    parts.push(pythonJsonString(value));
  } else if (typeof value === 'boolean') {
    parts.push(value ? 'true' : 'false');
  } else if (value instanceof PythonInt) {
    parts.push(value.digits);
  } else if (value instanceof Float64Array) {
    writeFloats(value, parts);
  } else if (Array.isArray(value)) {
    const list = value as readonly PythonJson[];
    if (list.length === 0) {
      parts.push('[]');
      return;
    }
    parts.push('[');
    for (let i = 0; i < list.length; i++) {
      if (i > 0) parts.push(', ');
      write(list[i], parts);
    }
    parts.push(']');
  } else {
    const entries = Object.entries(value as { readonly [key: string]: PythonJson });
    if (entries.length === 0) {
      parts.push('{}');
      return;
    }
    parts.push('{');
    entries.forEach(([key, item], i) => {
      if (i > 0) parts.push(', ');
      parts.push(pythonJsonString(key), ': ');
      write(item, parts);
    });
    parts.push('}');
  }
}

/**
 * The text Python's `json.dumps(value)` produces with its defaults: separators `", "` and `": "`,
 * floats as {@link pythonFloatRepr}, ints ({@link PythonInt}) without a fraction, ASCII only.
 *
 * @example
 * ```ts
 * pythonJsonDumps([2, 1e-5, NaN]); // '[2.0, 1e-05, NaN]'
 * pythonJsonDumps({ command: 'done' }); // '{"command": "done"}'
 * ```
 */
export function pythonJsonDumps(value: PythonJson): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.length === 1 ? parts[0] : parts.join('');
}
