import { EntropyWindowError, UnknownNameError } from './errors.js';

/** Spacing estimators of differential entropy, as in SciPy's `differential_entropy`. */
export type EntropyMethod = 'vasicek' | 'van es' | 'ebrahimi' | 'correa' | 'auto';

/** Options of {@link differentialEntropy}. */
export interface DifferentialEntropyOptions {
  /** Window m; default `floor(sqrt(n) + 0.5)`. Must satisfy `2 <= 2m < n`. */
  windowLength?: number;
  /** Logarithm base of the result; default e (nats). */
  base?: number;
  /** Estimator; `'auto'` (default) picks van Es for n <= 10, Ebrahimi up to 1000, Vasicek above. */
  method?: EntropyMethod;
}

/** The estimator `'auto'` uses for n samples (SciPy's rule). */
export function autoEntropyMethod(n: number): Exclude<EntropyMethod, 'auto'> {
  if (n <= 10) return 'van es';
  if (n <= 1000) return 'ebrahimi';
  return 'vasicek';
}

/** SciPy's default window, `floor(sqrt(n) + 0.5)`. */
export function defaultEntropyWindow(n: number): number {
  return Math.floor(Math.sqrt(n) + 0.5);
}

/**
 * Differential entropy of a sample from its order-statistic spacings (Vasicek, van Es, Ebrahimi or
 * Correa), matching `scipy.stats.differential_entropy` to rounding. Ties give zero spacings and hence
 * `-Infinity`, as in SciPy.
 *
 * @example
 * ```ts
 * differentialEntropy([0.3, -1.2, 0.5, 0.05, 1.7]); // van Es estimate, window 2
 * ```
 * @throws {@link EntropyWindowError} if the window does not satisfy `2 <= 2m < n`.
 */
export function differentialEntropy(values: ArrayLike<number>, options: DifferentialEntropyOptions = {}): number {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const m = options.windowLength ?? defaultEntropyWindow(n);
  checkEntropyWindow(m, n);
  const method = options.method ?? 'auto';
  const resolved = method === 'auto' ? autoEntropyMethod(n) : method;
  const h = entropyOfSorted(sorted, n, m, resolved);
  return options.base === undefined ? h : h / Math.log(options.base);
}

/** @throws {@link EntropyWindowError} unless `2 <= 2m < n` (SciPy's condition). */
export function checkEntropyWindow(m: number, n: number): void {
  if (!(Number.isInteger(m) && 2 <= 2 * m && 2 * m < n)) {
    throw new EntropyWindowError(
      `window length ${m} must be positive and less than half the sample size ${n} (need at least 5 samples)`,
    );
  }
}

/**
 * Entropy of an already sorted sample `x[0..n)` with window `m` (checked by the caller). The hot path
 * of the pseudo and full-KLD utilities, which sort one K-sample per grid point into a scratch buffer.
 */
export function entropyOfSorted(x: ArrayLike<number>, n: number, m: number, method: Exclude<EntropyMethod, 'auto'>): number {
  switch (method) {
    case 'vasicek':
      return vasicek(x, n, m);
    case 'van es':
      return vanEs(x, n, m);
    case 'ebrahimi':
      return ebrahimi(x, n, m);
    case 'correa':
      return correa(x, n, m);
    default:
      throw new UnknownNameError(`unknown entropy method '${String(method)}'`);
  }
}

/** x_(i) with 0-based i clamped to [0, n): SciPy pads the sorted sample with its end values. */
function at(x: ArrayLike<number>, n: number, i: number): number {
  return x[i < 0 ? 0 : i >= n ? n - 1 : i];
}

function vasicek(x: ArrayLike<number>, n: number, m: number): number {
  let sum = 0;
  const f = n / (2 * m);
  for (let i = 0; i < n; i++) sum += Math.log(f * (at(x, n, i + m) - at(x, n, i - m)));
  return sum / n;
}

function ebrahimi(x: ArrayLike<number>, n: number, m: number): number {
  let sum = 0;
  for (let i = 1; i <= n; i++) {
    const c = i <= m ? 1 + (i - 1) / m : i >= n - m + 1 ? 1 + (n - i) / m : 2;
    const diff = at(x, n, i - 1 + m) - at(x, n, i - 1 - m);
    sum += Math.log((n * diff) / (c * m));
  }
  return sum / n;
}

function vanEs(x: ArrayLike<number>, n: number, m: number): number {
  let sum = 0;
  const f = (n + 1) / m;
  for (let i = 0; i < n - m; i++) sum += Math.log(f * (x[i + m] - x[i]));
  let harmonic = 0;
  for (let k = m; k <= n; k++) harmonic += 1 / k;
  return sum / (n - m) + harmonic + Math.log(m) - Math.log(n + 1);
}

function correa(x: ArrayLike<number>, n: number, m: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let mean = 0;
    for (let j = i - m; j <= i + m; j++) mean += at(x, n, j);
    mean /= 2 * m + 1;
    let num = 0;
    let den = 0;
    for (let j = i - m; j <= i + m; j++) {
      const dx = at(x, n, j) - mean;
      num += (j - i) * dx;
      den += dx * dx;
    }
    sum += Math.log(num / (n * den));
  }
  return -sum / n;
}
