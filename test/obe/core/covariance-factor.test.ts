import { describe, expect, it } from 'vitest';
import { CovarianceFactorError, factorCovariance } from '../../../src/obe/core/index.js';

function product(b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) out[i * d + j] += b[i * d + k] * b[j * d + k];
  return out;
}

function expectFactor(a: number[], d: number, scale: number, method: string): void {
  const out = new Float64Array(d * d);
  expect(factorCovariance(Float64Array.from(a), d, scale, out)).toBe(method);
  const bbt = product(out, d);
  const norm = Math.max(...a.map(Math.abs));
  for (let i = 0; i < d * d; i++) expect(Math.abs(bbt[i] - scale * a[i])).toBeLessThanOrEqual(1e-12 * norm * Math.max(scale, 1));
}

describe('factorCovariance', () => {
  it('uses Cholesky for a positive-definite matrix', () => {
    expectFactor([4, 2, 0.6, 2, 2, 0.5, 0.6, 0.5, 3], 3, 0.0396, 'cholesky');
  });

  it('falls back to the eigen factor when a parameter is constant (singular matrix)', () => {
    expectFactor([2, 0, 1, 0, 0, 0, 1, 0, 1], 3, 1, 'eigen');
  });

  it('handles the all-zero matrix (every parameter constant)', () => {
    expectFactor([0, 0, 0, 0], 2, 1, 'eigen');
  });

  it('clamps a slightly indefinite matrix from rounding to the nearest PSD one', () => {
    const a = Float64Array.from([1, 1 + 1e-12, 1 + 1e-12, 1]);
    const out = new Float64Array(4);
    expect(factorCovariance(a, 2, 1, out)).toBe('eigen');
    const bbt = product(out, 2);
    for (let i = 0; i < 4; i++) expect(Math.abs(bbt[i] - a[i])).toBeLessThan(1e-11);
  });

  it('throws a named error for non-finite entries', () => {
    expect(() => factorCovariance(Float64Array.from([1, Number.NaN, Number.NaN, 1]), 2, 1, new Float64Array(4))).toThrow(CovarianceFactorError);
    expect(() => factorCovariance(Float64Array.from([Infinity]), 1, 1, new Float64Array(1))).toThrow(CovarianceFactorError);
  });
});
