import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogHistogram } from '../../src/monitor/log-histogram.js';

describe('LogHistogram', () => {
  it('gives quantiles of the last window to within a bucket (2^(1/4))', () => {
    const h = new LogHistogram();
    for (let v = 1; v <= 1000; v++) h.add(v);
    expect(h.closeWindow()).toBe(1000);
    const p50 = h.quantile(0.5)!;
    const p99 = h.quantile(0.99)!;
    expect(p50).toBeGreaterThanOrEqual(500);
    expect(p50).toBeLessThanOrEqual(500 * 2 ** 0.25 + 1);
    expect(p99).toBeGreaterThanOrEqual(990);
    expect(p99).toBeLessThanOrEqual(990 * 2 ** 0.25 + 1);
    expect(h.max).toBe(1000);
    expect(h.total).toBe(1000);
  });

  it('reads each window apart: an empty one has no quantiles, and old values do not count again', () => {
    const h = new LogHistogram();
    h.add(1_000_000);
    h.closeWindow();
    expect(h.closeWindow()).toBe(0);
    expect(h.quantile(0.5)).toBeNull();
    h.add(10);
    expect(h.closeWindow()).toBe(1);
    expect(h.quantile(0.99)).toBeLessThan(20);
    h.add(0);
    h.add(-5);
    h.closeWindow();
    expect(h.quantile(0.5)).toBe(0);
  });

  it('never reports a quantile below the value at its rank (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, q) => {
        const h = new LogHistogram();
        for (const v of values) h.add(v);
        h.closeWindow();
        const sorted = [...values].sort((a, b) => a - b);
        const exact = sorted[Math.max(0, Math.ceil(q * values.length) - 1)];
        const got = h.quantile(q)!;
        return got >= Math.floor(exact) - 1 && got <= Math.max(1, exact * 2 ** 0.25 + 1);
      }),
    );
  });
});
