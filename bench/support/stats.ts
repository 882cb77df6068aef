/** The q-quantile (0..1) of `values`, by nearest rank on a sorted copy. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index];
}

/** The median of `values`. */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** Formats a ratio like `1.23x`. */
export function ratio(ours: number, baseline: number): string {
  return `${(ours / baseline).toFixed(2)}x`;
}
