import { ShapeMismatchError } from './errors.js';

/** Measurements grouped by setting, as returned by {@link traceSort}. */
export interface SortedTrace {
  /** The distinct settings, ascending. */
  readonly settings: number[];
  /** Mean measurement per setting. */
  readonly means: number[];
  /** Standard error per setting: population std (ddof 0) / sqrt(count). */
  readonly stdErrors: number[];
  /** Number of measurements per setting. */
  readonly counts: number[];
}

/**
 * Sorts a measurement trace by setting and groups exactly equal settings (optbayesexpt's
 * `obe_utils.trace_sort`), e.g. to plot the data an OBE run collected.
 */
export function traceSort(settings: ArrayLike<number>, measurements: ArrayLike<number>): SortedTrace {
  if (settings.length !== measurements.length) {
    throw new ShapeMismatchError(`${settings.length} settings but ${measurements.length} measurements`);
  }
  const order = Array.from({ length: settings.length }, (_, i) => i).sort((a, b) => settings[a] - settings[b]);
  const result: SortedTrace = { settings: [], means: [], stdErrors: [], counts: [] };
  let start = 0;
  while (start < order.length) {
    const x = settings[order[start]];
    let end = start;
    while (end < order.length && settings[order[end]] === x) end++;
    const n = end - start;
    let mean = 0;
    for (let i = start; i < end; i++) mean += measurements[order[i]];
    mean /= n;
    let ss = 0;
    for (let i = start; i < end; i++) ss += (measurements[order[i]] - mean) ** 2;
    result.settings.push(x);
    result.means.push(mean);
    result.stdErrors.push(Math.sqrt(ss / n) / Math.sqrt(n));
    result.counts.push(n);
    start = end;
  }
  return result;
}
