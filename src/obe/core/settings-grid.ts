import { InvalidArgumentError } from './errors.js';

/** One knob of the setting grid: its candidate values, or a single scalar value. */
export type KnobValues = number | ArrayLike<number>;

/**
 * All setting combinations of the knobs, `S × G` (`allsettings` of the original): row `s` is the
 * flattened NumPy `meshgrid(..., indexing='ij')` of knob `s`, so the **last knob varies fastest**.
 * Knobs `[1, 2]` and `[10, 20, 30]` give rows `[1,1,1,2,2,2]` and `[10,20,30,10,20,30]`. A scalar knob
 * counts as one value. Values are stored as doubles, so integer knobs never leak integer types.
 */
export function buildSettingGrid(knobs: readonly KnobValues[]): Float64Array[] {
  if (knobs.length === 0) throw new InvalidArgumentError('at least one setting knob is required');
  const lists = knobs.map((k) => (typeof k === 'number' ? [k] : Array.from(k)));
  const total = lists.reduce((g, l) => g * l.length, 1);
  if (total === 0) throw new InvalidArgumentError('every setting knob needs at least one value');
  const rows = lists.map(() => new Float64Array(total));
  let inner = total;
  lists.forEach((values, s) => {
    // Knob s repeats each value `inner / len` times in blocks, and the blocks cycle.
    inner /= values.length;
    const row = rows[s];
    for (let k = 0; k < total; k++) row[k] = values[Math.floor(k / inner) % values.length];
  });
  return rows;
}

/** `n` evenly spaced values from `start` to `stop` inclusive (NumPy `linspace`). */
export function linspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  out[n - 1] = stop;
  return out;
}
