/** Buckets per doubling: a quantile is known to within about 19 % (2^(1/4)). */
const STEPS_PER_DOUBLING = 4;
/** Enough buckets for values up to 2^63. */
const BUCKETS = 64 * STEPS_PER_DOUBLING;

/**
 * A histogram of non-negative values (sizes in bytes, latencies in µs) in logarithmic buckets,
 * for quantiles without keeping values: adding one is a logarithm and an increment, no
 * allocation. Quantiles are read over a window: what was added between the last two calls of
 * {@link closeWindow}, so each sample of the monitor shows the recent distribution.
 *
 * @example
 * ```ts
 * const h = new LogHistogram();
 * for (const v of [10, 20, 1000]) h.add(v);
 * h.closeWindow();   // 3
 * h.quantile(0.5);   // about 20
 * ```
 */
export class LogHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private readonly seen = new Float64Array(BUCKETS);
  private readonly window = new Float64Array(BUCKETS);
  private windowCount = 0;
  /** Values added in all. */
  total = 0;
  /** The largest value added. */
  max = 0;

  /** Adds one value (negative ones count as 0). */
  add(value: number): void {
    const v = value > 0 ? value : 0;
    const i = v < 1 ? 0 : Math.min(BUCKETS - 1, 1 + Math.floor(Math.log2(v) * STEPS_PER_DOUBLING));
    this.counts[i]++;
    this.total++;
    if (v > this.max) this.max = v;
  }

  /** Ends the current window (what was added since the previous call); returns how many values it holds. */
  closeWindow(): number {
    let n = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const d = this.counts[i] - this.seen[i];
      this.window[i] = d;
      n += d;
      this.seen[i] = this.counts[i];
    }
    this.windowCount = n;
    return n;
  }

  /** The `q` quantile (0..1) of the last closed window: the upper edge of its bucket; null when it was empty. */
  quantile(q: number): number | null {
    if (this.windowCount === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.windowCount));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.window[i];
      if (seen >= rank) return i === 0 ? 0 : Math.round(2 ** (i / STEPS_PER_DOUBLING));
    }
    return null;
  }
}
